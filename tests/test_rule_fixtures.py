"""Every rule against its fixture: findings exactly where the fixture's comments say.

A fixture is ``tests/fixtures/rules/<ID>.yaml`` (or a directory ``<ID>/`` for rules that
look across objects). A line that must produce a finding of the rule ends with
``# expect: <ID>`` (or ``# expect: <ID>@<column>``); every other line must produce none.
Each fixture holds firing and non-firing objects; the meta-tests check that every rule
in the catalogue has one, and that its documentation is complete.

The apply rejections (KA codes) are not check rules and have no fixture here: their
fixtures are the ``kubelint apply`` scenarios under ``tests/fixtures/apply/``, whose
exact findings ``test_apply_rejections`` asserts. The meta-tests below hold them to the
same standard: each code is reported by a scenario and stays quiet on another scenario
with an object of a kind it was reported on.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from kubelint.checks import registry
from kubelint.checks.catalogue import read_rule_file, rule_paths
from kubelint.config.policy import Policy
from kubelint.load import sources
from kubelint.run import passes
from kubelint.run.context import CheckOptions
from kubelint.schema.store import latest_version

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{2}\d{3}(?:@\d+)?(?:\s*,\s*[A-Z]{2}\d{3}(?:@\d+)?)*)")
SPECS = registry.builtin_rules()


def _fixture(rule_id: str) -> Path | None:
    for candidate in (FIXTURES / f"{rule_id}.yaml", FIXTURES / rule_id):
        if candidate.exists():
            return candidate
    return None


def _expected(path: Path, rule_id: str) -> set[tuple[str, int, int | None]]:
    files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
    found: set[tuple[str, int, int | None]] = set()
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            for match in EXPECT.finditer(line):
                for entry in match.group(1).split(","):
                    ident, _, column = entry.strip().partition("@")
                    if ident == rule_id:
                        found.add((file.name, number, int(column) if column else None))
    return found


def _run(path: Path, rule_id: str) -> list[tuple[str, int, int]]:
    specs = registry.builtin_rules()
    policy = Policy.build(specs, [rule_id], [], {}, {})
    options = CheckOptions(latest_version(), policy=policy, jobs=1)
    result = passes.run(sources.collect([str(path)]), options)
    return [(Path(f.path).name, f.line, f.column) for f in result.findings if f.rule == rule_id]


WITH_FIXTURES = [s.id for s in SPECS if _fixture(s.id) is not None]


@pytest.mark.parametrize("rule_id", WITH_FIXTURES)
def test_rule_fires_exactly_where_the_fixture_says(rule_id: str) -> None:
    path = _fixture(rule_id)
    assert path is not None
    expected = _expected(path, rule_id)
    got = _run(path, rule_id)
    got_lines = {(name, line) for name, line, _ in got}
    want_lines = {(name, line) for name, line, _ in expected}
    assert got_lines == want_lines, (
        f"missing: {want_lines - got_lines}, unexpected: {got_lines - want_lines}"
    )
    for name, line, column in expected:
        if column is not None:
            assert (name, line, column) in got, (
                f"{name}:{line}: expected column {column}, got {got}"
            )


CATALOGUE = [s.id for s in SPECS if int(s.id[2:]) >= 30]


@pytest.mark.parametrize("rule_id", CATALOGUE)
def test_catalogue_rule_has_firing_and_quiet_cases(rule_id: str) -> None:
    path = _fixture(rule_id)
    assert path is not None, f"{rule_id} has no fixture in {FIXTURES}"
    expected = _expected(path, rule_id)
    assert expected, f"{rule_id}'s fixture has no `# expect: {rule_id}` line"
    documents = 0
    files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
    for file in files:
        documents += sum(
            1
            for chunk in re.split(r"^---\s*$", file.read_text(encoding="utf-8"), flags=re.M)
            if chunk.strip()
        )
    assert documents > len({line for _, line, _ in expected}) or documents > 1, (
        f"{rule_id}'s fixture needs an object where the rule stays quiet"
    )


def test_catalogue_ids_and_docs() -> None:
    ids = [s.id for s in SPECS]
    slugs = [s.slug for s in SPECS]
    assert len(ids) == len(set(ids))
    assert len(slugs) == len(set(slugs))
    for spec in SPECS:
        rule = spec.rule
        pattern = r"KL\d{3}" if spec.checked else r"KA\d{3}"
        assert re.fullmatch(pattern, rule.id), rule.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.slug), rule.slug
        for part in ("what", "why", "example", "use_instead"):
            assert getattr(rule.doc, part).strip(), f"{rule.id}: empty doc section {part}"


def test_generated_rule_docs_are_current() -> None:
    from kubelint.report.rule_docs import render_catalogue

    current = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_catalogue(SPECS), (
        "docs/rules.md is stale: run python scripts/generate_docs.py"
    )


@functools.cache
def _apply_scenarios() -> dict[str, list[tuple[str, set[str]]]]:
    """Every apply scenario: per object, its kind and the KA codes reported on it."""
    from test_apply_conformance import ERROR_NAMES, SCENARIO_NAMES, simulate_scenario

    found: dict[str, list[tuple[str, set[str]]]] = {}
    for name in [*SCENARIO_NAMES, *ERROR_NAMES]:
        outcomes, _ = simulate_scenario(name)
        found[name] = [(o.object.split()[1], {f.rule for f in o.findings}) for o in outcomes]
    return found


@pytest.mark.parametrize("code", [s.id for s in SPECS if not s.checked])
def test_apply_rejection_has_firing_and_quiet_scenarios(code: str) -> None:
    scenarios = _apply_scenarios()
    firing = {name for name, objects in scenarios.items() if any(code in c for _, c in objects)}
    assert firing, f"no scenario under tests/fixtures/apply/ makes kubelint apply report {code}"
    kinds = {kind for name in firing for kind, codes in scenarios[name] if code in codes}
    quiet = [
        name
        for name, objects in scenarios.items()
        if name not in firing and any(kind in kinds for kind, _ in objects)
    ]
    assert quiet, f"{code} needs a scenario with a {' or '.join(sorted(kinds))} it accepts"


def test_bundled_data_rules_pass_strict_validation() -> None:
    # at run time the bundled rules are read without pydantic: this keeps them honest
    for path in rule_paths(registry.bundled_rules_dir()):
        if "template" in read_rule_file(path):
            registry.load_data_rule(path, "test", trusted=False)


def test_a_plain_run_does_not_import_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kubelint.load import sources\n"
        "from kubelint.run.context import CheckOptions\n"
        "from kubelint.run.passes import run\n"
        "from kubelint.schema import store as schema_store\n"
        "options = CheckOptions(schema_store.latest_version())\n"
        "run(sources.collect(['examples/web.yaml']), options)\n"
        "print('pydantic' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert out.stdout.strip() == "False", out.stderr
