"""Which files a run reads: walks, .gitignore, kustomize patches."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.sources import UsageError, collect

MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"


def _write(path: Path, text: str = MANIFEST) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_walk_is_sorted_and_skips_git_and_other_suffixes(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "c.json", "d.txt", ".git/config.yaml", "sub dir/e.yaml"):
        _write(tmp_path / name)
    shown = [f.display for f in collect([str(tmp_path)])]
    base = str(tmp_path)
    assert shown == [f"{base}/a.yml", f"{base}/b.yaml", f"{base}/c.json", f"{base}/sub dir/e.yaml"]


def test_gitignore_is_honoured_with_negation_and_nesting(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write(tmp_path / ".gitignore", "build/\n*.gen.yaml\n!keep.gen.yaml\n/top.yaml\n")
    for name in (
        "build/x.yaml",
        "a.gen.yaml",
        "keep.gen.yaml",
        "top.yaml",
        "sub/top.yaml",
        "ok.yaml",
    ):
        _write(tmp_path / name)
    _write(tmp_path / "sub" / ".gitignore", "secret*.yaml\n")
    _write(tmp_path / "sub" / "secret-1.yaml")
    shown = sorted(
        Path(f.display).relative_to(tmp_path).as_posix() for f in collect([str(tmp_path)])
    )
    assert shown == ["keep.gen.yaml", "ok.yaml", "sub/top.yaml"]


def test_kustomize_patches_are_partial(tmp_path: Path) -> None:
    _write(
        tmp_path / "kustomization.yaml",
        "resources:\n- base.yaml\npatches:\n- path: patch.yaml\n"
        "patchesStrategicMerge:\n- old-style.yaml\n",
    )
    for name in ("base.yaml", "patch.yaml", "old-style.yaml"):
        _write(tmp_path / name)
    partial = {Path(f.display).name: f.partial for f in collect([str(tmp_path)])}
    assert partial == {
        "base.yaml": False,
        "kustomization.yaml": False,
        "old-style.yaml": True,
        "patch.yaml": True,
    }


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        collect([str(tmp_path / "nope.yaml")])


def test_stdin_and_duplicates(tmp_path: Path) -> None:
    _write(tmp_path / "a.yaml")
    files = collect(["-", str(tmp_path / "a.yaml"), str(tmp_path)])
    assert [f.display for f in files] == ["-", str(tmp_path / "a.yaml")]
