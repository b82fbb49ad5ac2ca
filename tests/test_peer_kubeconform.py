"""Peer suite: kubeconform's acceptance tests, translated to kubelint runs.

Source: ``../shared/peer-suites/kubeconform/expected-results.json`` (66 tests converted from
upstream's bats files; see the suite README). Each test's kubeconform arguments become a
kubelint command line:

=========================  ===========================================================
kubeconform                kubelint
=========================  ===========================================================
``-summary``, ``-verbose``  dropped; the JSON report always has the summary, and per
                           resource verdicts are compared through findings
``-strict``                dropped: kubelint is always strict (unknown fields and
                           duplicate keys are errors)
``-ignore-missing-schemas`` ``--ignore-missing-schemas``
``-kubernetes-version``    ``--kubernetes-version X.Y``; versions below the bundled range
                           (1.25) run with 1.25, which serves the same objects here
``-output F``              ``--output json`` for the comparison, plus one ``--output
                           human`` run for the exit status (text is not compared)
``-schema-location``       ``default`` and the upstream kubernetes-json-schema URLs: the
                           bundled schemas; the local registry: ``--crd`` with the CRD
                           the registry's JSON schema was made from
``-skip``, ``-reject``,    no equivalent: skipped with the reason
``-cache``, ...
=========================  ===========================================================

Compared: the exit status, the resource and file counts of ``Summary:`` lines
(``summary.objects`` / ``summary.files``), and each resource that the expected output names
as valid (no error finding on that object) or invalid (at least one). Where kubelint's
contract differs on purpose, the test carries a ``Deviation`` that states the expected
kubelint behaviour and why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    SHARED_MISSING,
    KubelintRun,
    cached_run,
    errors,
    find_shared_dir,
    parse_object_ref,
    run_kubelint,
    select,
    show,
)

SHARED = find_shared_dir()
SUITE = SHARED / "peer-suites" / "kubeconform" if SHARED else None
TESTS: list[dict[str, Any]] = (
    json.loads((SUITE / "expected-results.json").read_text(encoding="utf-8"))
    if SUITE and (SUITE / "expected-results.json").is_file()
    else []
)

MIN_VERSION = (1, 25)
REGISTRY_CRD = "fixtures/registry/sagemaker.aws.amazon.com_trainingjobs.yaml"
UPSTREAM_SCHEMAS = "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/"
GRAFANA_SCHEMA = "grafanaalertrulegroup_v1beta1.json"
SLOW = os.environ.get("KUBELINT_SLOW_TESTS") == "1"


# --------------------------------------------------------------------------------------
# Why some tests are not run, and where kubelint differs on purpose.

NETWORK_ONLY = (
    "needs the network for something kubelint has no equivalent of ({what}); kubelint never"
    " downloads schemas"
)
SKIPS: dict[str, str] = {
    "Fail when using an invalid HTTP -schema-location": (
        "kubeconform-only flag: kubelint has no remote schema locations"
    ),
    "Fail when using an invalid non-HTTP -schema-location": (
        "kubeconform-only flag: kubelint has no schema-location templates"
    ),
    "Fail early when passing a non valid -schema-location template": (
        "kubeconform-only flag: kubelint has no schema-location templates"
    ),
    "Pass with a valid input when validating against openshift manifests": NETWORK_ONLY.format(
        what="OpenShift 3.8 schemas from GitHub"
    ),
    "Fail with an invalid input when validating against openshift manifests": NETWORK_ONLY.format(
        what="OpenShift 3.8 schemas from GitHub"
    ),
    "Skip when parsing a resource from a kind to skip": "kubeconform-only flag -skip",
    "Skip when parsing a resource with a GVK to skip": "kubeconform-only flag -skip",
    (
        "Do not skip when parsing a resource with a GVK to skip, where the Kind matches but not"
        " the version"
    ): "kubeconform-only flag -skip",
    "Fail when parsing a resource from a kind to reject": "kubeconform-only flag -reject",
    "Ignores file that match the --ignore-filename-pattern given": (
        "kubeconform-only flag --ignore-filename-pattern"
    ),
    "Pass when parsing a valid Kubernetes config YAML file and store cache": (
        "kubeconform-only flag -cache: asserts files written to the schema cache"
    ),
    "Fail when no schema found, ensure 404 is not cached on disk": NETWORK_ONLY.format(
        what="a 404 from a remote schema location, and the -cache directory"
    ),
    "Fail when cache folder does not exist": "kubeconform-only flag -cache",
    "HTTP references should be cached": NETWORK_ONLY.format(what="the -cache directory"),
    "passes when trying to use a CRD that does not have the JSONSchema set": NETWORK_ONLY.format(
        what="the datreeio CRDs-catalog on GitHub"
    ),
}
if not SLOW:
    _large = (
        "stress test of 100,000 documents (fixtures/valid_large.yaml, regenerated on the fly);"
        " set KUBELINT_SLOW_TESTS=1 to run it"
    )
    SKIPS["Pass when parsing a very large file"] = _large
    SKIPS["Pass when parsing a very long stream from stdin"] = _large


@dataclass(frozen=True)
class Deviation:
    exit_status: int | tuple[int, ...]
    reason: str
    objects: int | None = None  # expected summary.objects, when it differs
    rule: str | None = None  # a rule that must be reported
    no_rule: str | None = None  # a rule that must not be reported


DEVIATIONS: dict[str, Deviation] = {
    "Fail and display help when using an incorrect flag": Deviation(
        2, "an unknown option is a usage error: kubelint exits 2, kubeconform 1"
    ),
    "Return relevant error for non-existent file": Deviation(
        (1, 2),
        "a missing PATH must fail; kubelint may treat it as a usage error (2) or an unreadable"
        " file (1, KL001); kubeconform exits 1",
    ),
    "Fail when parsing a config that is missing a Kind": Deviation(
        0,
        "`key: value` has neither apiVersion nor kind: kubelint counts such documents (values"
        " files, CI configs) in summary.skipped instead of failing them",
        objects=0,
    ),
    "Fail when parsing a config with CRD": Deviation(
        0,
        "a custom resource without a CRD is a KL018 missing-schema warning in kubelint, not an"
        " error; kubeconform fails it",
        rule="KL018",
    ),
    "Pass when parsing a config with additional properties": Deviation(
        1,
        "kubelint is always strict: `spec.replicas` does not exist in a DaemonSet (KL008); the"
        " API server drops it, which is a bug in the manifest",
        rule="KL008",
    ),
    "Pass when parsing a config with duplicate properties and strict NOT set": Deviation(
        1,
        "kubelint always reports duplicate keys (KL002): kubectl silently keeps the last"
        " value, so one of the two is a mistake",
        rule="KL002",
    ),
    "Fail when not passing data to stdin, when implicitly configured to read from stdin": (
        Deviation(
            2,
            "kubelint reads stdin only for an explicit `-`; no PATH at all is a usage error (2)",
        )
    ),
    "Fail when not passing data to stdin, when explicitly configured to read from stdin": (
        Deviation(
            0,
            "kubeconform refuses a character-device stdin (a terminal, or /dev/null in CI); "
            "kubelint reads `-` as a stream, and an empty stream is zero documents",
            objects=0,
        )
    ),
    "Fail when using HTTPS_PROXY with a failing proxy": Deviation(
        0, "kubelint bundles its schemas and never touches the network: a dead proxy is harmless"
    ),
    "Fail when parsing a valid Kubernetes config YAML file without network access": Deviation(
        0, "kubelint bundles its schemas: valid.yaml is valid without network access"
    ),
    "Fail early when passing a non valid -kubernetes-version": Deviation(
        2,
        "kubelint takes `1.NN` (so kubeconform's rejected `1.25` is valid for kubelint); the"
        " test is translated to a version kubelint rejects, `master`, a usage error (2)",
    ),
}


# --------------------------------------------------------------------------------------
# Translation of one test.


@dataclass
class Plan:
    args: list[str]
    stdin_file: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    human_too: bool = False
    synthesize_grafana_crd: bool = False
    large: bool = False
    notes: list[str] = field(default_factory=list)


def translate(test: dict[str, Any]) -> Plan:
    if "shell" in test:
        argv, env, stdin_file = _shell_words(test["shell"])
    else:
        argv, env, stdin_file = list(test.get("args", [])), {}, test.get("stdin_file")
    plan = Plan(args=[], stdin_file=stdin_file, env=env)
    paths: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        value = argv[i + 1] if i + 1 < len(argv) else None
        if arg in ("-summary", "-verbose", "-strict"):
            pass
        elif arg == "-h":
            plan.args.append("--help")
        elif arg == "-ignore-missing-schemas":
            plan.args.append("--ignore-missing-schemas")
        elif arg == "-kubernetes-version":
            plan.args += ["--kubernetes-version", _version(str(value), plan)]
            i += 1
        elif arg == "-output":
            plan.human_too = value != "json"
            i += 1
        elif arg == "-schema-location":
            _schema_location(str(value), plan)
            i += 1
        elif arg == "-cache":
            plan.notes.append("-cache dropped: kubelint has nothing to download or cache")
            i += 1
        elif arg.startswith("-") and arg != "-":
            plan.args.append("-" + arg if not arg.startswith("--") else arg)  # unknown flag
        else:
            paths.append(arg)
        i += 1
    if "valid_large.yaml" in " ".join([*paths, stdin_file or ""]):
        plan.large = True
    if stdin_file is not None and "-" not in paths:
        paths.append("-")
    plan.args += paths
    return plan


def _shell_words(command: str) -> tuple[list[str], dict[str, str], str | None]:
    words = re.findall(r"'[^']*'|\S+", command)
    env = {}
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    assert words.pop(0) == "kubeconform", command
    if ">" in words:
        words = words[: words.index(">")]
    return [w.strip("'") for w in words], env, None


def _version(value: str, plan: Plan) -> str:
    m = re.fullmatch(r"(\d+)\.(\d+)\.\d+", value)
    if not m:
        return value
    version = (int(m.group(1)), int(m.group(2)))
    if version < MIN_VERSION:
        plan.notes.append(f"Kubernetes {value} is below the bundled range: checked with 1.25")
        version = MIN_VERSION
    return f"{version[0]}.{version[1]}"


def _schema_location(value: str, plan: Plan) -> None:
    if value == "default" or value.startswith(UPSTREAM_SCHEMAS):
        plan.notes.append(f"schema location {value!r}: kubelint's bundled upstream schemas")
    elif "fixtures/registry/" in value:
        if f"--crd={REGISTRY_CRD}" not in plan.args:
            plan.args.append(f"--crd={REGISTRY_CRD}")
    elif value.endswith(GRAFANA_SCHEMA):
        plan.synthesize_grafana_crd = True
    elif value == "fixtures/{{ .ResourceKind }}.json":
        plan.notes.append("a registry with no schema for the kind: nothing to register")
    else:
        raise AssertionError(f"untranslated -schema-location {value}")


# --------------------------------------------------------------------------------------
# Expected output -> comparable facts.

_SUMMARY = re.compile(
    r"Summary: (\d+) resources? found (?:in (\d+) files?|parsing stdin) - "
    r"Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)"
)
_VERDICT = re.compile(
    r"^(?P<file>\S+) - (?P<kind>\S+) (?P<name>.+?) "
    r"(?P<verdict>is valid|is invalid|failed validation)(?::.*)?$"
)


def expected_lines(test: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if "output_equals" in test:
        lines += str(test["output_equals"]).splitlines()
    lines += [str(v) for v in (test.get("output_line_equals") or {}).values()]
    lines += [str(v) for v in test.get("output_contains") or []]
    return lines


def expected_summary(test: dict[str, Any]) -> tuple[int, int | None] | None:
    for line in expected_lines(test):
        m = _SUMMARY.search(line)
        if m:
            return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
    return None


def expected_verdicts(test: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(kind, name, valid) for each resource the expected output names."""
    out = []
    for line in expected_lines(test):
        m = _VERDICT.match(line)
        if m and "could not find schema" not in line and "prohibited" not in line:
            out.append((m.group("kind"), m.group("name"), m.group("verdict") == "is valid"))
    return out


def errors_on(findings: list[dict[str, Any]], kind: str, name: str) -> list[dict[str, Any]]:
    hits = []
    for f in errors(findings):
        ref = parse_object_ref(f.get("object"))
        if ref is None or ref[1] != kind:
            continue
        if "{{" in name or ref[3] == name:  # a generateName stand-in matches on kind
            hits.append(f)
    return hits


# --------------------------------------------------------------------------------------
# The tests.


def _title(test: dict[str, Any]) -> str:
    return str(test["test"])


def _params() -> list[Any]:
    if not TESTS:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SHARED_MISSING), id="absent")]
    params = []
    for n, test in enumerate(TESTS):
        marks = []
        if _title(test) in SKIPS:
            marks.append(pytest.mark.skip(reason=SKIPS[_title(test)]))
        slug = re.sub(r"[^a-z0-9]+", "-", _title(test).lower()).strip("-")[:70]
        params.append(pytest.param(test, marks=marks, id=f"{n:02d}-{slug}"))
    return params


def test_suite_is_complete() -> None:
    if not TESTS:
        pytest.skip(SHARED_MISSING)
    assert len(TESTS) == 66
    titles = {_title(t) for t in TESTS}
    assert set(SKIPS) <= titles, set(SKIPS) - titles
    assert set(DEVIATIONS) <= titles, set(DEVIATIONS) - titles


def _grafana_crd(suite: Path, target: Path) -> Path:
    """A v1 CRD around the JSON schema kubeconform was given for GrafanaAlertRuleGroup."""
    schema = json.loads((suite / "fixtures" / GRAFANA_SCHEMA).read_text(encoding="utf-8"))
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "grafanaalertrulegroups.grafana.integreatly.org"},
        "spec": {
            "group": "grafana.integreatly.org",
            "names": {
                "kind": "GrafanaAlertRuleGroup",
                "listKind": "GrafanaAlertRuleGroupList",
                "plural": "grafanaalertrulegroups",
                "singular": "grafanaalertrulegroup",
            },
            "scope": "Namespaced",
            "versions": [
                {
                    "name": "v1beta1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": schema},
                }
            ],
        },
    }
    path = target / "grafanaalertrulegroups-crd.json"
    path.write_text(json.dumps(crd, indent=1), encoding="utf-8")
    return path


def _large_fixture(suite: Path, target: Path) -> Path:
    one = (suite / "fixtures" / "valid.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n"
    path = target / "fixtures" / "valid_large.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n".join([one] * 100_000), encoding="utf-8")
    return path


@pytest.mark.parametrize("test", _params())
def test_acceptance(
    test: dict[str, Any],
    shared_dir: Path,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    suite = shared_dir / "peer-suites" / "kubeconform"
    title = _title(test)
    plan = translate(test)
    deviation = DEVIATIONS.get(title)
    cwd = suite
    if title == "Fail early when passing a non valid -kubernetes-version":
        plan.args[plan.args.index("--kubernetes-version") + 1] = "master"
    if plan.synthesize_grafana_crd:
        plan.args.append(f"--crd={_grafana_crd(suite, tmp_path)}")
    stdin: bytes | None = None
    if plan.large:
        _large_fixture(suite, tmp_path)
        cwd = tmp_path
    if plan.stdin_file:
        stdin = ((tmp_path if plan.large else suite) / plan.stdin_file).read_bytes()

    is_help = "--help" in plan.args
    args = ["check", *plan.args] if is_help else ["check", "--output", "json", *plan.args]
    timeout = 600 if plan.large else 60

    def invoke() -> KubelintRun:
        return run_kubelint(*args, stdin=stdin, cwd=cwd, env=plan.env, timeout=timeout)

    if plan.large or plan.synthesize_grafana_crd:
        run = invoke()
    else:  # several upstream tests translate to the same kubelint run: run it once
        key = json.dumps([args, plan.env, hashlib.sha256(stdin or b"").hexdigest()])
        run = cached_run(tmp_path_factory, hashlib.sha256(key.encode()).hexdigest()[:16], invoke)
    context = f"kubelint {' '.join(args)}\nnotes: {plan.notes}\n{run.describe(1500)}"
    assert not run.has_traceback(), context

    wanted = deviation.exit_status if deviation else test["exit_status"]
    allowed = wanted if isinstance(wanted, tuple) else (wanted,)
    assert run.code in allowed, f"exit status {run.code}, expected {wanted}\n{context}"
    if is_help:
        assert "Usage" in run.stdout or "usage" in run.stdout, context
        return
    if run.code == 2:
        return  # usage errors print no report

    report = run.report
    findings = report["findings"]
    summary = expected_summary(test)
    objects = deviation.objects if deviation and deviation.objects is not None else None
    if summary is not None:
        n_resources, n_files = summary
        want = objects if objects is not None else n_resources
        assert report["summary"]["objects"] == want, f"{report['summary']}\n{context}"
        if n_files is not None:
            assert report["summary"]["files"] == n_files, f"{report['summary']}\n{context}"
    elif objects is not None:
        assert report["summary"]["objects"] == objects, f"{report['summary']}\n{context}"

    for kind, name, valid in expected_verdicts(test):
        hits = errors_on(findings, kind, name)
        if valid:
            assert not hits, f"{kind} {name} should be valid:\n{show(hits)}"
        else:
            assert hits, f"{kind} {name} should be invalid:\n{show(findings)}"

    if deviation and deviation.rule:
        assert select(findings, rule=deviation.rule), f"{deviation.rule} expected\n{context}"
    if "--ignore-missing-schemas" in plan.args:
        assert not select(findings, rule="KL018"), show(findings)

    if plan.human_too:
        human = run_kubelint("check", "--output", "human", *plan.args, stdin=stdin, cwd=cwd)
        assert not human.has_traceback(), human.describe()
        assert human.code == run.code, human.describe()


# --------------------------------------------------------------------------------------
# Fixtures with no upstream expectation at this commit (README: "useful inputs").


@pytest.mark.parametrize(
    ("version", "code"),
    [("1.25", 0), ("1.37", 0), ("1.24", 2), ("1.38", 2), ("master", 2), ("banana", 2)],
)
def test_kubernetes_version_range(shared_dir: Path, version: str, code: int) -> None:
    suite = shared_dir / "peer-suites" / "kubeconform"
    run = run_kubelint("check", "--kubernetes-version", version, "fixtures/valid.yaml", cwd=suite)
    assert not run.has_traceback(), run.describe()
    assert run.code == code, run.describe()


NS = ["--namespace", "the-default-namespace"]
DUPLICATES = [
    # (file, extra args, duplicate expected)
    ("duplicates.yaml", [], True),
    ("duplicates-with-namespace.yaml", [], True),
    ("duplicates-non-namespaced.yaml", [], True),
    ("duplicates-with-namespace-default.yaml", NS, True),
    ("duplicates-with-namespace-default.yaml", [], False),
    ("same-object-different-namespace.yaml", [], False),
    ("same-object-different-namespace-default.yaml", NS, False),
    # apps/v1 and apps/v1beta1 Deployments are one resource: same group, kind, namespace, name
    ("same-kind-different-api.yaml", [], True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "extra", "duplicate"),
    [pytest.param(*row, id=f"{row[0]}{'-ns' if row[1] else ''}") for row in DUPLICATES],
)
def test_duplicate_objects(shared_dir: Path, file: str, extra: list[str], duplicate: bool) -> None:
    suite = shared_dir / "peer-suites" / "kubeconform"
    run = run_kubelint("check", "--output", "json", *extra, f"fixtures/{file}", cwd=suite)
    assert not run.has_traceback(), run.describe()
    dups = select(run.findings, rule="KL020")
    if duplicate:
        assert dups, show(run.findings)
        assert all(f["line"] > 20 for f in dups), f"reported on the second object:\n{show(dups)}"
    else:
        assert not dups, show(dups)


def test_removed_api_version(shared_dir: Path) -> None:
    """same-kind-different-api.yaml: ``apps/v1beta1`` Deployment was removed in 1.16."""
    suite = shared_dir / "peer-suites" / "kubeconform"
    run = run_kubelint(
        "check", "--output", "json", "fixtures/same-kind-different-api.yaml", cwd=suite
    )
    found = select(run.findings, rule="KL007", line=29)
    assert found, show(run.findings)
    assert found[0]["severity"] == "error"
    assert "apps/v1" in found[0]["message"] + (found[0]["suggestion"] or ""), show(found)


UNREFERENCED_VALID = [
    "null_array.yaml",
    "unconventional_keys.yaml",
    "full_domain_group.yaml",
    "valid_version.yaml",
    "multi_valid_source.yaml",
]


@pytest.mark.parametrize("file", UNREFERENCED_VALID)
def test_unreferenced_valid_fixtures(shared_dir: Path, file: str) -> None:
    """README: valid against Kubernetes 1.37 (non-strict); kubelint must not fail them."""
    suite = shared_dir / "peer-suites" / "kubeconform"
    run = run_kubelint("check", "--output", "json", f"fixtures/{file}", cwd=suite)
    assert not run.has_traceback(), run.describe()
    assert not errors(run.findings), show(run.findings)
    assert run.code == 0


def test_documents_of_only_kind_fail(shared_dir: Path) -> None:
    """multi_invalid_resources.yaml: five documents of just ``kind:``, five errors upstream."""
    suite = shared_dir / "peer-suites" / "kubeconform"
    run = run_kubelint(
        "check", "--output", "json", "fixtures/multi_invalid_resources.yaml", cwd=suite
    )
    assert not run.has_traceback(), run.describe()
    assert run.code == 1, show(run.findings)
    assert len(errors(run.findings)) == 5, show(run.findings)


def test_documents_of_only_kind_positions(shared_dir: Path) -> None:
    """multi_invalid_resources.yaml: five documents of just ``kind:``, five errors upstream."""
    suite = shared_dir / "peer-suites" / "kubeconform"
    run = run_kubelint(
        "check", "--output", "json", "fixtures/multi_invalid_resources.yaml", cwd=suite
    )
    assert not run.has_traceback(), run.describe()
    assert run.code == 1, show(run.findings)
    lines = {f["line"] for f in errors(run.findings)}
    assert lines == {1, 3, 5, 7, 9}, show(run.findings)
