"""Output text: no lone surrogate reaches a stream, no control character a terminal."""

from __future__ import annotations

import json

from kubelint.report.formats.github_format import command
from kubelint.report.formats.text import json_safe, printable, unicode_safe
from kubelint.report.model import Finding, Severity


def test_lone_surrogates_become_escapes() -> None:
    assert unicode_safe("a\udcffb\ud800") == "a\\xffb\\ud800"
    assert unicode_safe("\x1b é") == "\x1b é"  # everything else is left alone


def test_printable_escapes_control_characters() -> None:
    assert printable("\x1b[31m\x85\u202e\u2028\x7f\udcfe") == (
        "\\x1b[31m\\x85\\u202e\\u2028\\x7f\\xfe"
    )
    assert printable("tab\tnew\nline\r\né") == "tab\tnew\\nline\\r\\né"


def test_json_with_surrogates_stays_json() -> None:
    encoded = json_safe(json.dumps({"k\udcff": "v\udc80\ud800"}, ensure_ascii=False))
    assert json.loads(encoded.encode("utf-8")) == {"k\\xff": "v\\x80\\ud800"}


def test_workflow_commands_escape_control_characters() -> None:
    finding = Finding("a\x1b.yaml", 1, 1, "KL014", "invalid-label", Severity.ERROR, "k\x1b\udcff")
    line = command(finding)
    assert "\x1b" not in line
    assert line.endswith("::k\\x1b\\xff")
    assert "file=a\\x1b.yaml" in line
