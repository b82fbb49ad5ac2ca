"""Which files a run reads: walks, .gitignore, kustomize patches."""

from __future__ import annotations

import contextlib
import io
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from kubelint.load.files import read_file
from kubelint.load.sources import SourceFile, Streams, UsageError, collect

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
    streams = Streams(stdin=io.BytesIO(b"kind: x\n"))
    files = collect(["-", str(tmp_path / "a.yaml"), str(tmp_path), "/dev/stdin"], streams)
    assert [(f.display, f.data) for f in files] == [
        ("-", b"kind: x\n"),  # given twice, read once and checked once, as a file is
        (str(tmp_path / "a.yaml"), None),
    ]
    (crds,) = collect(["-"], streams)  # the --crd paths of the same run
    assert crds.data == b"kind: x\n"


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


def test_a_device_is_not_a_regular_file_and_says_what_it_is() -> None:
    with pytest.raises(UsageError, match=r"/dev/null: not a regular file \(a character device\)$"):
        collect(["/dev/null"])


def _feed(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb") as handle:
            handle.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


def test_a_pipe_given_as_a_path_is_read_once_into_memory(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.yaml")
    writer = _feed(tmp_path / "f.yaml", b"kind: x\n")
    files = collect([str(tmp_path / "f.yaml"), str(tmp_path / "f.yaml")])
    writer.join(5)
    assert files == [
        SourceFile(str(tmp_path / "f.yaml"), str(tmp_path / "f.yaml"), data=b"kind: x\n")
    ]


def test_a_pipe_is_read_to_one_byte_past_the_limit(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.yaml")
    writer = _feed(tmp_path / "f.yaml", b"x" * 100_000)
    (source,) = collect([str(tmp_path / "f.yaml")], Streams(limit=10))
    writer.join(5)
    assert source.data == b"x" * 11


def test_streams_can_be_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.yaml")
    with pytest.raises(UsageError, match=r"not a regular file \(a named pipe\)$"):
        collect([str(tmp_path / "f.yaml")], Streams(allowed=False))
    with pytest.raises(UsageError, match=r"^-: standard input cannot be read here$"):
        collect(["-"], Streams(allowed=False))


def test_pipes_and_sockets_met_in_a_walk_are_skipped_unopened(tmp_path: Path) -> None:
    _write(tmp_path / "d" / "a.yaml")
    os.mkfifo(tmp_path / "d" / "p.yaml")
    os.mkfifo(tmp_path / "d" / "other")  # not a manifest name: not mentioned
    (tmp_path / "d" / "link.yaml").symlink_to("p.yaml")
    files = collect([str(tmp_path / "d")])
    assert [(Path(f.display).name, f.skip) for f in files] == [
        ("a.yaml", None),
        ("link.yaml", "not a regular file (a named pipe)"),  # p.yaml once, by its first name
    ]


def test_read_file_never_waits_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.yaml")
    with pytest.raises(OSError, match=r"not a regular file \(a named pipe\)"):
        read_file(str(tmp_path / "f.yaml"))
    with pytest.raises(IsADirectoryError):
        read_file(str(tmp_path))


def test_dev_stdin_is_standard_input() -> None:
    files = collect(["/dev/stdin"], Streams(stdin=io.BytesIO(b"a: 1\n")))
    assert files == [SourceFile("/dev/stdin", "-", data=b"a: 1\n")]


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


def test_a_named_pipe_keeps_what_a_quick_writer_put_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer may open a FIFO, write and close it as soon as any reader opens it: the
    first open must be the one that reads (a non-blocking look, closed again, lost the
    bytes and then waited for a writer that never came)."""
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    written = threading.Event()

    def writer() -> None:
        with open(fifo, "wb") as handle:
            handle.write(b"ignore: [KL014]\n")
        written.set()

    real_fstat = os.fstat

    def slow_fstat(fd: int) -> os.stat_result:
        written.wait(5)  # the writer is done before the reader looks at what it opened
        return real_fstat(fd)

    monkeypatch.setattr(os, "fstat", slow_fstat)
    threading.Thread(target=writer, daemon=True).start()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(read_file(str(fifo), pipes=True)))
    reader.daemon = True
    reader.start()
    reader.join(10)
    if reader.is_alive():  # unblock the reader, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("read_file waited for a second writer: the first one's bytes were lost")
    assert got == [b"ignore: [KL014]\n"]
