"""JSON-RPC as the specifications say, over pygls: every message is answered or dropped on purpose.

pygls hands each body it reads to ``json.loads`` and dispatches what comes out; anything it
cannot use costs a traceback in the log and, for a request, no answer at all. This adapter
checks each message before pygls sees it, and answers in the specifications' terms:

* a body that is not JSON: ``-32700`` (parse error), ``id`` null;
* JSON that is no request, notification or response (a batch, which the Language Server
  Protocol does not have; an ``id`` that is an object; no ``"jsonrpc": "2.0"``): ``-32600``
  (invalid request);
* a request whose params do not fit its method (missing, wrong types, negative positions):
  ``-32602`` (invalid params); an unknown method: ``-32601`` (pygls' answer);
* a request before ``initialize``: ``-32002``; a second ``initialize``, or any request after
  ``shutdown``: ``-32600``. Notifications in those states are dropped.

Each costs one line in the log. A notification whose params do not fit is dropped (there
is no one to answer), except that missing params are read as ``{}`` first.

``exit`` ends the session with status 0 after ``shutdown`` and 1 without, and leaves standard
output open: the process writes nothing after it, and closes it when it ends.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types as lsp
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    LanguageServerProtocol,
    lsp_method,
)

from kubelint.lsp.documents import Documents
from kubelint.lsp.reader import Message, Unreadable

log = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002


class InvalidMessage(Exception):
    """A message whose fields do not fit its method."""


def _valid_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _id_of(data: object) -> int | str | None:
    """The id to answer a message with: its own when usable, else null."""
    if isinstance(data, dict) and _valid_id(data.get("id")):
        found: int | str = data["id"]
        return found
    return None


def shape_problem(data: object) -> str | None:
    """Why a JSON value is no JSON-RPC message; None when it is one."""
    if isinstance(data, list):
        return "a batch: the Language Server Protocol sends one message at a time"
    if not isinstance(data, dict):
        return f"a JSON {type(data).__name__}, not an object"
    if data.get("jsonrpc") != "2.0":
        return 'no "jsonrpc": "2.0"'
    if "id" in data and not _valid_id(data["id"]):
        return "an id that is neither a string nor an integer"
    if "method" in data:
        return None if isinstance(data["method"], str) else "a method that is not a string"
    if "id" in data and ("result" in data or "error" in data):
        return None
    return "neither a request, a notification nor a response"


def _why(exc: Exception) -> str:
    """What did not fit, in one line."""
    if isinstance(exc, ClassValidationError):
        return "; ".join(transform_error(exc)[:3])
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:200]


class KubelintProtocol(LanguageServerProtocol):
    """pygls' protocol with messages checked on the way in, and a clean exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The process's exit status, once the client sent ``exit``.
        self.exit_code: int | None = None

    @property
    def shut_down(self) -> bool:
        """Whether the client asked the server to shut down."""
        return bool(self._shutdown)

    @property
    def documents(self) -> Documents | None:
        """The open documents (None before ``initialize``)."""
        workspace = self._workspace
        return workspace if isinstance(workspace, Documents) else None

    # -- in -----------------------------------------------------------------------------
    def receive(self, item: Message | Unreadable) -> None:
        """Handle one framed body: dispatch it, or answer why it cannot be."""
        if isinstance(item, Unreadable):
            log.warning("unreadable message: %s", item.reason)
            self.send_error(None, PARSE_ERROR, f"Parse error: {item.reason}")
            return
        data = item.value
        problem = shape_problem(data)
        if problem is not None:
            log.warning("invalid message: %s", problem)
            self.send_error(_id_of(data), INVALID_REQUEST, f"Invalid request: {problem}")
            return
        refusal = self._refusal(data.get("method"))
        if refusal is not None:
            log.info("refused %s: %s", data["method"], refusal[1])
            if "id" in data:
                self.send_error(data["id"], *refusal)
            return
        try:
            message = self.structure_message(data)
        except InvalidMessage as exc:
            what = data.get("method", "response")
            log.warning("invalid %s message: %s", what, exc)
            if "method" in data and "id" in data:
                self.send_error(data["id"], INVALID_PARAMS, f"Invalid params: {exc}")
            return
        self.handle_message(message)

    def structure_message(self, data: dict[str, Any]) -> Any:
        """A checked message as the type its method has; :class:`InvalidMessage` if it fits not."""
        method = data.get("method")
        if isinstance(method, str):
            kind = self.get_message_type(method)
            if kind is None:  # no such method: pygls answers a request with -32601
                if "id" in data:
                    return JsonRPCRequestMessage(data["id"], method, "2.0", None)
                return JsonRPCNotification(method, "2.0", None)
            try:
                return self._converter.structure(data, kind)
            except Exception as exc:
                if "params" in data:
                    raise InvalidMessage(_why(exc)) from exc
                try:  # a method with nothing to say may leave its params out
                    return self._converter.structure({**data, "params": {}}, kind)
                except Exception:
                    raise InvalidMessage(_why(exc)) from exc
        try:
            if "error" in data:
                return self._converter.structure(data, lsp.ResponseErrorMessage)
            kind = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
            return self._converter.structure(data, kind)
        except Exception as exc:
            raise InvalidMessage(_why(exc)) from exc

    def _refusal(self, method: object) -> tuple[int, str] | None:
        """Why the session's state refuses a request or notification now, if it does."""
        if not isinstance(method, str) or method == lsp.EXIT:
            return None
        if self._workspace is None and method != lsp.INITIALIZE:
            return (SERVER_NOT_INITIALIZED, "the server is not initialized yet")
        if self._workspace is not None and method == lsp.INITIALIZE:
            return (INVALID_REQUEST, "the server is initialized already")
        if self._shutdown:
            return (INVALID_REQUEST, "the server is shutting down")
        return None

    # -- out ----------------------------------------------------------------------------
    def send_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        """Answer a request (or an unreadable message: ``msg_id`` None) with an error."""
        error = {"code": code, "message": message}
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": error})

    # -- the session's life -------------------------------------------------------------
    @lsp_method(lsp.INITIALIZE)
    def lsp_initialize(
        self, params: lsp.InitializeParams
    ) -> Generator[Any, Any, lsp.InitializeResult]:
        """pygls' initialization, with a workspace of :class:`~kubelint.lsp.documents.Document`."""
        result = yield from super().lsp_initialize(params)
        self._workspace = Documents.like(self.workspace)
        return result

    @lsp_method(lsp.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        """End the session: status 0 after ``shutdown``, 1 without (as the protocol says)."""
        self.exit_code = 0 if self._shutdown else 1
        yield from ()  # a generator, as the handler it replaces
