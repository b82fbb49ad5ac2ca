"""Shared helpers for the kubelint test suite.

The suites drive the real command line in a subprocess (``python -m kubelint``) and read
its ``--output json`` report, so they test exactly what a user or CI job sees.

Two things live outside the repository and are optional: the peer test suites and the
corpus, in ``../shared`` next to the repository root (``KUBELINT_SHARED`` overrides the
location). Tests that need them skip with a clear reason when they are absent.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: Rule ids of the core checks (KL001..KL021). Later rules get KL030 and up; tests that
#: compare whole sets of findings filter on these so that a growing catalogue never
#: breaks them.
CORE_RULES = frozenset(f"KL{n:03d}" for n in range(1, 22))

#: Rule id -> slug (the ``name`` of a finding) of the core checks.
CORE_RULE_NAMES = {
    "KL001": "yaml-syntax",
    "KL002": "duplicate-key",
    "KL003": "yaml-implicit-type",
    "KL004": "missing-type-meta",
    "KL005": "unknown-api-version",
    "KL006": "unknown-kind",
    "KL007": "removed-api",
    "KL008": "unknown-field",
    "KL009": "invalid-type",
    "KL010": "missing-required-field",
    "KL011": "invalid-enum-value",
    "KL012": "invalid-quantity",
    "KL013": "invalid-name",
    "KL014": "invalid-label",
    "KL015": "invalid-annotation",
    "KL016": "invalid-data-key",
    "KL017": "invalid-value",
    "KL018": "missing-schema",
    "KL019": "exported-object",
    "KL020": "duplicate-object",
    "KL021": "helm-template",
}
assert set(CORE_RULE_NAMES) == CORE_RULES

SHARED_MISSING = "../shared not present: peer suites and corpus live outside the repository"

#: Seconds a single CLI run may take before the test fails (pathological inputs included).
DEFAULT_TIMEOUT = 60

TRACEBACK_MARK = "Traceback (most recent call last)"


def find_shared_dir() -> Path | None:
    """The shared data directory (peer suites, corpus), or None when absent.

    ``KUBELINT_SHARED`` wins; otherwise ``shared`` next to the repository root.
    Usable at collection time (for parametrisation), unlike the fixture.
    """
    override = os.environ.get("KUBELINT_SHARED")
    candidate = Path(override) if override else REPO_ROOT.parent / "shared"
    return candidate.resolve() if candidate.is_dir() else None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Path of ``../shared``; skips the test when it is not there."""
    found = find_shared_dir()
    if found is None:
        pytest.skip(SHARED_MISSING)
    return found


#: An app (ConfigMap, Deployment, Service), to make runs of many objects from (see
#: :func:`app`).
APP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-settings
data:
  LISTEN_ADDR: ":8080"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  selector:
    matchLabels:
      app: {label}
  template:
    metadata:
      labels:
        app: {label}
    spec:
      containers:
      - name: web
        image: nginx:1.27.2
        ports:
        - name: http
          containerPort: 8080
        envFrom:
        - configMapRef:
            name: {config}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {selects}
  ports:
  - name: http
    port: 80
    targetPort: {port}
"""


def app(
    name: str,
    label: str | None = None,
    selects: str | None = None,
    config: str | None = None,
    port: str = "http",
) -> str:
    """An app named ``name``: its pods labelled ``app: label``, its Service selecting
    ``app: selects``, its Deployment reading ConfigMap ``config`` (by default all right)."""
    label = label or name
    return APP.format(
        name=name,
        label=label,
        selects=selects or label,
        config=config or f"{name}-settings",
        port=port,
    )


class KubelintRun(tuple):  # type: ignore[type-arg]
    """``(exit_code, output)`` plus the raw streams.

    Unpacks as a pair (``code, out = run_kubelint(...)``); ``output`` is the parsed JSON
    report when the run asked for ``--output json`` and stdout parsed, else stdout text.
    ``stdout``, ``stderr`` and ``args`` stay available as attributes for diagnostics.
    """

    stdout: str
    stderr: str
    args: tuple[str, ...]

    def __new__(
        cls, code: int, output: Any, stdout: str, stderr: str, args: Sequence[str]
    ) -> KubelintRun:
        self = super().__new__(cls, (code, output))
        self.stdout = stdout
        self.stderr = stderr
        self.args = tuple(args)
        return self

    @property
    def code(self) -> int:
        return int(self[0])

    @property
    def output(self) -> Any:
        return self[1]

    @property
    def report(self) -> dict[str, Any]:
        """The JSON report; fails the test with the raw streams when there is none."""
        if not isinstance(self.output, dict):
            pytest.fail(f"no JSON report from kubelint {' '.join(self.args)}\n{self.describe()}")
        return self.output

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.report.get("findings", []))

    def describe(self, limit: int = 4000) -> str:
        """Exit code and both streams, shortened, for assertion messages."""
        return (
            f"exit code {self.code}\n--- stdout ---\n{self.stdout[:limit]}"
            f"\n--- stderr ---\n{self.stderr[:limit]}"
        )

    def has_traceback(self) -> bool:
        return TRACEBACK_MARK in self.stdout or TRACEBACK_MARK in self.stderr


def _subprocess_env(extra: dict[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    # Import the package from this checkout even when it is not installed in the venv.
    src = str(REPO_ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    env.setdefault("NO_COLOR", "1")
    env.pop("FORCE_COLOR", None)
    if extra:
        env.update(extra)
    return env


def run_kubelint(
    *args: str | os.PathLike[str],
    stdin: str | bytes | None = None,
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> KubelintRun:
    """Run ``python -m kubelint ARGS`` and return ``(exit_code, parsed_json_or_text)``.

    ``stdin`` is fed to the process (text is UTF-8 encoded); without it stdin is empty.
    A run that exceeds ``timeout`` seconds fails the test (it never hangs the suite).
    """
    argv = [str(a) for a in args]
    data: bytes
    if stdin is None:
        data = b""
    elif isinstance(stdin, str):
        data = stdin.encode("utf-8")
    else:
        data = stdin
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kubelint", *argv],
            input=data,
            capture_output=True,
            cwd=cwd,
            env=_subprocess_env(env),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"kubelint {' '.join(argv)} did not finish within {timeout} s")
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    output: Any = stdout
    if _wants_json(argv):
        try:
            output = json.loads(stdout)
        except ValueError:
            output = stdout
    return KubelintRun(proc.returncode, output, stdout, stderr, argv)


def _wants_json(argv: Sequence[str]) -> bool:
    for i, arg in enumerate(argv):
        if arg == "--output" and i + 1 < len(argv) and argv[i + 1] == "json":
            return True
        if arg == "--output=json":
            return True
    return False


def cached_run(
    tmp_path_factory: pytest.TempPathFactory, key: str, produce: Callable[[], KubelintRun]
) -> KubelintRun:
    """Run ``produce`` once per test session, even across pytest-xdist workers.

    Expensive CLI runs (the corpus, a peer suite) back module-scoped fixtures; under
    xdist every worker would otherwise repeat them. The result is stored next to the
    session's temporary directories, guarded by a file lock.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by all workers of this session
    store = root / f"kubelint-run-{key}.json"
    with open(root / f"kubelint-run-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if store.is_file():
            saved = json.loads(store.read_text(encoding="utf-8"))
            return KubelintRun(
                saved["code"], saved["output"], saved["stdout"], saved["stderr"], saved["args"]
            )
        run = produce()
        store.write_text(
            json.dumps(
                {
                    "code": run.code,
                    "output": run.output,
                    "stdout": run.stdout,
                    "stderr": run.stderr,
                    "args": list(run.args),
                }
            ),
            encoding="utf-8",
        )
        return run


# ---------------------------------------------------------------------------------------
# Looking at findings


def select(
    findings: Iterable[dict[str, Any]],
    *,
    path: str | None = None,
    rule: str | Iterable[str] | None = None,
    severity: str | None = None,
    line: int | None = None,
    lines: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Findings matching every given criterion.

    ``path`` matches the end of the finding's path on a path-component boundary
    (``03-job.yaml`` matches ``tests/fixtures/seeds/03-job.yaml``); ``lines`` is an
    inclusive range.
    """
    rules = {rule} if isinstance(rule, str) else (set(rule) if rule is not None else None)
    out = []
    for f in findings:
        if path is not None and not path_matches(f.get("path"), path):
            continue
        if rules is not None and f.get("rule") not in rules:
            continue
        if severity is not None and f.get("severity") != severity:
            continue
        if line is not None and f.get("line") != line:
            continue
        if lines is not None and not (lines[0] <= (f.get("line") or 0) <= lines[1]):
            continue
        out.append(f)
    return out


def path_matches(actual: str | None, wanted: str) -> bool:
    if actual is None:
        return False
    a = actual.replace("\\", "/")
    w = wanted.replace("\\", "/")
    return a == w or a.endswith("/" + w)


def errors(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f.get("severity") == "error"]


def show(findings: Iterable[dict[str, Any]]) -> str:
    """One finding per line, for assertion messages."""
    rows = [
        f"  {f.get('path')}:{f.get('line')}:{f.get('column')} {f.get('severity')} "
        f"{f.get('rule')}[{f.get('name')}] field={f.get('field')!r} "
        f"suggestion={f.get('suggestion')!r}: {f.get('message')}"
        for f in findings
    ]
    return "\n".join(rows) if rows else "  (no findings)"


_INDEX = re.compile(r"\[([^\]]*)\]")


def normalise_field(path: str | None) -> str | None:
    """A comparable object path.

    ``properties[spec]`` and ``labels["app.kubernetes.io/name"]`` become ``properties.spec``
    and ``labels.app.kubernetes.io/name``; list indexes stay as ``[0]``.
    """
    if path is None:
        return None

    def repl(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if inner.isdigit():
            return f"[{inner}]"
        return "." + inner.strip("\"'")

    out = _INDEX.sub(repl, path.strip())
    return out.lstrip(".")


def field_covers(reported: str | None, expected: str) -> bool:
    """True when a reported field is the expected one or lies below it.

    The API server reports some problems at a map (``metadata.labels``) where a linter can
    name the entry (``metadata.labels.owner``): both point at the same mistake.
    """
    r = normalise_field(reported)
    e = normalise_field(expected)
    if r is None or e is None:
        return False
    return r == e or r.startswith((e + ".", e + "["))


def parse_object_ref(ref: str | None) -> tuple[str, str, str | None, str | None] | None:
    """``apps/v1 Deployment default/web`` -> (apiVersion, kind, namespace, name)."""
    if not ref:
        return None
    parts = ref.split(" ", 2)
    if len(parts) < 2:
        return None
    api_version, kind = parts[0], parts[1]
    rest = parts[2] if len(parts) > 2 else ""
    if "/" in rest:
        ns, name = rest.split("/", 1)
        return api_version, kind, ns, name
    return api_version, kind, None, rest or None
