"""Acceptance: the seed manifests and what EXPECTED.md says a correct linter reports.

Each table row below is one row of ``fixtures/seeds/EXPECTED.md``: rows for the core rules
(KL001-KL021) by rule id, position and suggestion; rows for the rule catalogue (KL030+:
resources, image tags, JSON content, folded backslashes) by position, severity and rule
name, since catalogue ids may still move. A row whose rule does not exist yet goes in
``NOT_YET`` and is a strict xfail, so that the day its rule lands the row fails as XPASS
and becomes a plain test.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import (
    CORE_RULE_NAMES,
    CORE_RULES,
    FIXTURES,
    KubelintRun,
    cached_run,
    errors,
    normalise_field,
    parse_object_ref,
    path_matches,
    run_kubelint,
    select,
    show,
)

SEEDS = FIXTURES / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.yaml"))
EXPORTED = FIXTURES / "exported" / "deployment-update.yaml"

LATER_RULE = "rule arrives with the rule catalogue (KL030+)"


@pytest.fixture(scope="module")
def per_file(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KubelintRun]:
    """Each seed checked on its own ("one file at a time, default Kubernetes version")."""

    def one(name: str) -> KubelintRun:
        return cached_run(
            tmp_path_factory,
            f"seed-{name}",
            lambda: run_kubelint("check", "--output", "json", name, cwd=SEEDS),
        )

    tmp_path_factory.getbasetemp()  # create it once, before the threads race for it
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(SEED_FILES, pool.map(one, SEED_FILES), strict=True))


@pytest.fixture(scope="module")
def as_directory(tmp_path_factory: pytest.TempPathFactory) -> KubelintRun:
    """The seed directory checked as one directory."""
    return cached_run(
        tmp_path_factory,
        "seed-dir",
        lambda: run_kubelint("check", "--output", "json", "seeds", cwd=FIXTURES),
    )


def test_seed_fixtures_are_complete() -> None:
    assert len(SEED_FILES) == 10, SEED_FILES
    assert (SEEDS / "EXPECTED.md").is_file()


# --------------------------------------------------------------------------------------
# Core rows of EXPECTED.md: (file, line, column, rule, field, suggestion pattern, what)
# Column: the key for unknown fields and data keys, the value for apiVersion and kind.

CORE_ROWS = [
    (
        "02-deployment-template.yaml", 1, 13, "KL005", "apiVersion", r"\bapps/v1\b",
        "`app/v1` is not an API group/version; did you mean `apps/v1`",
    ),
    (
        "03-job.yaml", 2, 7, "KL006", "kind", r"\bJob\b",
        "`kind: Jon` is no kind in `batch/v1`; did you mean `Job`",
    ),
    (
        "03-job.yaml", 23, 7, "KL008", "spec.template.spec.conatiners", r"\bcontainers\b",
        "unknown field `conatiners`; did you mean `containers`",
    ),
    (
        "04-cronjob.yaml", 10, 3, "KL008", "spec.startingDeadlineSecond",
        r"\bstartingDeadlineSeconds\b",
        "unknown field `startingDeadlineSecond`; did you mean `startingDeadlineSeconds`",
    ),
    (
        "08-secret.yaml", 17, 3, "KL016", "data.aHRzMDAwMAo=", None,
        "data key `aHRzMDAwMAo=` is not a valid key",
    ),
    (
        "10-demo-configmap-deployment.yaml", 29, 7, "KL008", "spec.template.metadata.annotation",
        r"\bannotations\b",
        "unknown field `annotation` in the pod template's metadata; did you mean `annotations`",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "line", "column", "rule", "field", "suggestion", "what"),
    [pytest.param(*row, id=f"{row[0]}:{row[1]}:{row[3]}") for row in CORE_ROWS],
)
def test_expected_core_finding(
    per_file: dict[str, KubelintRun],
    file: str,
    line: int,
    column: int,
    rule: str,
    field: str,
    suggestion: str | None,
    what: str,
) -> None:
    run = per_file[file]
    found = run.findings
    hits = select(found, path=file, rule=rule, line=line)
    assert hits, f"{file}:{line}: expected {rule} ({what}); kubelint reported:\n{show(found)}"
    hit = hits[0]
    assert hit["severity"] == "error", show(hits)
    assert hit["column"] == column, f"{rule} should point at column {column}:\n{show(hits)}"
    assert normalise_field(hit["field"]) == normalise_field(field), show(hits)
    if suggestion is not None:
        assert re.search(suggestion, hit["suggestion"] or ""), (
            f"suggestion should match {suggestion!r}:\n{show(hits)}"
        )


def test_job_without_containers(per_file: dict[str, KubelintRun]) -> None:
    """03-job.yaml:17: the pod spec has no ``containers``.

    EXPECTED allows folding this into the line-23 unknown-field finding (the misspelt key
    *is* the missing one), so either a KL010 at line 17 or the KL008 at line 23 with the
    ``containers`` suggestion satisfies it.
    """
    found = per_file["03-job.yaml"].findings
    required = select(found, rule="KL010", line=17, severity="error")
    folded = [
        f
        for f in select(found, rule="KL008", line=23, severity="error")
        if re.search(r"\bcontainers\b", f.get("suggestion") or "")
    ]
    assert required or folded, show(found)
    for f in required:
        assert normalise_field(f["field"]) in (
            "spec.template.spec.containers",
            "spec.template.spec",
        ), show(required)


# --------------------------------------------------------------------------------------
# Rows for rules of the catalogue (KL030+): strict xfails while the rule does not exist.

LATER_ROWS = [
    # (file, lines, severities, rule-name pattern, what EXPECTED.md says)
    (
        "01-nginx-deployment.yaml", (16, 16), ("warning",), r"(cpu|memory)-(requests|limit)",
        "no resource requests/limits",
    ),
    ("03-job.yaml", (25, 25), ("warning",), r"image", "image `busybox` has no tag"),
    ("04-cronjob.yaml", (25, 25), ("warning",), r"limit", "container has no resource limits"),
    ("04-cronjob.yaml", (26, 26), ("warning",), r"image", "image untagged"),
    ("05-daemonset.yaml", (27, 27), ("warning",), r"cpu-limit", "memory limit but no CPU limit"),
    (
        "06-configmap.yaml", (15, 19), ("error", "warning"), r"json|embedded",
        "`hello-world-config.json` holds text that is not valid JSON",
    ),
    (
        "07-deployment-uses-configmap.yaml", (54, 54), ("warning",), r".",
        "plain multi-line scalar with `\\` line ends folds into one line",
    ),
]  # fmt: skip

#: Files whose catalogue row has no rule yet (strict xfail; empty since KL055 arrived).
NOT_YET: set[str] = set()


@pytest.mark.parametrize(
    ("file", "lines", "severities", "rule_name", "what"),
    [
        pytest.param(
            *row,
            id=f"{row[0]}:{row[1][0]}",
            marks=[pytest.mark.xfail(strict=True, reason=LATER_RULE)] if row[0] in NOT_YET else [],
        )
        for row in LATER_ROWS
    ],
)
def test_expected_catalogue_finding(
    per_file: dict[str, KubelintRun],
    file: str,
    lines: tuple[int, int],
    severities: tuple[str, ...],
    rule_name: str,
    what: str,
) -> None:
    found = per_file[file].findings
    hits = [
        f
        for f in select(found, path=file, lines=lines)
        if f["rule"] not in CORE_RULES
        and f["severity"] in severities
        and re.search(rule_name, f["name"])
    ]
    assert hits, f"{file}:{lines[0]}: expected {what}; kubelint reported:\n{show(found)}"


# --------------------------------------------------------------------------------------
# Nothing more than EXPECTED at error level from the core rules (false positives).

EXPECTED_CORE_ERRORS: dict[str, set[tuple[int, str]]] = {
    "01-nginx-deployment.yaml": set(),
    "02-deployment-template.yaml": {(1, "KL005")},
    "03-job.yaml": {(2, "KL006"), (23, "KL008"), (17, "KL010")},
    "04-cronjob.yaml": {(10, "KL008")},
    "05-daemonset.yaml": set(),
    "06-configmap.yaml": set(),
    "07-deployment-uses-configmap.yaml": set(),
    "08-secret.yaml": {(17, "KL016")},
    "09-pod-resources.yaml": set(),
    "10-demo-configmap-deployment.yaml": {(29, "KL008")},
}


@pytest.mark.parametrize("file", SEED_FILES)
def test_no_unexpected_core_errors(per_file: dict[str, KubelintRun], file: str) -> None:
    found = per_file[file].findings
    unexpected = [
        f
        for f in errors(found)
        if f["rule"] in CORE_RULES and (f["line"], f["rule"]) not in EXPECTED_CORE_ERRORS[file]
    ]
    assert not unexpected, f"core errors EXPECTED.md does not list:\n{show(unexpected)}"


# Exit status per file where EXPECTED.md settles it (06: "error or warning" is left open).
EXIT_CODES = {
    "01-nginx-deployment.yaml": 0,
    "02-deployment-template.yaml": 1,
    "03-job.yaml": 1,
    "04-cronjob.yaml": 1,
    "05-daemonset.yaml": 0,
    "07-deployment-uses-configmap.yaml": 0,
    "08-secret.yaml": 1,
    "09-pod-resources.yaml": 0,
    "10-demo-configmap-deployment.yaml": 1,
}


@pytest.mark.parametrize(("file", "code"), sorted(EXIT_CODES.items()))
def test_exit_code(per_file: dict[str, KubelintRun], file: str, code: int) -> None:
    run = per_file[file]
    assert not run.has_traceback(), run.describe()
    assert run.code == code, f"{show(run.findings)}\n{run.describe(500)}"


def test_pod_with_requests_and_limits_has_no_error(per_file: dict[str, KubelintRun]) -> None:
    """09-pod-resources.yaml: nothing at error level (requests and limits are set)."""
    found = per_file["09-pod-resources.yaml"].findings
    assert not errors(found), show(found)


def test_json_report_shape(per_file: dict[str, KubelintRun]) -> None:
    for run in per_file.values():
        for f in run.findings:
            if f["rule"] in CORE_RULES:
                assert f["name"] == CORE_RULE_NAMES[f["rule"]], f
    report = per_file["03-job.yaml"].report
    assert set(report) == {"findings", "summary"}
    keys = {
        "path", "line", "column", "end_line", "end_column", "rule", "name",
        "severity", "message", "suggestion", "field", "object",
    }  # fmt: skip
    for f in report["findings"]:
        assert keys <= set(f), f  # the issue allows further keys (kubelint adds "fix")
        assert f["severity"] in ("error", "warning", "info")
        assert f["line"] >= 1, f
        assert f["column"] >= 1, f
        assert re.fullmatch(r"KL\d{3}", f["rule"]), f
    summary = report["summary"]
    for key in ("files", "documents", "objects", "skipped", "errors", "warnings", "infos"):
        assert key in summary, summary
    assert (summary["files"], summary["documents"], summary["objects"]) == (1, 1, 1), summary
    assert summary["errors"] == len(errors(report["findings"]))


# --------------------------------------------------------------------------------------
# The seed directory as one run.


def test_directory_run_summary(as_directory: KubelintRun) -> None:
    run = as_directory
    assert not run.has_traceback(), run.describe()
    assert run.code == 1, run.describe(500)
    summary = run.report["summary"]
    assert summary["files"] == 10, summary  # EXPECTED.md is not a manifest
    assert summary["documents"] == 11, summary
    assert summary["objects"] == 11, summary


def test_directory_run_keeps_per_file_core_errors(
    as_directory: KubelintRun, per_file: dict[str, KubelintRun]
) -> None:
    def key(f: dict[str, object]) -> tuple[str, object, object, object]:
        return (Path(str(f["path"])).name, f["line"], f["column"], f["rule"])

    alone = {key(f) for run in per_file.values() for f in errors(run.findings)}
    together = {key(f) for f in errors(as_directory.findings)}
    alone = {k for k in alone if k[3] in CORE_RULES}
    together = {k for k in together if k[3] in CORE_RULES}
    assert alone == together, f"only alone: {alone - together}; only together: {together - alone}"


def test_duplicate_deployment_reported_on_the_second_file(as_directory: KubelintRun) -> None:
    """01 and 02 both define Deployment default/nginx-deployment.

    The second apply overwrites the first, so the duplicate belongs to the second
    definition in walk order: 02 (its ``app/v1`` is a typo of ``apps/v1``, the group is
    the same). The first definition is not itself a mistake.
    """
    found = as_directory.findings
    dups = [
        f
        for f in select(found, rule="KL020")
        if "nginx-deployment" in (f.get("object") or "") + f.get("message", "")
    ]
    on_02 = [f for f in dups if path_matches(f["path"], "seeds/02-deployment-template.yaml")]
    on_01 = [f for f in dups if path_matches(f["path"], "seeds/01-nginx-deployment.yaml")]
    assert on_02, f"no KL020 duplicate-object on 02:\n{show(found)}"
    assert not on_01, f"the first definition is not the duplicate:\n{show(on_01)}"
    for f in on_02:
        assert f["severity"] == "warning", show(on_02)
        assert f["name"] == "duplicate-object"
        assert 1 <= f["line"] <= 31
        # The object as written: kind and name (the namespace appears when the manifest has one).
        ref = parse_object_ref(f.get("object"))
        assert ref is not None, show(on_02)
        assert (ref[1], ref[3]) == ("Deployment", "nginx-deployment"), show(on_02)
        assert ref[2] in (None, "default"), show(on_02)


def test_no_other_duplicates_in_seeds(as_directory: KubelintRun) -> None:
    dups = select(as_directory.findings, rule="KL020")
    others = [f for f in dups if "nginx-deployment" not in (f.get("object") or f["message"])]
    assert not others, show(others)


# Lines of 07 and 10 that reference ConfigMap keys which do exist (EXPECTED: reporting any
# of them as unresolved is a false positive).
RESOLVED_REFERENCES = {
    "seeds/07-deployment-uses-configmap.yaml": {20, 22, 24, 26, 35, 36, 40, 41, 45, 46},
    "seeds/10-demo-configmap-deployment.yaml": {41, 42},
}


@pytest.mark.parametrize("file", sorted(RESOLVED_REFERENCES))
def test_resolvable_references_are_not_reported(as_directory: KubelintRun, file: str) -> None:
    lines = RESOLVED_REFERENCES[file]
    bad = [f for f in select(as_directory.findings, path=file) if f["line"] in lines]
    assert not bad, show(bad)


# --------------------------------------------------------------------------------------
# `kubectl get ... -o yaml > deployment-update.yaml`: the exported-object warning.

EXPORTED_ITEMS = [
    # (what, line of the key, words one of which a whole-object message would name)
    ("status", 61, ("status",)),
    ("metadata.resourceVersion", 26, ("resourceVersion",)),
    ("metadata.uid", 27, ("uid",)),
    ("metadata.creationTimestamp", 8, ("creationTimestamp",)),
    ("metadata.managedFields", 10, ("managedFields",)),
    (
        "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration",
        6,
        ("last-applied-configuration", "last-applied"),
    ),
]


@pytest.fixture(scope="module")
def exported_run(tmp_path_factory: pytest.TempPathFactory) -> KubelintRun:
    return cached_run(
        tmp_path_factory,
        "exported",
        lambda: run_kubelint("check", "--output", "json", EXPORTED.name, cwd=EXPORTED.parent),
    )


@pytest.mark.parametrize(
    ("what", "line", "words"), EXPORTED_ITEMS, ids=[i[0].rsplit(".", 1)[-1] for i in EXPORTED_ITEMS]
)
def test_exported_object_is_flagged(
    exported_run: KubelintRun, what: str, line: int, words: tuple[str, ...]
) -> None:
    found = select(exported_run.findings, rule="KL019")
    at_key = [f for f in found if f["line"] == line]
    named = [f for f in found if any(w in f["message"] for w in words)]
    assert at_key or named, f"no KL019 exported-object finding for {what}:\n{show(found)}"
    for f in at_key or named:
        assert (f["severity"], f["name"]) == ("warning", "exported-object"), show([f])


def test_exported_object_is_otherwise_valid(exported_run: KubelintRun) -> None:
    """Everything else kubectl prints (defaults, ``creationTimestamp: null``) is valid."""
    run = exported_run
    assert not run.has_traceback(), run.describe()
    core_errors = [f for f in errors(run.findings) if f["rule"] in CORE_RULES]
    assert not core_errors, show(core_errors)
    assert run.code == 0, show(run.findings)
