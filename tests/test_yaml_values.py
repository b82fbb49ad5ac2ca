"""Plain scalars get the meaning kubectl's YAML decoder gives them."""

from __future__ import annotations

import math

import pytest

from kubelint.load.scalars import TagError, json_key, resolve_plain, resolve_tagged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Yes", True),
        ("YES", True),
        ("y", True),
        ("Y", True),
        ("on", True),
        ("ON", True),
        ("true", True),
        ("True", True),
        ("no", False),
        ("n", False),
        ("off", False),
        ("Off", False),
        ("false", False),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("10", 10),
        ("-10", -10),
        ("+7", 7),
        ("0777", 511),
        ("0x1F", 31),
        ("0o17", 15),
        ("0b101", 5),
        ("-0b101", -5),
        ("1_000", 1000),
        ("0", 0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-.5", -0.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("9223372036854775807", 9223372036854775807),
        ("18446744073709551615", 18446744073709551615),
    ],
)
def test_plain_scalars_resolve_like_kubectl(text: str, expected: object) -> None:
    value = resolve_plain(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "text",
    [
        "yES",
        "nO",
        "1:30",
        "08",
        "2024-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "1.2.3",
        "=",
        "0x",
        "1e400",
        ".5_0",
        "-",
        "+",
        "10Gi",
        "latest",
        "v1",
        "0b2",
        "1__0x",
    ],
)
def test_strings_stay_strings(text: str) -> None:
    # YAML 1.1 sexagesimals and timestamps are strings to kubectl; so are non-Go numbers
    value = resolve_plain(text)
    if text == "08":
        assert value == 8.0  # Go's ParseInt rejects 08 as octal; the float syntax accepts it
    else:
        assert value == text


def test_special_floats() -> None:
    assert math.isnan(resolve_plain(".nan"))  # type: ignore[arg-type]
    assert resolve_plain(".inf") == math.inf
    assert resolve_plain("-.Inf") == -math.inf


def test_tags() -> None:
    assert resolve_tagged("tag:yaml.org,2002:str", "yes") == "yes"
    assert resolve_tagged("tag:yaml.org,2002:int", "12") == 12
    assert resolve_tagged("tag:yaml.org,2002:float", "12") == 12.0
    assert resolve_tagged("tag:yaml.org,2002:binary", "aGVsbG8=") == "hello"
    assert resolve_tagged("!Ref", "something") == "something"
    assert resolve_tagged("tag:yaml.org,2002:value", "=") == "="
    with pytest.raises(TagError):
        resolve_tagged("tag:yaml.org,2002:int", "abc")
    with pytest.raises(TagError):
        resolve_tagged("tag:yaml.org,2002:binary", "not base64!")


def test_keys_become_json_strings() -> None:
    assert json_key(True) == "true"
    assert json_key(False) == "false"
    assert json_key(10) == "10"
    assert json_key(1.5) == "1.5"
    assert json_key(0.1) == "0.1"
    assert json_key(1e20) == "1e+20"
    assert json_key(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-9223372036854775808", -(2**63)),
        ("0xFFFFFFFFFFFFFFFF", 2**64 - 1),
        ("0x000000000000000000000001", 1),
        ("-0x8000000000000000", -(2**63)),
        ("18446744073709551616", 1.8446744073709552e19),  # ParseInt, ParseUint fail: float64
        ("+18446744073709551615", 1.8446744073709552e19),  # ParseUint takes no sign
        ("-9223372036854775809", -9.223372036854776e18),
        ("9" * 25, 1e25),
        ("0" + "7" * 23, 7.777777777777777e22),  # too big as octal, read as a decimal float
        ("9" * 4301, "9" * 4301),  # beyond float64: the plain scalar stays a string
        ("-" + "9" * 5000, "-" + "9" * 5000),
        ("0x" + "F" * 17, "0x" + "F" * 17),
        ("0b" + "1" * 65, "0b" + "1" * 65),
        ("1e400", "1e400"),
        (".5e999", ".5e999"),
    ],
)
def test_numbers_beyond_64_bits_resolve_like_go_yaml(text: str, expected: object) -> None:
    value = resolve_plain(text)
    assert value == expected
    assert type(value) is type(expected)


def test_float_tag_refuses_what_go_yaml_holds_as_uint64() -> None:
    assert resolve_tagged("tag:yaml.org,2002:float", "9223372036854775807") == 2.0**63
    with pytest.raises(TagError):
        resolve_tagged("tag:yaml.org,2002:float", "18446744073709551615")
    with pytest.raises(TagError):
        resolve_tagged("tag:yaml.org,2002:int", "9" * 4301)
