"""Benchmark kubelint against its floor and its peers, all measured in the same run.

usage: python bench/run.py [--corpus DIR] [--repeat N] [--quick] [--kubelint CMD]

Every measured run is a fresh subprocess, so interpreter start-up and imports are counted.
Wall time is the best of N runs; peak RSS is the worst of them. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

try:
    import psutil
except ImportError:  # optional: without it peak RSS is the largest single process
    psutil = None

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import floor  # noqa: E402  (bench/ is not a package; it needs the path set above)

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
ONE_FILE_CANDIDATES = (
    REPO_ROOT.parent / "shared" / "seeds" / "manifests" / "01-nginx-deployment.yaml",
)
RESULTS_FILE = BENCH_DIR / "results" / "latest.json"
PYTHON = sys.executable

KV_SAMPLE_SEED = 20251126
KV_PILOT_SHARE = 0.05
KV_PILOT_MIN_FILES = 60
KV_FULL_RUN_BUDGET_S = 180.0
STARTUP_REPEAT = 10
CORPUS_TIMEOUT_S = 900.0
STARTUP_TIMEOUT_S = 60.0
BUSY_PRESSURE = 0.2  # median CPU pressure above which the report warns

TARGET_KUBELINT_OVER_FLOOR = 2.5
TARGET_VERSION_OVER_PYTHON = 6.0
TARGET_ONE_FILE_OVER_PYTHON = 12.0
TARGET_PEAK_RSS_MB = 200.0


# --------------------------------------------------------------------------- measuring one run


@dataclass
class Run:
    """One finished subprocess: its wall time, memory, exit code and output."""

    wall_s: float
    cpu_s: float  # user + system CPU time of the tree (not inflated by waiting for a CPU)
    maxrss_mb: float  # largest single process of the tree (wait4's ru_maxrss)
    tree_rss_mb: float | None  # largest sum of RSS over the tree, sampled (psutil), if available
    tree_pss_mb: float | None  # the same with PSS: pages shared between workers counted once
    cpu_pressure: float | None  # share of the run's wall time some task waited for a CPU (PSI)
    returncode: int
    timed_out: bool
    stdout: bytes = field(repr=False)
    stderr: bytes = field(repr=False)

    @property
    def peak_rss_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_rss_mb or 0.0)


class TreeSampler(threading.Thread):
    """Samples, every 20 ms, the summed RSS and PSS of the descendants of a process (not itself).

    A sum of RSS counts pages that forked workers share once per worker; PSS divides them.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_bytes = 0
        self.peak_pss_bytes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        assert psutil is not None
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                total = total_pss = 0
                for proc in root.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        info = proc.memory_full_info()
                        total += info.rss
                        total_pss += getattr(info, "pss", info.rss)
            except psutil.Error:
                return
            self.peak_bytes = max(self.peak_bytes, total)
            self.peak_pss_bytes = max(self.peak_pss_bytes, total_pss)
            self.stop.wait(0.02)


def cpu_pressure_us() -> int | None:
    """Linux PSI: total microseconds in which some task waited for a CPU (None if unknown)."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    fields = dict(item.split("=", 1) for item in first.split()[1:])
    return int(fields["total"]) if "total" in fields else None


def run_once(
    cmd: Sequence[str],
    *,
    timeout: float,
    sample_tree: bool = False,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``cmd`` once through bench/rusage_child.py; measure its wall time, CPU and peak RSS.

    The helper runs in a new session, so a time-out kills the whole tree. Raises OSError when
    the command cannot be started.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rusage") as result,
    ):
        helper = [PYTHON, "-S", "-I", str(BENCH_DIR / "rusage_child.py"), result.name, *cmd]
        proc = subprocess.Popen(
            helper,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
            env=env,
        )
        fired = threading.Event()

        def kill_tree() -> None:
            fired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        pressure_start = cpu_pressure_us()
        killer = threading.Timer(timeout, kill_tree)
        killer.start()
        sampler = TreeSampler(proc.pid) if sample_tree and psutil is not None else None
        if sampler:
            sampler.start()
        try:
            proc.wait()
        except BaseException:
            kill_tree()
            raise
        finally:
            killer.cancel()
            if sampler:
                sampler.stop.set()
                sampler.join()
        pressure_end = cpu_pressure_us()
        fields = result.read().split()
        out.seek(0)
        err.seek(0)
        if fired.is_set() or not fields:
            return Run(0.0, 0.0, 0.0, None, None, None, -9, True, out.read(), err.read())
        if fields[0] == "error":
            raise OSError(" ".join(fields[1:]))
        wall, maxrss_kib, utime, stime, code = fields
        pressure = None
        if pressure_start is not None and pressure_end is not None and float(wall) > 0:
            pressure = min(1.0, (pressure_end - pressure_start) / 1e6 / float(wall))
        return Run(
            wall_s=float(wall),
            cpu_s=float(utime) + float(stime),
            maxrss_mb=int(maxrss_kib) * 1024 / 1e6,
            tree_rss_mb=sampler.peak_bytes / 1e6 if sampler else None,
            tree_pss_mb=sampler.peak_pss_bytes / 1e6 if sampler else None,
            cpu_pressure=pressure,
            returncode=int(code),
            timed_out=False,
            stdout=out.read(),
            stderr=err.read(),
        )


# --------------------------------------------------------------------------- measurements


@dataclass
class Measurement:
    """A measured command: best wall time and worst peak RSS over its runs, or why it has none."""

    name: str
    command: list[str]
    status: str = "ok"  # ok | not installed | failed | timed out | skipped
    detail: str = ""
    runs: list[Run] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    timeout: float = CORPUS_TIMEOUT_S
    ok_codes: tuple[int, ...] = (0,)
    sample_tree: bool = False  # sample the tree's summed RSS (only for runs of a second or more)
    env: dict[str, str] | None = None  # None: this process's environment

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.runs)

    @property
    def wall_s(self) -> float | None:
        return min(run.wall_s for run in self.runs) if self.ok else None

    @property
    def cpu_s(self) -> float | None:
        return min(run.cpu_s for run in self.runs) if self.ok else None

    @property
    def peak_rss_mb(self) -> float | None:
        return max(run.peak_rss_mb for run in self.runs) if self.ok else None

    @property
    def peak_pss_mb(self) -> float | None:
        """Peak of the tree's summed PSS (sampled), when sampled."""
        values = [run.tree_pss_mb for run in self.runs if run.tree_pss_mb is not None]
        return max(values) if self.ok and values else None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": self.command,
            "status": self.status,
            "detail": self.detail,
            "wall_s": self.wall_s,
            "cpu_s": self.cpu_s,
            "peak_rss_mb": self.peak_rss_mb,
            "peak_pss_mb": self.peak_pss_mb,
            "runs": [
                {k: v for k, v in asdict(run).items() if k not in ("stdout", "stderr")}
                for run in self.runs
            ],
            "facts": self.facts,
        }


def progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def tail(data: bytes, lines: int = 6) -> str:
    return "\n".join(data.decode("utf-8", "replace").strip().splitlines()[-lines:])


def run_into(m: Measurement) -> None:
    """Run ``m`` once more; a failure or time-out ends it with that status."""
    try:
        run = run_once(m.command, timeout=m.timeout, sample_tree=m.sample_tree, env=m.env)
    except OSError as exc:  # the program is not there or cannot be started
        m.status, m.detail = "not installed", str(exc)
        return
    if run.timed_out:
        m.status, m.detail = "timed out", f"killed after {m.timeout:.0f} s"
    elif run.returncode not in m.ok_codes:
        m.status = "failed"
        m.detail = f"exit {run.returncode}: {tail(run.stderr) or tail(run.stdout)}"
    else:
        m.runs.append(run)


def measure_rounds(measurements: Sequence[Measurement], repeat: int) -> None:
    """Run every measurement ``repeat`` times in rounds (A B C A B C ...).

    Interleaving makes a slow spell of a shared machine hit each command alike instead of
    spoiling all runs of one of them, which would skew the ratios.
    """
    for i in range(repeat):
        for m in measurements:
            if m.status != "ok":
                continue
            run_into(m)
            if m.ok and m.runs[-1].wall_s > 1.0:
                progress(f"{m.name}: run {i + 1}/{repeat} {m.runs[-1].wall_s:.2f} s")


# --------------------------------------------------------------------------- the corpus


@dataclass
class CorpusFile:
    path: Path
    size: int
    documents: int  # non-empty documents; 0 when it does not parse
    parses: bool


def inventory(corpus: Path) -> list[CorpusFile]:
    """The files the floor reads, with sizes and document counts (not measured)."""
    files = []
    for path in floor.corpus_files(corpus):
        docs = floor.load_documents(path)
        count = sum(doc is not None for doc in docs) if docs is not None else 0
        files.append(CorpusFile(path, path.stat().st_size, count, docs is not None))
    return files


# --------------------------------------------------------------------------- kubelint


@dataclass
class Launcher:
    """How to start kubelint, and how that was found (shown in the report)."""

    command: list[str]
    how: str
    env: dict[str, str] | None = None


def kubelint_launcher(override: str | None) -> Launcher | None:
    """An explicit command, the venv's script, PATH, ``-m``, or this repository's source tree."""
    if override:
        return Launcher(shlex.split(override), "given with --kubelint")
    beside = Path(PYTHON).parent / "kubelint"
    if beside.is_file():
        return Launcher([str(beside)], "the script installed beside this python")
    on_path = shutil.which("kubelint")
    if on_path:
        return Launcher([on_path], "the script found on PATH")
    with contextlib.suppress(ImportError, ValueError):
        if importlib.util.find_spec("kubelint.__main__") is not None:
            return Launcher([PYTHON, "-m", "kubelint"], "the installed module")
    src = REPO_ROOT / "src"
    if (src / "kubelint" / "__main__.py").is_file():
        path = os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))
        return Launcher(
            [PYTHON, "-m", "kubelint"],
            "NOT INSTALLED: run from this repository's source tree with PYTHONPATH=src",
            {**os.environ, "PYTHONPATH": path},
        )
    return None


def compile_bytecode(launcher: Launcher | None) -> str:
    """Compile kubelint's modules to bytecode before anything is measured, as ``pip
    install`` does: with ``PYTHONDONTWRITEBYTECODE`` set, an editable install would
    otherwise compile every module on every run, and start-up would measure the compiler.
    Returns the line the report says about it."""
    code = (
        "import compileall, os, kubelint\n"
        "ok = compileall.compile_dir(os.path.dirname(kubelint.__file__), quiet=1)\n"
        "raise SystemExit(0 if ok else 1)\n"
    )
    env = launcher.env if launcher is not None and launcher.env else None
    done = subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, check=False)
    if done.returncode != 0:
        return "bytecode: kubelint's modules could not all be compiled before measuring"
    return "bytecode: kubelint's modules compiled before measuring, as pip does on install"


def summarize_kubelint_json(stdout: bytes) -> dict[str, Any]:
    """Documents and findings from ``--output json`` (a summary object, or a bare list)."""
    data = json.loads(stdout)
    facts: dict[str, Any] = {}
    findings: Any = None
    if isinstance(data, list):
        findings = data
    elif isinstance(data, dict):
        findings = data.get("findings")
        summary = data.get("summary")
        if isinstance(summary, dict):
            facts.update({k: v for k, v in summary.items() if isinstance(v, int | float | str)})
        for key in ("files", "documents"):
            if key not in facts and isinstance(data.get(key), int):
                facts[key] = data[key]
    if isinstance(findings, list):
        facts.setdefault("findings", len(findings))
        by_severity: dict[str, int] = {}
        for item in findings:
            if isinstance(item, dict):
                severity = str(item.get("severity", "?"))
                by_severity[severity] = by_severity.get(severity, 0) + 1
        facts["findings_by_severity"] = by_severity
    return facts


def kubelint_version(launcher: Launcher | None) -> tuple[str | None, str]:
    """``kubelint --version`` once, unmeasured: (version, why not) to tell if it is there."""
    if launcher is None:
        return None, "no kubelint script beside this python, on PATH, or as a module"
    try:
        done = subprocess.run(
            [*launcher.command, "--version"],
            capture_output=True,
            timeout=STARTUP_TIMEOUT_S,
            check=False,
            env=launcher.env,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if done.returncode != 0:
        return None, f"exit {done.returncode}: {tail(done.stderr) or tail(done.stdout)}"
    return done.stdout.decode("utf-8", "replace").strip(), ""


def add_kubelint_facts(result: Measurement) -> None:
    """Documents and findings of the last corpus run, from its JSON output."""
    if not result.ok:
        return
    last = result.runs[-1]
    result.facts["exit_code"] = last.returncode
    try:
        result.facts.update(summarize_kubelint_json(last.stdout))
    except (ValueError, UnicodeDecodeError) as exc:
        result.status, result.detail = "failed", f"output is not JSON: {exc}"
    if last.stderr.strip():
        result.facts["stderr_tail"] = tail(last.stderr)


# --------------------------------------------------------------------------- kubernetes-validate


def kv_installed() -> str | None:
    """The installed kubernetes-validate version, or None."""
    if importlib.util.find_spec("kubernetes_validate") is None:
        return None
    try:
        return importlib.metadata.version("kubernetes-validate")
    except importlib.metadata.PackageNotFoundError:
        return "unknown version"


def kv_run(files: Sequence[CorpusFile], *, timeout: float) -> tuple[Run, dict[str, Any]]:
    """One driver run over ``files``; returns the run and the driver's summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(str(f.path) for f in files))
    try:
        cmd = [PYTHON, str(BENCH_DIR / "kv_driver.py"), "--strict", listing.name]
        run = run_once(cmd, timeout=timeout, sample_tree=bool(files))
    finally:
        os.unlink(listing.name)
    summary: dict[str, Any] = {}
    if not run.timed_out and run.returncode == 0:
        summary = json.loads(run.stderr.decode().strip().splitlines()[-1])
    return run, summary


def measure_kv(files: list[CorpusFile], repeat: int) -> Measurement:
    """kubernetes-validate on the floor's files: whole corpus, or a seeded sample extrapolated."""
    name = "kubernetes-validate --strict"
    version = kv_installed()
    if version is None:
        return Measurement(
            name, [], status="not installed", detail="pip install -r bench/requirements.txt"
        )
    result = Measurement(f"kubernetes-validate {version} --strict", [PYTHON, "bench/kv_driver.py"])

    # Its start-up (interpreter + imports, no file), to extrapolate the per-file part only.
    startup = [kv_run([], timeout=STARTUP_TIMEOUT_S)[0] for _ in range(3)]
    if any(r.returncode != 0 or r.timed_out for r in startup):
        result.status, result.detail = "failed", tail(startup[-1].stderr)
        return result
    startup_s = min(r.wall_s for r in startup)
    startup_cpu_s = min(r.cpu_s for r in startup)

    rng = random.Random(KV_SAMPLE_SEED)
    pilot_size = min(len(files), max(KV_PILOT_MIN_FILES, round(len(files) * KV_PILOT_SHARE)))
    sample = sorted(rng.sample(files, pilot_size), key=lambda f: f.path)
    pilot, summary = kv_run(sample, timeout=CORPUS_TIMEOUT_S)
    if pilot.timed_out or pilot.returncode != 0:
        result.status = "timed out" if pilot.timed_out else "failed"
        result.detail = tail(pilot.stderr)
        return result
    scale = len(files) / len(sample)
    projected = startup_s + (pilot.wall_s - startup_s) * scale
    progress(
        f"{result.name}: pilot of {len(sample)} files {pilot.wall_s:.1f} s, "
        f"whole corpus projected {projected:.0f} s"
    )

    if len(sample) == len(files):  # the pilot already was a whole-corpus run
        chosen, runs = files, [pilot]
        mode = "whole corpus"
    elif projected <= KV_FULL_RUN_BUDGET_S:
        chosen, runs = files, []
        mode = "whole corpus"
    else:
        chosen, runs = sample, [pilot]
        mode = "sample"
    while len(runs) < repeat:
        run, summary = kv_run(chosen, timeout=CORPUS_TIMEOUT_S)
        if run.timed_out or run.returncode != 0:
            result.status = "timed out" if run.timed_out else "failed"
            result.detail = tail(run.stderr)
            return result
        runs.append(run)
        progress(f"{result.name}: run {len(runs)}/{repeat} ({mode}) {run.wall_s:.1f} s")

    best = min(r.wall_s for r in runs)
    result.runs = runs
    result.facts = {
        "mode": mode,
        "files_run": len(chosen),
        "files_total": len(files),
        "documents_run": sum(f.documents for f in chosen),
        "documents_total": sum(f.documents for f in files),
        "bytes_run": sum(f.size for f in chosen),
        "bytes_total": sum(f.size for f in files),
        "startup_s": startup_s,
        "measured_wall_s": best,
        "seed": KV_SAMPLE_SEED if mode == "sample" else None,
        "driver_summary": summary,
    }
    if mode == "sample":
        # Per-file time scales with the file count (an unbiased estimate for a simple random
        # sample of files); start-up is paid once, so it is not scaled.
        estimate = startup_s + (best - startup_s) * scale
        result.facts["extrapolated_wall_s"] = estimate
        result.facts["measured_runs"] = [(run.wall_s, run.cpu_s) for run in runs]
        for run in runs:  # the table shows the whole-corpus estimate
            run.wall_s = startup_s + (run.wall_s - startup_s) * scale
            run.cpu_s = startup_cpu_s + (run.cpu_s - startup_cpu_s) * scale
    return result


# --------------------------------------------------------------------------- start-up


def one_file_manifest() -> Path | None:
    for candidate in ONE_FILE_CANDIDATES:
        if candidate.is_file():
            return candidate
    fixtures = REPO_ROOT / "tests" / "fixtures"
    small = sorted(
        (p for p in fixtures.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: (p.stat().st_size, p),
    )
    return small[0] if small else None


# --------------------------------------------------------------------------- report


@dataclass
class Ratio:
    label: str
    value: float | None
    target: float | None  # an upper bound
    unit: str = "x"
    strict: bool = False  # "<" rather than "<="

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        if self.target is None:
            return ""
        met = self.value < self.target if self.strict else self.value <= self.target
        return "met" if met else "MISSED"

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "target": self.target,
            "unit": self.unit,
            "verdict": self.verdict,
        }


def ratio(a: Measurement, b: Measurement) -> float | None:
    wa, wb = a.wall_s, b.wall_s
    return wa / wb if wa is not None and wb else None


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_status(m: Measurement) -> str:
    return m.status if not m.detail else f"{m.status} ({m.detail.splitlines()[0][:90]})"


def table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: list[str]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def notes_for(m: Measurement) -> str:
    if not m.ok:
        return fmt_status(m)
    f = m.facts
    if "non_empty_documents" in f:
        docs = f["non_empty_documents"]
        return f"{f['parsed']:,} of {f['files']:,} files parsed, {docs:,} documents"
    if "driver_summary" in f:
        s = f["driver_summary"]
        crashes = sum(s.get("crashes", {}).values())
        text = (
            f"{s.get('invalid', 0):,} files invalid, {crashes} crashes, "
            f"{s.get('parse_aborts', 0)} parse aborts"
        )
        if f["mode"] == "sample":
            text = (
                f"estimate from a seeded sample of {f['files_run']:,} files "
                f"(measured {f['measured_wall_s']:.1f} s); " + text
            )
        return text
    if "findings" in f or "documents" in f:
        docs = f.get("documents", "?")
        docs_text = f"{docs:,}" if isinstance(docs, int) else str(docs)
        findings = f.get("findings", "?")
        findings_text = f"{findings:,}" if isinstance(findings, int) else str(findings)
        text = f"{docs_text} documents, {findings_text} findings (exit {f.get('exit_code')})"
        rss, pss = m.peak_rss_mb, m.peak_pss_mb
        if rss is not None and pss is not None and pss < 0.9 * rss:
            text += f"; tree PSS {pss:.0f} MB (shared pages once)"
        return text
    return f"best of {len(m.runs)}"


def method_lines(kv: Measurement, one_file: Path | None, broken: int) -> list[str]:
    lines = [
        "Wall time is the best run, peak RSS the worst; every run is a fresh subprocess, so "
        "start-up and imports count. CPU is user+system time of the process tree (lowest run): "
        "unlike wall time it does not grow when the machine is busy, but it does grow with "
        "parallel workers.",
        "Peak RSS: the larger of ru_maxrss from wait4 in a small helper (bench/rusage_child.py; "
        "largest single process; ~9 MB is the helper's own floor) and the sampled sum over the "
        "process tree"
        + (" (psutil, every 20 ms)." if psutil else " (psutil missing: not sampled)."),
        "floor: bench/floor.py, libyaml CSafeLoader load_all of every .yaml/.yml/.json file "
        "outside _broken-yaml/, '=' value tag read as a string, unparsable files skipped.",
        f"kubelint: `kubelint check CORPUS --output json` over the whole folder, its {broken} "
        "_broken-yaml/ files included (it must report them; the floor skips them).",
    ]
    if kv.ok:
        f = kv.facts
        s = f["driver_summary"]
        lines.append(
            f"kubernetes-validate: its per-file entry point (utils.validate_file, what its CLI "
            f"runs per argument), --strict, Kubernetes {s.get('kubernetes_version')}, all files "
            f"in ONE process (bench/kv_driver.py); files that would abort its CLI (parse errors) "
            f"or crash it (KeyError on *List kinds / generateName) are counted and skipped "
            f"instead of ending the run."
        )
        if f["mode"] == "sample":
            lines.append(
                f"kubernetes-validate: a whole-corpus run was projected over "
                f"{KV_FULL_RUN_BUDGET_S:.0f} s, so it ran on a fixed random sample (seed "
                f"{f['seed']}) of {f['files_run']:,} of {f['files_total']:,} files "
                f"({f['documents_run']:,} of {f['documents_total']:,} documents, "
                f"{f['bytes_run'] / 1e6:.1f} of {f['bytes_total'] / 1e6:.1f} MB); the time "
                f"shown is start-up ({f['startup_s']:.2f} s) + per-file time x "
                f"{f['files_total'] / f['files_run']:.1f} (the file-count ratio)."
            )
        crashes = s.get("crashes") or {}
        if crashes:
            lines.append(
                f"kubernetes-validate crashes skipped: {crashes}; e.g. {s.get('crash_examples')}"
            )
    if one_file:
        lines.append(f"one-file check: `kubelint check {one_file}`.")
    return lines


def read_cpu_times() -> list[int]:
    """The machine-wide CPU tick counters of /proc/stat (empty where there is none)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return []
    return [int(x) for x in first[1:]]


def cpu_steal_share(start: list[int]) -> float | None:
    """Share of CPU time the hypervisor took from this machine since ``start`` (field 8)."""
    end = read_cpu_times()
    if len(start) < 8 or len(end) < 8:
        return None
    delta = [b - a for a, b in zip(start, end, strict=False)]
    total = sum(delta[:8])
    return delta[7] / total if total else None


def spread(m: Measurement) -> str:
    """min / median / max wall time of a measurement's runs, to show how noisy the machine is."""
    if not m.ok:
        return "-"
    walls = sorted(run.wall_s for run in m.runs)
    return f"{fmt_time(walls[0])} / {fmt_time(walls[len(walls) // 2])} / {fmt_time(walls[-1])}"


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"folder of manifests (default: {DEFAULT_CORPUS})",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per corpus measurement (best is kept)"
    )
    parser.add_argument("--quick", action="store_true", help="one run per measurement (--repeat 1)")
    parser.add_argument(
        "--kubelint",
        metavar="CMD",
        help="command that starts kubelint (default: the script beside this python)",
    )
    parser.add_argument("--one-file", type=Path, help="manifest for the one-file check")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpus: Path = args.corpus.resolve()
    if not corpus.is_dir():
        print(
            f"No corpus at {corpus}: nothing to benchmark. Pass --corpus DIR to use another folder."
        )
        return 0
    repeat: int = args.repeat
    startup_repeat = 3 if args.quick else STARTUP_REPEAT

    stat_start = read_cpu_times()
    progress(f"listing and parsing the corpus {corpus} (not measured)")
    files = inventory(corpus)
    if not files:
        print(f"No .yaml/.yml/.json files under {corpus}: nothing to benchmark.")
        return 0
    parsed = [f for f in files if f.parses]
    broken = sum(
        1
        for path in corpus.rglob("*")
        if path.suffix.lower() in floor.SUFFIXES
        and floor.EXCLUDED_DIRS.intersection(path.relative_to(corpus).parts)
    )

    launcher = kubelint_launcher(args.kubelint)
    bytecode = compile_bytecode(launcher)
    version, why_not = kubelint_version(launcher)
    usable = launcher if version is not None else None

    def kubelint_measurement(name: str, args: list[str], **kwargs: Any) -> Measurement:
        if usable is None:
            return Measurement(name, [], status="not installed", detail=why_not)
        return Measurement(name, [*usable.command, *args], env=usable.env, **kwargs)

    progress(f"floor and kubelint on the corpus, {repeat} round(s)")
    floor_m = Measurement(
        "floor: libyaml load_all",
        [PYTHON, str(BENCH_DIR / "floor.py"), str(corpus)],
        sample_tree=True,
    )
    kubelint_m = kubelint_measurement(
        "kubelint check --output json",
        ["check", str(corpus), "--output", "json"],
        ok_codes=(0, 1),  # 1 = findings at or above the failing severity
        sample_tree=True,
    )
    measure_rounds([floor_m, kubelint_m], repeat)
    if floor_m.ok:
        floor_m.facts = json.loads(floor_m.runs[-1].stdout)
    add_kubelint_facts(kubelint_m)
    if version:
        kubelint_m.facts["version"] = version

    progress("kubernetes-validate")
    kv_m = measure_kv(files, repeat)

    progress(f"start-up, {startup_repeat} rounds")
    one_file: Path | None = args.one_file or one_file_manifest()
    python_m = Measurement("python -c pass", [PYTHON, "-c", "pass"], timeout=STARTUP_TIMEOUT_S)
    version_m = kubelint_measurement("kubelint --version", ["--version"], timeout=STARTUP_TIMEOUT_S)
    one_name = f"kubelint check {one_file.name if one_file else '<one file>'}"
    if one_file is None:
        one_m = Measurement(one_name, [], status="skipped", detail="no small manifest found")
    else:
        one_m = kubelint_measurement(
            one_name, ["check", str(one_file)], timeout=STARTUP_TIMEOUT_S, ok_codes=(0, 1)
        )
    measure_rounds([python_m, version_m, one_m], startup_repeat)
    steal = cpu_steal_share(stat_start)

    measurements = [floor_m, kubelint_m, kv_m, python_m, version_m, one_m]
    ratios = [
        Ratio(
            "kubelint / floor (corpus wall time)",
            ratio(kubelint_m, floor_m),
            TARGET_KUBELINT_OVER_FLOOR,
        ),
        Ratio("kubernetes-validate / kubelint (corpus wall time)", ratio(kv_m, kubelint_m), None),
        Ratio(
            "kubelint --version / python -c pass",
            ratio(version_m, python_m),
            TARGET_VERSION_OVER_PYTHON,
        ),
        Ratio(
            "one-file check / python -c pass", ratio(one_m, python_m), TARGET_ONE_FILE_OVER_PYTHON
        ),
        Ratio(
            "kubelint peak RSS on the corpus",
            kubelint_m.peak_rss_mb,
            TARGET_PEAK_RSS_MB,
            unit="MB",
            strict=True,
        ),
    ]

    header = (
        f"kubelint benchmark: {corpus} - {len(files):,} files ({len(parsed):,} parse), "
        f"{sum(f.documents for f in files):,} documents, "
        f"{sum(f.size for f in files) / 1e6:.1f} MB; corpus runs best of {repeat}, "
        f"start-up best of {startup_repeat}; Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    rows = [["measurement", "wall", "CPU", "peak RSS", "notes"]]
    for m in measurements:
        rss = m.peak_rss_mb
        rows.append(
            [
                m.name,
                fmt_time(m.wall_s),
                fmt_time(m.cpu_s),
                f"{rss:.0f} MB" if rss is not None else "-",
                notes_for(m),
            ]
        )
    ratio_rows = [["comparison", "value", "target", "verdict"]]
    for r in ratios:
        value = (
            "-"
            if r.value is None
            else (f"{r.value:.0f} MB" if r.unit == "MB" else f"{r.value:.2f}x")
        )
        target = (
            "-"
            if r.target is None
            else (f"{'<' if r.strict else '<='} {r.target:g}{' MB' if r.unit == 'MB' else 'x'}")
        )
        ratio_rows.append([r.label, value, target, r.verdict])

    print()
    print(header)
    print()
    print(table(rows, right={1, 2, 3}))
    print()
    print(table(ratio_rows, right={1}))
    print()
    pressures = sorted(
        run.cpu_pressure for m in measurements for run in m.runs if run.cpu_pressure is not None
    )
    pressure = pressures[len(pressures) // 2] if pressures else None
    noise = (
        f"Machine noise: python -c pass min / median / max {spread(python_m)}; CPU steal "
        + ("n/a" if steal is None else f"{steal:.1%}")
        + " of all CPU time; CPU pressure (PSI, share of a run's time some task waited for a "
        + "CPU) median "
        + ("n/a" if pressure is None else f"{pressure:.0%}")
        + " over the measured runs."
    )
    if pressure is not None and pressure > BUSY_PRESSURE:
        noise += (
            " WARNING: the machine was busy; wall-time ratios are unreliable (longer commands "
            "suffer more): rerun on an idle machine or with a larger --repeat."
        )
    started = (
        f"{version or 'kubelint'}: started as `{shlex.join(launcher.command)}` ({launcher.how})."
        if launcher
        else "kubelint: not found."
    )
    notes = [*method_lines(kv_m, one_file, broken), started, bytecode, noise]
    for text in notes:
        print(f"- {text}")

    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "executable": PYTHON,
        "cpus": os.cpu_count(),
        "psutil": psutil is not None,
        "corpus": {
            "path": str(corpus),
            "files": len(files),
            "parsed": len(parsed),
            "documents": sum(f.documents for f in files),
            "bytes": sum(f.size for f in files),
        },
        "repeat": repeat,
        "startup_repeat": startup_repeat,
        "cpu_steal_share": steal,
        "python_startup_spread": spread(python_m),
        "median_cpu_pressure": pressure,
        "measurements": [m.to_json() for m in measurements],
        "ratios": [r.to_json() for r in ratios],
        "method": notes,
    }
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten: {RESULTS_FILE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
