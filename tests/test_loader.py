"""The loader: positions, duplicates, guards, recovery after a broken document."""

from __future__ import annotations

import time

from kubelint.load.documents import (
    MAX_DEPTH,
    YamlMap,
    YamlSeq,
    decode,
    load_text,
    mark_of,
    pack_mark,
)


def test_values_and_marks() -> None:
    loaded = load_text("a: 1\nb:\n  - x\n  - {c: yes}\n")
    (document,) = loaded.documents
    value = document.value
    assert value == {"a": 1, "b": ["x", {"c": True}]}
    assert isinstance(value, YamlMap)
    key_mark, _value_mark = value.marks["b"]
    assert mark_of(key_mark) == (1, 0)
    items = value["b"]
    assert isinstance(items, YamlSeq)
    assert [mark_of(m) for m in items.marks] == [(2, 4), (3, 4)]
    assert mark_of(items[1].marks["c"][1]) == (3, 8)


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    (document,) = load_text("spec:\n  selector: a\n  selector: b\n").documents
    (problem,) = document.problems
    assert problem.rule.slug == "duplicate-key"
    assert problem.mark == (2, 2)
    assert "line 2" in problem.message


def test_merge_keys_override_without_duplicates() -> None:
    text = "base: &b {a: 1, b: 2}\nmine:\n  <<: *b\n  b: 3\n"
    (document,) = load_text(text).documents
    assert document.value["mine"] == {"a": 1, "b": 3}
    assert document.problems == []


def test_y_and_n_keys_are_booleans_to_kubectl() -> None:
    # sigs.k8s.io/yaml resolves the plain key `y` to true, and JSON writes it as "true"
    (document,) = load_text("point:\n  x: 1\n  y: 2\n").documents
    assert document.value["point"] == {"x": 1, "true": 2}


def test_multi_documents_and_document_end_markers() -> None:
    loaded = load_text("a: 1\n---\nb: 2\n...\n---\nc: 3\n")
    assert [d.value for d in loaded.documents] == [{"a": 1}, {"b": 2}, {"c": 3}]
    assert [d.start_line for d in loaded.documents] == [0, 1, 4]


def test_a_broken_document_spares_the_others() -> None:
    loaded = load_text("a: 1\n---\nb: [1, 2\n---\nc: 3\n")
    assert [d.value for d in loaded.documents] == [{"a": 1}, {"c": 3}]
    (problem,) = loaded.problems
    assert problem.rule.slug == "yaml-syntax"
    assert problem.mark[0] in (3, 4)


def test_a_part_of_a_file_keeps_the_positions_of_the_file() -> None:
    text = "a: 1\n---\nb: [1, 2\n---\nc:\n  - 3\n"
    whole = load_text("# a comment\n" * 1000 + text)
    part = load_text(text, first_line=1000)
    assert part.first_line == 1000
    assert [d.value for d in part.documents] == [d.value for d in whole.documents]
    assert [(d.start_line, d.end_line, d.start_mark) for d in part.documents] == [
        (d.start_line, d.end_line, d.start_mark) for d in whole.documents
    ]
    assert part.problems == whole.problems
    items = part.documents[-1].value["c"]
    assert [mark_of(m) for m in items.marks] == [(1005, 4)]


def test_marks_are_packed_ints() -> None:
    (document,) = load_text("k: " + "v" * 70_000 + "\nlast: 1\n").documents
    key_mark, value_mark = document.value.marks["last"]
    assert isinstance(key_mark, int)
    assert mark_of(key_mark) == (1, 0)
    assert mark_of(value_mark) == (1, 6)
    assert mark_of(pack_mark(5_000_000, 80_000)) == (5_000_000, 80_000)


def test_alias_bomb_is_stopped_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    (document,) = load_text("\n".join(lines) + "\n").documents
    assert time.perf_counter() - started < 5
    assert document.value is None
    assert "alias" in document.problems[0].message


def test_recursive_and_undefined_aliases() -> None:
    (document,) = load_text("a: &x [*x]\n").documents
    assert "contains it" in document.problems[0].message
    (document,) = load_text("a: *nothing\n").documents
    assert "no anchor" in document.problems[0].message


def test_deep_nesting_is_bounded() -> None:
    depth = MAX_DEPTH + 10
    text = "".join("  " * i + "k:\n" for i in range(depth)) + "  " * depth + "v\n"
    loaded = load_text(text)
    problems = loaded.problems + [p for d in loaded.documents for p in d.problems]
    assert problems


def test_decode_rejects_binary_and_latin1_with_a_position() -> None:
    text, problem = decode(b"a: b\nc: caf\xe9\n")
    assert text is None
    assert problem is not None
    assert problem.mark == (1, 6)
    text, problem = decode(b"\x00\x01\x02binary")
    assert text is None
    assert problem is not None
    text, problem = decode("a: ü\n".encode("utf-16"))
    assert text == "a: ü\n"
    assert problem is None


def test_tab_after_plain_scalar_is_fine() -> None:
    (document,) = load_text("a: b\t\nc: d\n").documents
    assert document.value == {"a": "b", "c": "d"}


def test_value_tag_and_custom_tags() -> None:
    (document,) = load_text("a: =\nb: !Ref x\n").documents
    assert document.value == {"a": "=", "b": "x"}


def test_non_string_keys_become_strings() -> None:
    (document,) = load_text("1: a\ntrue: b\non: c\n").documents
    assert document.value == {"1": "a", "true": "c"}
    assert document.problems[0].rule.slug == "duplicate-key"  # `on` is true too


def test_the_pure_python_fallback_reads_the_same_values() -> None:
    from kubelint.load.documents import libyaml_backend, ruamel_backend

    text = (
        "a: &x {b: [1, yes, '0777', 0777, ~]}\nc: *x\nd: !!str 12\n"
        "---\nkind: List\nitems:\n- {e: 1:30}\n"
    )
    fast = libyaml_backend()
    assert fast is not None
    expected = load_text(text, fast).documents
    slow = load_text(text, ruamel_backend())
    assert [d.value for d in slow.documents] == [d.value for d in expected]
    assert [d.start_line for d in slow.documents] == [d.start_line for d in expected]
    broken = load_text("a: [1\n---\nb: 2\n", ruamel_backend())
    assert [d.value for d in broken.documents] == [{"b": 2}]
    assert broken.problems[0].rule.slug == "yaml-syntax"
