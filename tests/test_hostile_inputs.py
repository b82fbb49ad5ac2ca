"""No traceback, ever: each hostile input becomes a finding or a usage error (exit 2).

Every case runs the real command line on the reproduction under ``../shared/repros/fuzz``
(skipped when that directory is absent) and on a copy of its own under
``tests/fixtures/hostile``. Permission cases run as an unprivileged process: as root,
through ``setpriv`` with the capabilities that bypass file permissions dropped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO_ROOT, KubelintRun, run_kubelint, select

HOSTILE = FIXTURES / "hostile"
FORMATS = ["human", "json", "sarif", "junit", "github"]
DROP_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def _repro(shared_dir: Path, *parts: str) -> Path:
    path = shared_dir.joinpath("repros", "fuzz", *parts)
    if not path.exists():
        pytest.skip(f"{path} is not in this copy of ../shared")
    return path


def _clean(run: KubelintRun) -> KubelintRun:
    assert not run.has_traceback(), run.describe()
    assert "KL029" not in run.stdout, run.describe()
    return run


def _check(*args: str | Path, cwd: Path | None = None) -> KubelintRun:
    return _clean(run_kubelint("check", "--output", "json", *args, cwd=cwd))


def _environment(**extra: str) -> dict[str, str]:
    """The environment of a subprocess, without any setting of the output encoding."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG")}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO_ROOT / "src"), env.get("PYTHONPATH")])
    )
    env["NO_COLOR"] = "1"
    return {**env, **extra}


def _unprivileged(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run kubelint without the power to ignore file permissions."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv (util-linux): permissions cannot bite")
        prefix = DROP_DAC
    return subprocess.run(
        [*prefix, sys.executable, "-m", "kubelint", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_environment(PYTHONIOENCODING="utf-8"),
        timeout=120,
        check=False,
    )


# -- .gitignore with patterns git cannot match --------------------------------------------


def _gitignore_fixture(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(HOSTILE / "gitignore-bad-patterns", tmp_path / ".gitignore")
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "cm.yaml")
    return tmp_path


@pytest.mark.parametrize("repo", ["repo", "repo2"])
def test_gitignore_bad_pattern_repro(shared_dir: Path, repo: str) -> None:
    run = _check(_repro(shared_dir, "gitignore-bad-pattern-crash", repo))
    assert run.code == 0
    assert run.report["summary"]["files"] == 1


def test_gitignore_bad_patterns(tmp_path: Path) -> None:
    run = _check(_gitignore_fixture(tmp_path))
    assert run.code == 1
    assert [f["rule"] for f in run.findings] == ["KL014"]


# -- a directory symlink loop ------------------------------------------------------------


def test_symlink_loop_repro(shared_dir: Path, tmp_path: Path) -> None:
    script = _repro(shared_dir, "symlink-loop-crash", "make.sh")
    subprocess.run(["sh", str(script)], cwd=tmp_path, check=True)
    run = _check("tree", cwd=tmp_path)
    assert (run.code, run.report["summary"]["files"]) == (0, 1)


def test_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "tree" / "a" / "b").mkdir(parents=True)
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "tree" / "a" / "b" / "cm.yaml")
    (tmp_path / "tree" / "a" / "b" / "top").symlink_to("../..")
    (tmp_path / "tree" / "a" / "up").symlink_to("..")
    (tmp_path / "tree" / "self").symlink_to("self")
    run = _check("tree", cwd=tmp_path)
    assert (run.code, run.report["summary"]["files"]) == (1, 1)


# -- paths that cannot be examined: usage errors ------------------------------------------


@pytest.mark.parametrize("command", ["check", "apply"])
def test_name_too_long_is_a_usage_error(command: str) -> None:
    run = _clean(run_kubelint(command, "a" * 5000))
    assert run.code == 2
    assert "(5000 characters): File name too long" in run.stderr


@pytest.mark.parametrize("command", ["check", "apply"])
def test_unreadable_path_is_a_usage_error(tmp_path: Path, command: str) -> None:
    (tmp_path / "d").mkdir()
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "d" / "x.yaml")
    (tmp_path / "d").chmod(0)
    try:
        done = _unprivileged(command, "d/x.yaml", cwd=tmp_path)
    finally:
        (tmp_path / "d").chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert "d/x.yaml: Permission denied" in done.stderr
    assert "Traceback" not in done.stderr


def test_unreadable_folder_of_a_walk_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "d" / "sub" / "cm.yaml")
    (tmp_path / "d" / "sub").chmod(0)
    try:
        done = _unprivileged("check", "-o", "json", "d", cwd=tmp_path)
    finally:
        (tmp_path / "d" / "sub").chmod(0o755)
    assert done.returncode == 1, done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert (finding["path"], finding["rule"]) == ("d/sub", "KL001")
    assert finding["message"] == "cannot read the folder: Permission denied"


# -- configuration files that are not UTF-8 -----------------------------------------------


@pytest.mark.parametrize(("case", "config"), [("a", ".kubelint.yaml"), ("b", "pyproject.toml")])
def test_config_not_utf8_repro(shared_dir: Path, case: str, config: str) -> None:
    folder = _repro(shared_dir, "config-not-utf8-crash", case)
    run = _clean(run_kubelint("check", folder))
    assert run.code == 2
    assert f"{folder / config}" in run.stderr


@pytest.mark.parametrize(
    ("fixture", "config"),
    [("kubelint-not-utf8.conf", ".kubelint.yaml"), ("pyproject-utf16.toml", "pyproject.toml")],
)
def test_config_not_utf8(tmp_path: Path, fixture: str, config: str) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(HOSTILE / fixture, tmp_path / config)
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "sub" / "cm.yaml")
    run = _clean(run_kubelint("check", "sub/cm.yaml", cwd=tmp_path))
    assert run.code == 2
    assert f"{tmp_path / config}" in run.stderr
    assert "not UTF-8" in run.stderr


def test_rule_option_of_the_wrong_type_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(HOSTILE / "kubelint-option-wrong-type.conf", tmp_path / ".kubelint.yaml")
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "cm.yaml")
    run = _clean(run_kubelint("check", "cm.yaml", cwd=tmp_path))
    assert run.code == 2
    assert "options.capabilities-added.allowed: expected a list of strings, got 5" in run.stderr


# -- a 4,301-digit integer ------------------------------------------------------------------


def test_huge_int_repro(shared_dir: Path) -> None:
    run = _check(_repro(shared_dir, "huge-int-internal-error", "big-int.yaml"))
    assert [(f["rule"], f["line"]) for f in run.findings] == [("KL014", 6)]
    assert run.report["summary"]["objects"] == 1


def test_huge_int() -> None:
    run = _check(HOSTILE / "big-int.yaml")
    assert [(f["rule"], f["line"]) for f in run.findings] == [("KL014", 15)]
    assert run.report["summary"]["objects"] == 2


# -- values of the wrong type ---------------------------------------------------------------


def test_wrong_types_repro(shared_dir: Path) -> None:
    run = _check(_repro(shared_dir, "rule-crashes-on-wrong-types"))
    assert select(run.findings, path="crd-versions.yaml", rule="KL013", line=14)
    assert select(run.findings, path="ingress.yaml", rule="KL009")
    assert select(run.findings, path="probe-port.yaml", rule="KL009")


def test_wrong_types() -> None:
    run = _check("--select", "KL", HOSTILE / "wrong-types")  # every rule, even those off
    assert select(run.findings, path="crd-versions.yaml", rule="KL013", line=14)
    assert len(select(run.findings, path="ingress.yaml", rule="KL009")) == 2
    assert len(select(run.findings, path="probe-port.yaml", rule="KL009")) == 2


# -- bytes that are not UTF-8, and control characters, in every output format --------------


def _outputs(path: Path, cwd: Path | None = None) -> dict[tuple[str, str], bytes]:
    """stdout of every format under a UTF-8 stdout, the C locale and the default."""
    found: dict[tuple[str, str], bytes] = {}
    settings = {"utf-8": {"PYTHONIOENCODING": "utf-8"}, "C": {"LC_ALL": "C"}, "default": {}}
    for name, extra in settings.items():
        for output in FORMATS:
            done = subprocess.run(
                [sys.executable, "-m", "kubelint", "check", "-o", output, str(path)],
                capture_output=True,
                cwd=cwd,
                env=_environment(**extra),
                timeout=120,
                check=False,
            )
            assert done.returncode == 1, done.stderr
            assert b"Traceback" not in done.stderr, done.stderr
            found[(name, output)] = done.stdout
    return found


def _assert_valid(
    outputs: dict[tuple[str, str], bytes], escaped: str, sarif: str | None = None
) -> None:
    for (setting, output), data in outputs.items():
        text = data.decode("utf-8")  # strict: fails on any byte that is not UTF-8
        assert (sarif if sarif and output == "sarif" else escaped) in text, (setting, output)
        if output in ("json", "sarif"):
            json.loads(text)
        if output == "junit":
            ET.fromstring(data)


def test_binary_output_repro(shared_dir: Path) -> None:
    outputs = _outputs(_repro(shared_dir, "binary-nonutf8-output", "binkind.yaml"))
    _assert_valid(outputs, "\\xff")
    message = json.loads(outputs[("C", "json")])["findings"][0]["message"]
    assert message == 'kind "\\xff" does not exist in v1'


def test_binary_and_control_characters_in_every_format() -> None:
    outputs = _outputs(HOSTILE / "binary.yaml")
    _assert_valid(outputs, "\\xff")
    for output in ("human", "github"):
        text = outputs[("utf-8", output)].decode("utf-8")
        for char in ("\x1b", "\u202e", "\x85"):
            assert char not in text, output
        assert "\\x1b[31mred\\u202e\\x85" in text, text


def test_undecodable_file_name_in_every_format(tmp_path: Path) -> None:
    shutil.copy(HOSTILE / "cm.yaml", os.fsencode(tmp_path) + b"/\xff.yaml")
    _assert_valid(_outputs(Path("."), cwd=tmp_path), "\\xff", sarif='"uri": "%FF.yaml"')


# -- paths that are no regular files ---------------------------------------------------------


def test_dev_stdin_is_read_as_standard_input() -> None:
    run = _clean(
        run_kubelint(
            "check", "--output", "json", "/dev/stdin", stdin=(HOSTILE / "cm.yaml").read_bytes()
        )
    )
    assert [(f["path"], f["rule"]) for f in run.findings] == [("/dev/stdin", "KL014")]


def test_a_device_is_no_regular_file() -> None:
    run = _clean(run_kubelint("check", "/dev/null"))
    assert run.code == 2
    assert "/dev/null: not a regular file (a character device)" in run.stderr


def test_a_pipe_is_checked_like_standard_input(tmp_path: Path) -> None:
    """``kubelint check <(helm template ...)``: the path is a pipe, read once."""
    manifest = (HOSTILE / "cm.yaml").read_bytes()
    script = (
        "import subprocess, sys\n"
        "with subprocess.Popen(['cat'], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as cat:\n"
        "    cat.stdin.write(sys.stdin.buffer.read()); cat.stdin.close()\n"
        "    path = f'/dev/fd/{cat.stdout.fileno()}'\n"
        "    done = subprocess.run([sys.executable, '-m', 'kubelint', 'check', '-o', 'json',\n"
        "                           path, '-'], pass_fds=[cat.stdout.fileno()],\n"
        "                          stdin=subprocess.DEVNULL, capture_output=True, text=True)\n"
        "print(done.stdout); sys.stderr.write(done.stderr); sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=manifest,
        capture_output=True,
        env=_environment(),
        timeout=60,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert {f["rule"] for f in findings if f["path"].startswith("/dev/fd/")} == {"KL014"}


def test_a_fifo_is_read_once_and_a_walk_skips_fifos(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.yaml")
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "cm.yaml")
    writer = subprocess.Popen(["sh", "-c", "cat cm.yaml > f.yaml"], cwd=tmp_path)
    run = _clean(run_kubelint("check", "--output", "json", "f.yaml", cwd=tmp_path, timeout=60))
    writer.wait(10)
    assert [(f["path"], f["rule"]) for f in run.findings] == [("f.yaml", "KL014")]
    # in a walk, a FIFO is never opened (no writer would come): skipped with a note
    run = _clean(run_kubelint("check", "--output", "json", ".", cwd=tmp_path, timeout=60))
    assert run.code == 1
    assert [(f["path"], f["rule"]) for f in run.findings] == [("./cm.yaml", "KL014")]
    assert json.loads(run.stdout)["summary"]["skipped"] == {"not-a-regular-file": 1}
    assert "./f.yaml: skipped: not a regular file (a named pipe)" in run.stderr


def test_standard_input_has_excerpts_and_outlives_fix(tmp_path: Path) -> None:
    manifest = (HOSTILE / "cm.yaml").read_bytes()
    run = _clean(run_kubelint("check", "-", stdin=manifest))
    lines = run.stdout.splitlines()
    assert lines[1].startswith("-:7:5: error KL014 invalid-label: ")
    assert lines[2] == "    7 |     Bad Label: x"
    # --fix reads the other files again; standard input was read once, and is kept
    shutil.copy(REPO_ROOT / "examples" / "broken-job.yaml", tmp_path / "job.yaml")
    run = _clean(
        run_kubelint(
            "check", "--fix", "--output", "json", "-", "job.yaml", cwd=tmp_path, stdin=manifest
        )
    )
    assert ("-", "KL014") in [(f["path"], f["rule"]) for f in run.findings]
    assert "kind: Job" in (tmp_path / "job.yaml").read_text()


# -- an unexpected exception: one line, exit 3 -------------------------------------------------

_FAULT = """
import click, sys
def boom(self, ctx):
    raise RuntimeError("boom")
click.Command.invoke = boom
sys.argv = ["kubelint", *sys.argv[1:]]
from kubelint.entry import main
main()
"""

COMMANDS = [["check", "x.yaml"], ["rules"], ["explain", "KL001"], ["apply", "x.yaml"], ["lsp"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_an_unexpected_exception_is_one_line_and_exit_3(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FAULT, *args],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 3
    assert done.stderr == (
        "kubelint: internal error: RuntimeError('boom') (a bug in kubelint; run again "
        "with KUBELINT_DEBUG=1 to see the traceback)\n"
    )


_FILE_FAULT = """
import sys
import time
import kubelint.run.files as files
real = files.load_text
def load_text(text, *args):
    if "boom" in text:
        raise RuntimeError("boom")
    return real(text, *args)
files.load_text = load_text
sys.argv = ["kubelint", *sys.argv[1:]]
from kubelint.entry import main
main()
"""


def test_a_bug_that_costs_one_file_exits_3_after_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Jon\nmetadata: {name: boom}\n")
    (tmp_path / "b.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: B}\n")
    done = subprocess.run(
        [sys.executable, "-c", _FILE_FAULT, "check", "--output", "json", "."],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    found = [(f["path"], f["rule"]) for f in json.loads(done.stdout)["findings"]]
    assert ("./a.yaml", "KL029") in found
    assert ("./b.yaml", "KL013") in found  # the other file was still checked


def test_the_traceback_is_shown_on_request() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FAULT, "rules"],
        capture_output=True,
        text=True,
        env=_environment(KUBELINT_DEBUG="1"),
        timeout=60,
        check=False,
    )
    assert done.returncode == 3
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.endswith("to see the traceback)\n")


def test_a_reader_that_goes_away_is_no_internal_error(tmp_path: Path) -> None:
    many = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  labels:\n"
        f"    Bad Label: x\n"
        for i in range(3000)
    )
    (tmp_path / "many.yaml").write_text(many, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "kubelint", "check", "-o", "json", "many.yaml"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=_environment(),
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 1
    assert stderr == ""


def test_an_unreadable_rules_folder_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "cm.yaml")
    (tmp_path / "rules").mkdir(mode=0)
    try:
        done = _unprivileged("check", "--rules", "rules", "cm.yaml", cwd=tmp_path)
    finally:
        (tmp_path / "rules").chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert "rules: cannot read the folder: Permission denied" in done.stderr


# -- kubelint apply on values JSON cannot hold, and on live lists of non-objects ----------------


@pytest.mark.parametrize("name", ["nan.yaml", "nan-annotation.yaml"])
def test_apply_nan_repro(shared_dir: Path, name: str) -> None:
    manifest = _repro(shared_dir, "apply-nan-value-crash", name)
    for output in ("human", "json"):
        run = run_kubelint("apply", "--output", output, manifest)
        assert not run.has_traceback(), run.describe()
        assert run.code == 1, run.describe()
        said = run.stdout + run.stderr
        assert "error converting YAML to JSON: json: unsupported value: NaN" in said
        assert f"{manifest}:" in said  # located in the file


@pytest.mark.parametrize("live_item", ["1", "[a]", "x", "null", "true"])
@pytest.mark.parametrize("mode", [[], ["--server-side"]], ids=["client", "server"])
def test_apply_live_list_of_non_objects_repro(
    shared_dir: Path, tmp_path: Path, live_item: str, mode: list[str]
) -> None:
    case = _repro(shared_dir, "apply-list-nonobject-item-crash")
    live = tmp_path / "live.yaml"
    live.write_text(
        (case / "live.yaml").read_text(encoding="utf-8").replace("- 1", f"- {live_item}")
    )
    run = run_kubelint("apply", *mode, "--live", live, case / "cm.yaml")
    assert not run.has_traceback(), run.describe()
    assert f"{live}:4:3: a live object must be a mapping" in run.stdout + run.stderr
    assert "would be created" in run.stdout  # the manifest is still simulated


def test_no_file_a_run_reads_can_block_it(tmp_path: Path) -> None:
    """A FIFO (no writer will come) or a device where kubelint reads a file of its own
    accord: the run goes on, or it is a usage error naming the file; it never waits."""
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "cm.yaml")
    os.mkfifo(tmp_path / "kustomization.yaml")
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / ".gitignore")
    run = _clean(run_kubelint("check", "--output", "json", ".", cwd=tmp_path, timeout=60))
    assert [(f["path"], f["rule"]) for f in run.findings] == [("./cm.yaml", "KL014")]
    (tmp_path / "rules").mkdir()
    os.mkfifo(tmp_path / "rules" / "mine.yaml")
    run = _clean(run_kubelint("check", "--rules", "rules", "cm.yaml", cwd=tmp_path, timeout=60))
    assert run.code == 2
    assert "rules/mine.yaml: not a regular file (a named pipe)" in run.stderr
    run = _clean(run_kubelint("check", "--config", "/dev/zero", "cm.yaml", cwd=tmp_path))
    assert run.code == 2
    assert "/dev/zero: not a regular file (a character device)" in run.stderr


def test_a_configuration_given_as_a_pipe_is_read(tmp_path: Path) -> None:
    """``--config <(...)``: a pipe the user names is read to its end."""
    shutil.copy(HOSTILE / "cm.yaml", tmp_path / "cm.yaml")
    os.mkfifo(tmp_path / "config.yaml")
    writer = subprocess.Popen(
        ["sh", "-c", "printf 'ignore: [KL014]\\n' > config.yaml"], cwd=tmp_path
    )
    run = _clean(
        run_kubelint(
            "check", "--output", "json", "--config", "config.yaml", "cm.yaml", cwd=tmp_path
        )
    )
    writer.wait(10)
    assert run.code == 0
    assert run.findings == []


# -- lists of rule names that the checked files write --------------------------------------


def _containers(count: int) -> str:
    first = "      - name: c\n        image: nginx\n        imagePullPolicy: always\n"
    return first + "\n".join(f"      - name: c{i}\n        image: nginx" for i in range(count))


def test_long_suppression_lists_cost_no_time_per_finding(tmp_path: Path) -> None:
    """A comment, an annotation or a configuration listing 30,000 entries: each finding
    was matched against every entry (a 400 KB file took minutes)."""
    junk = ",".join(f"x{i}" for i in range(30_000))
    (tmp_path / ".kubelint.yaml").write_text(
        "per-file-ignores:\n" + "".join(f"  'p{i}/*': [KL030]\n" for i in range(3_000)),
        encoding="utf-8",
    )
    (tmp_path / "d.yaml").write_text(
        f"# kubelint: disable-file={junk},KL04\n"
        "apiVersion: apps/v1\nkind: Deployment\n"
        f"metadata:\n  name: d\n  annotations:\n    kubelint.io/ignore: {junk},KL03\n"
        "spec:\n  selector: {matchLabels: {a: b}}\n  template:\n"
        "    metadata: {labels: {a: b}}\n    spec:\n      containers:\n" + _containers(300) + "\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    run = _check("d.yaml", cwd=tmp_path)
    assert time.perf_counter() - started < 30
    assert [f["rule"] for f in run.findings] == ["KL011"]  # KL03*, KL04* are suppressed
    assert json.loads(run.stdout)["summary"]["suppressed"] > 2_000
