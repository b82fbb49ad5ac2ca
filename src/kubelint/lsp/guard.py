"""One guard around every handler: a failure costs that one answer, never the session.

Whatever a handler raises (a position the analysis did not expect, a URI that names no
file, a bug), the client gets the empty answer (``null``) and the log one line; the
traceback follows at debug level (``kubelint lsp -v``), for a bug report.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

log = logging.getLogger("kubelint.lsp")

F = TypeVar("F", bound=Callable[..., Any])


def report(what: str, exc: BaseException) -> None:
    """Log a failure in one line (and its traceback at debug level)."""
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    log.warning("%s failed: %s", what, summary)
    log.debug("%s failed", what, exc_info=exc)


def guarded(what: str, handler: F) -> F:
    """``handler``, answering None when it raises (a coroutine function stays one)."""
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def guarded_coroutine(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except Exception as exc:
                report(what, exc)
                return None

        return cast(F, guarded_coroutine)

    @functools.wraps(handler)
    def guarded_function(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except Exception as exc:
            report(what, exc)
            return None

    return cast(F, guarded_function)
