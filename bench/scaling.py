"""How kubelint's cost grows with the work: the corpus copied 1, 2, 4 and 8 times, and single
files of 1 to 100 MB, each measured beside the floor (a libyaml parse) in the same run.

usage: python bench/scaling.py [--corpus DIR] [--copies 1,2,4,8] [--sizes 1,10,25,50,100]
                               [--repeat N] [--workdir DIR] [--kubelint CMD]

The inputs are made first, not measured, under --workdir (default: a fresh directory in the
system's temporary directory, removed afterwards): N sibling copies of the corpus (hard links,
or copies where the file system has none: real files, .gitignore and kustomize layouts
included, so a copy behaves as a user's tree does), and files made of copies of
examples/web.yaml with distinct names (bench/README.md). Every measured run is a fresh
subprocess, in rounds as bench/run.py does; see bench/README.md for how to read the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run as bench  # noqa: E402  (bench/ is not a package; run.py holds the measuring)

RESULTS_FILE = BENCH_DIR / "results" / "scaling.json"
APP = bench.REPO_ROOT / "examples" / "web.yaml"
#: How much more time a run of 8 copies may take than a run of one (fewer: in proportion).
TARGET_COPIES_TIME = 9.0
#: Peak RSS of the process tree for the biggest file, in MB.
TARGET_BIG_FILE_RSS_MB = 1000.0
#: How much more time per MB the biggest file may take than the smallest (linear: 1).
TARGET_TIME_PER_MB = 1.5


@dataclass
class Input:
    """One measured input: a folder of copies of the corpus, or a folder holding one file."""

    label: str
    path: Path  # what kubelint and the floor are given (a folder)
    family: str  # "copies" or "file"
    scale: float  # copies, or MB


def make_copies(corpus: Path, root: Path, copies: int) -> Path:
    """``root/copies-N/c1..cN``, each a copy of ``corpus`` made of hard links when possible."""
    target = root / f"copies-{copies}"
    for index in range(1, copies + 1):
        copy = target / f"c{index}"
        if copy.exists():
            continue
        try:
            shutil.copytree(corpus, copy, symlinks=True, copy_function=os.link)
        except OSError:  # no hard links across file systems: real copies
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(corpus, copy, symlinks=True)
    return target


def make_file(root: Path, megabytes: int) -> Path:
    """``root/file-NMB/big.yaml``: copies of examples/web.yaml (a ConfigMap, a Deployment and
    a Service) with distinct names, about ``megabytes`` MB (the repro's generator)."""
    folder = root / f"file-{megabytes}MB"
    path = folder / "big.yaml"
    if path.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    app = APP.read_text()
    written = index = 0
    with path.open("w") as out:
        while written < megabytes * 1_000_000:
            document = app.replace("web", f"web{index}") + "\n---\n"
            out.write(document)
            written += len(document)
            index += 1
    return folder


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def parse_list(text: str) -> list[int]:
    return sorted({int(item) for item in text.split(",") if item.strip()})


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=bench.DEFAULT_CORPUS)
    parser.add_argument("--copies", default="1,2,4,8", help="corpus copies (default 1,2,4,8)")
    parser.add_argument(
        "--sizes", default="1,10,25,50,100", help="single-file sizes in MB (default 1,...,100)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds (best time is kept)")
    parser.add_argument("--workdir", type=Path, help="where to make the inputs (kept)")
    parser.add_argument("--kubelint", metavar="CMD", help="command that starts kubelint")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def inputs(args: argparse.Namespace, root: Path) -> list[Input]:
    made: list[Input] = []
    corpus: Path = args.corpus.resolve()
    if corpus.is_dir():
        for copies in parse_list(args.copies):
            bench.progress(f"making {copies} copies of {corpus} (not measured)")
            folder = make_copies(corpus, root, copies)
            made.append(Input(f"corpus x{copies}", folder, "copies", copies))
    else:
        print(f"No corpus at {corpus}: only single files are measured.")
    for megabytes in parse_list(args.sizes):
        bench.progress(f"making a {megabytes} MB file (not measured)")
        made.append(Input(f"file {megabytes} MB", make_file(root, megabytes), "file", megabytes))
    return made


def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    launcher = bench.kubelint_launcher(args.kubelint)
    bench.progress(bench.compile_bytecode(launcher))
    version, why_not = bench.kubelint_version(launcher)
    if launcher is None or version is None:
        print(f"kubelint cannot be started: {why_not}")
        return 0
    stat_start = bench.read_cpu_times()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="kubelint-scaling-"))
    try:
        measured = inputs(args, root.resolve())
        pairs: list[tuple[Input, bench.Measurement, bench.Measurement]] = []
        for item in measured:
            floor = bench.Measurement(
                f"floor {item.label}",
                [bench.PYTHON, str(BENCH_DIR / "floor.py"), str(item.path)],
                sample_tree=True,
            )
            kubelint = bench.Measurement(
                f"kubelint {item.label}",
                [*launcher.command, "check", str(item.path), "--output", "json"],
                env=launcher.env,
                ok_codes=(0, 1),
                sample_tree=True,
            )
            pairs.append((item, kubelint, floor))
        bench.progress(f"measuring {len(pairs)} inputs, {args.repeat} round(s)")
        bench.measure_rounds([m for _, k, f in pairs for m in (k, f)], args.repeat)
        for _, kubelint, _ in pairs:
            bench.add_kubelint_facts(kubelint)
        sizes = {item.label: size_mb(item.path) for item in measured}
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    steal = bench.cpu_steal_share(stat_start)

    rows = [
        [
            "input",
            "MB",
            "findings",
            "wall",
            "CPU",
            "peak RSS",
            "floor wall",
            "/ floor",
            "wall / first",
            "CPU / first",
            "RSS / first",
        ]
    ]
    firsts: dict[str, bench.Measurement] = {}
    verdicts: list[tuple[str, float | None, float, str]] = []
    report_rows: list[dict[str, Any]] = []
    for item, kubelint, floor in pairs:
        first = firsts.setdefault(item.family, kubelint)

        def over(value: float | None, base: float | None) -> float | None:
            return value / base if value is not None and base else None

        wall_ratio = over(kubelint.wall_s, first.wall_s)
        cpu_ratio = over(kubelint.cpu_s, first.cpu_s)
        rss_ratio = over(kubelint.peak_rss_mb, first.peak_rss_mb)
        findings = kubelint.facts.get("findings")
        rows.append(
            [
                item.label,
                f"{sizes[item.label]:.0f}",
                f"{findings:,}" if isinstance(findings, int) else bench.fmt_status(kubelint),
                bench.fmt_time(kubelint.wall_s),
                bench.fmt_time(kubelint.cpu_s),
                "-" if kubelint.peak_rss_mb is None else f"{kubelint.peak_rss_mb:.0f} MB",
                bench.fmt_time(floor.wall_s),
                fmt_ratio(bench.ratio(kubelint, floor)),
                fmt_ratio(wall_ratio),
                fmt_ratio(cpu_ratio),
                fmt_ratio(rss_ratio),
            ]
        )
        report_rows.append(
            {
                "input": item.label,
                "family": item.family,
                "scale": item.scale,
                "megabytes": sizes[item.label],
                "kubelint": kubelint.to_json(),
                "floor": floor.to_json(),
                "wall_over_first": wall_ratio,
                "cpu_over_first": cpu_ratio,
                "rss_over_first": rss_ratio,
            }
        )
    copies = [(i, k) for i, k, _ in pairs if i.family == "copies"]
    files = [(i, k) for i, k, _ in pairs if i.family == "file"]
    if len(copies) > 1:
        (one, k1), (most, kn) = copies[0], copies[-1]
        allowed = TARGET_COPIES_TIME * most.scale / 8  # 9x for 8 copies, in proportion
        cpu = kn.cpu_s / k1.cpu_s if kn.cpu_s and k1.cpu_s else None
        verdicts.append((f"CPU, {most.label} / {one.label}", cpu, allowed, "x"))
        wall = bench.ratio(kn, k1)
        verdicts.append((f"wall time, {most.label} / {one.label}", wall, allowed, "x"))
    if files:
        biggest, kb = files[-1]
        label = f"peak RSS, {biggest.label}"
        verdicts.append((label, kb.peak_rss_mb, TARGET_BIG_FILE_RSS_MB, "MB"))
    if len(files) > 1:
        (small, ks), (big, kb) = files[0], files[-1]
        value = None
        if ks.cpu_s and kb.cpu_s:
            value = (kb.cpu_s / big.scale) / (ks.cpu_s / small.scale)
        verdicts.append(
            (f"CPU per MB, {big.label} / {small.label}", value, TARGET_TIME_PER_MB, "x")
        )
    verdict_rows = [["comparison", "value", "target", "verdict"]]
    for label, value, target, unit in verdicts:
        shown = "-" if value is None else (f"{value:.0f} MB" if unit == "MB" else f"{value:.2f}x")
        met = "n/a" if value is None else ("met" if value <= target else "MISSED")
        verdict_rows.append([label, shown, f"<= {target:g}{' MB' if unit == 'MB' else 'x'}", met])

    pressures = sorted(
        run.cpu_pressure
        for _, k, f in pairs
        for m in (k, f)
        for run in m.runs
        if run.cpu_pressure is not None
    )
    pressure = pressures[len(pressures) // 2] if pressures else None
    notes = [
        "Wall time is the best run, CPU the lowest (user+system of the process tree), peak RSS "
        "the worst (largest single process or sampled sum over the tree, as bench/run.py).",
        "'/ floor': kubelint's wall time over the floor's (bench/floor.py: libyaml load_all of "
        "the same folder, _broken-yaml/ skipped) measured in the same rounds; a ratio that stays "
        "flat as the input grows means kubelint grows as parsing does.",
        "'/ first': over the first input of the same family (corpus x1, or the smallest file).",
        f"{version}: `{' '.join(launcher.command)}` ({launcher.how}); Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {args.repeat} round(s).",
        "Machine: CPU steal "
        + ("n/a" if steal is None else f"{steal:.1%}")
        + ", median CPU pressure of the runs "
        + ("n/a" if pressure is None else f"{pressure:.0%}")
        + (
            " - the machine was busy: compare CPU, not wall time"
            if pressure is not None and pressure > bench.BUSY_PRESSURE
            else ""
        )
        + ".",
    ]
    print()
    print(bench.table(rows, right=set(range(1, 11))))
    print()
    print(bench.table(verdict_rows, right={1}))
    print()
    for text in notes:
        print(f"- {text}")
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "git_commit": bench.git_commit(),
        "cpus": os.cpu_count(),
        "cpu_steal_share": steal,
        "median_cpu_pressure": pressure,
        "rows": report_rows,
        "verdicts": [
            {"label": label, "value": value, "target": target, "unit": unit}
            for label, value, target, unit in verdicts
        ],
        "method": notes,
    }
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten: {RESULTS_FILE.relative_to(bench.REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
