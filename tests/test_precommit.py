"""The pre-commit hook (``.pre-commit-hooks.yaml``) run by the real ``pre-commit``.

``pre-commit try-repo`` clones this repository (with its uncommitted changes), builds the
hook's virtual environment by installing kubelint from that clone with pip (so it needs
PyPI, as any pre-commit user does), and runs the hook on the files of a throw-away git
repository: exit 1 naming the bad manifest when there is one, exit 0 when all are good.
Each run builds its own environment (try-repo keeps its store in a temporary directory,
whatever ``PRE_COMMIT_HOME`` says): about 45 s of CPU each, nearly all of it pip; the
second run finds the downloads in pip's cache. Bytecode compilation is switched off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

GOOD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
"""

BAD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-typo
  lables:
    app: web
data:
  mode: fast
"""

PRE_COMMIT = (sys.executable, "-m", "pre_commit")

#: Seconds for one try-repo run: cloning, a fresh venv, pip installing kubelint, the hook.
TIMEOUT = 300

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(
        not (REPO_ROOT / ".git").exists(),
        reason="not a git checkout: pre-commit try-repo needs this repository's history",
    ),
]


def _environment(home: Path) -> dict[str, str]:
    """The environment of the pre-commit run: a private store, no inherited git state."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    env["NO_COLOR"] = "1"
    env["PIP_NO_COMPILE"] = "1"  # the hook's venv needs no .pyc files up front: saves CPU time
    env["PIP_PROGRESS_BAR"] = "off"
    env.pop("PYTHONPATH", None)  # the hook must run the kubelint that pre-commit installed
    env.pop("VIRTUAL_ENV", None)
    return env


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    try:
        import pre_commit  # noqa: F401
    except ModuleNotFoundError:
        pytest.fail("pre-commit is a test dependency: pip install -e .[test]")
    try:
        return subprocess.run(
            [*PRE_COMMIT, "try-repo", str(REPO_ROOT), "kubelint", "--all-files"],
            cwd=project,
            env=_environment(home),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pre-commit try-repo did not finish within {TIMEOUT} s")


def _describe(proc: subprocess.CompletedProcess[str]) -> str:
    return (
        f"exit code {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository with a good and a bad manifest (both tracked)."""
    root = tmp_path / "project"
    (root / "k8s").mkdir(parents=True)
    (root / "k8s" / "good.yaml").write_text(GOOD, encoding="utf-8")
    (root / "k8s" / "bad.yaml").write_text(BAD, encoding="utf-8")
    (root / "README.md").write_text("not YAML: the hook's `types: [yaml]` skips it\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    return root


def test_hook_fails_on_the_bad_manifest_and_passes_without_it(
    project: Path, tmp_path: Path
) -> None:
    home = tmp_path / "pre-commit-home"
    failed = _try_repo(project, home)
    assert failed.returncode == 1, _describe(failed)
    assert "k8s/bad.yaml" in failed.stdout, _describe(failed)
    assert "unknown field" in failed.stdout, _describe(failed)
    assert "k8s/good.yaml:" not in failed.stdout, _describe(failed)

    _git(project, "rm", "-q", "-f", "k8s/bad.yaml")
    passed = _try_repo(project, home)
    assert passed.returncode == 0, _describe(passed)
    assert "Passed" in passed.stdout, _describe(passed)
