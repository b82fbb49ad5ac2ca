"""Which files a run reads: walks, .gitignore, kustomize patches."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kubelint.sources import SourceFile, UsageError, collect

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


def test_bad_gitignore_patterns_are_read_as_git_reads_them(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write(tmp_path / ".gitignore", "[z-a].yaml\na[]b\nc[.yaml\n[[:nope:]]*\nx\\\na[]b].yaml\n")
    for name in ("z.yaml", "y.yaml", "c.yaml", "ab.yaml", "a].yaml", "ok.yaml"):
        _write(tmp_path / name)
    shown = sorted(Path(f.display).name for f in collect([str(tmp_path)]))
    assert shown == ["c.yaml", "ok.yaml", "y.yaml"]


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    _write(tmp_path / "tree" / "a" / "cm.yaml")
    (tmp_path / "tree" / "a" / "up").symlink_to("..")
    (tmp_path / "tree" / "again").symlink_to("a")
    (tmp_path / "tree" / "self.yaml").symlink_to("self.yaml")
    (tmp_path / "tree" / "self").symlink_to("self")
    files = collect([str(tmp_path / "tree")])
    assert [Path(f.display).relative_to(tmp_path).as_posix() for f in files] == [
        "tree/a/cm.yaml",
        "tree/self.yaml",  # kept, so that reading it says what is wrong
    ]


def test_a_path_that_cannot_be_examined_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\(5000 characters\): File name too long"):
        collect(["a" * 5000])
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    with pytest.raises(UsageError, match=r"loop\.yaml: Too many levels of symbolic links"):
        collect([str(tmp_path / "loop.yaml")])


def test_a_path_that_is_not_a_regular_file_says_what_it_is(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"/dev/null: not a regular file \(a character device\)$"):
        collect(["/dev/null"])
    os.mkfifo(tmp_path / "f.yaml")
    with pytest.raises(UsageError, match=r"not a regular file \(a named pipe\); feed a pipe"):
        collect([str(tmp_path / "f.yaml")])


def test_dev_stdin_is_standard_input() -> None:
    assert collect(["/dev/stdin"]) == [SourceFile("/dev/stdin", "-")]


def test_an_unreadable_folder_of_a_walk_is_a_source_with_its_problem(tmp_path: Path) -> None:
    _write(tmp_path / "d" / "sub" / "cm.yaml")
    _write(tmp_path / "d" / "ok.yaml")
    real_scandir = os.scandir

    def scandir(path: str) -> Any:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "scandir", scandir)
        files = collect([str(tmp_path / "d")])
    assert [(Path(f.display).name, f.problem) for f in files] == [
        ("ok.yaml", None),
        ("sub", "cannot read the folder: Permission denied"),
    ]
