"""Tests for kubelint.schema.formats, one section per module: valid and invalid values for every
check.

Messages are asserted only where their content is the point (which part is wrong, the hint);
otherwise a test states valid (no problems) or invalid (at least one).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from kubelint.schema.formats import (
    cron,
    images,
    labels,
    names,
    percent,
    ports,
    quantities,
)

HEX64 = "0123456789abcdef" * 4


def _valid(problems: list[str]) -> bool:
    return problems == []


# --- DNS names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("a", True),
        ("0", True),
        ("my-app", True),
        ("123-abc", True),
        ("a--b", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("", False),
        ("-a", False),
        ("a-", False),
        ("My-App", False),
        ("my_app", False),
        ("my.app", False),
        ("my app", False),
        ("app\n", False),
        ("caf\u00e9", False),
        ("\u0430pp", False),  # Cyrillic a
    ],
)
def test_dns1123_label(value: str, valid: bool) -> None:
    assert _valid(names.dns1123_label(value)) is valid


def test_dns1123_label_messages() -> None:
    assert names.dns1123_label("my.app") == ["must not contain dots"]
    assert names.dns1123_label("") == ["must not be empty"]
    (too_long,) = names.dns1123_label("a" * 64)
    assert "no more than 63 characters" in too_long
    (message,) = names.dns1123_label("My_App")
    assert "lower case alphanumeric characters or '-'" in message
    assert "did you mean 'my-app'?" in message
    assert "'M'" in message
    assert "'_'" in message


def test_dns1123_label_counts_bytes() -> None:
    # 32 two-byte characters are 64 bytes: too long as the API server counts.
    problems = names.dns1123_label("\u00e9" * 32)
    assert any("no more than 63 characters (it has 64)" in p for p in problems)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("example.com", True),
        ("a", True),
        ("a.b.c", True),
        ("1.2.3.4", True),
        ("my-app.v1", True),
        ("a" * 253, True),
        (".".join(["a" * 63] * 4)[:253], True),
        ("a" * 254, False),
        ("", False),
        (".a", False),
        ("a.", False),
        ("a..b", False),
        ("a.-b", False),
        ("Example.com", False),
        ("example_com", False),
        ("exa mple", False),
        ("\u00fcber.de", False),
    ],
)
def test_dns1123_subdomain(value: str, valid: bool) -> None:
    assert _valid(names.dns1123_subdomain(value)) is valid


def test_dns1123_subdomain_both_problems() -> None:
    problems = names.dns1123_subdomain("A" * 254)
    assert len(problems) == 2
    assert "no more than 253 characters" in problems[0]
    assert "'-' or '.'" in problems[1]


def test_dns1123_subdomain_suggests() -> None:
    (message,) = names.dns1123_subdomain("My_Config.Map")
    assert "did you mean 'my-config.map'?" in message


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("web", True),
        ("a", True),
        ("web-1", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("1web", False),
        ("0", False),
        ("-web", False),
        ("web-", False),
        ("web.api", False),
        ("Web", False),
        ("", False),
    ],
)
def test_dns1035_label(value: str, valid: bool) -> None:
    assert _valid(names.dns1035_label(value)) is valid


def test_dns1035_label_message() -> None:
    (message,) = names.dns1035_label("1web")
    assert "start with an alphabetic character" in message


# --- Qualified names, label values, keys ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("simple", True),
        ("now-with-dashes", True),
        ("1-starts-with-num", True),
        ("1234", True),
        ("simple/simple", True),
        ("now.with.dots/simple", True),
        ("1-num.2-num/3-num", True),
        ("1.2.3.4/5678", True),
        ("Uppercase_Is_OK_123", True),
        ("example.com/Uppercase_Is_OK_123", True),
        ("app.kubernetes.io/name", True),
        ("requests.storage-foo", True),
        ("a", True),
        ("a" * 63, True),
        ("a" * 253 + "/" + "b" * 63, True),
        ("nospecialchars%^=@", False),
        ("cantendwithadash-", False),
        ("-cantstartwithadash-", False),
        ("only/one/slash", False),
        ("Example.com/abc", False),
        ("example_com/abc", False),
        ("example.com/", False),
        ("/simple", False),
        ("a" * 64, False),
        ("a" * 254 + "/abc", False),
        ("example.com/" + "b" * 64, False),
        ("", False),
        ("k\u00e9y", False),
    ],
)
def test_qualified_name(value: str, valid: bool) -> None:
    assert _valid(labels.qualified_name(value)) is valid


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ("Example.com/abc", "prefix part"),
        ("example_com/abc", "prefix part"),
        ("/simple", "prefix part"),
        ("a" * 254 + "/abc", "prefix part"),
        ("example.com/", "name part"),
        ("example.com/-abc", "name part"),
        ("example.com/" + "b" * 64, "name part"),
        ("a" * 64, "name part"),
        ("bad key", "name part"),
        ("", "name part"),
    ],
)
def test_qualified_name_names_the_part(value: str, part: str) -> None:
    problems = labels.qualified_name(value)
    assert problems
    assert all(problem.startswith(part) for problem in problems), problems


def test_qualified_name_both_parts_wrong() -> None:
    problems = labels.qualified_name("Bad_Prefix/-bad-name")
    assert [p.split(" part ")[0] for p in problems] == ["prefix", "name"]


def test_qualified_name_two_slashes() -> None:
    (message,) = labels.qualified_name("a/b/c")
    assert "at most one '/'" in message


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("", True),
        ("simple", True),
        ("now-with-dashes", True),
        ("1-starts-with-num", True),
        ("end-with-num-1", True),
        ("1234", True),
        ("v1.2.3_rc", True),
        ("MyValue", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("nospecialchars%^=@", False),
        ("Tama-nui-te-r\u0101.is.M\u0101ori.sun", False),
        ("\\backslashes\\are\\bad", False),
        ("-starts-with-dash", False),
        ("ends-with-dash-", False),
        (".starts.with.dot", False),
        ("ends.with.dot.", False),
        ("has space", False),
        ("with/slash", False),
        ("true\n", False),
    ],
)
def test_label_value(value: str, valid: bool) -> None:
    assert _valid(labels.label_value(value)) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("key", True),
        ("KEY_NAME", True),
        ("key-name", True),
        ("key.name", True),
        ("application.properties", True),
        (".hidden", True),
        ("a..b", True),
        ("_", True),
        ("-", True),
        ("a" * 253, True),
        ("a" * 254, False),
        ("", False),
        (".", False),
        ("..", False),
        ("..data", False),
        ("...", False),
        ("aHRzMDAwMAo=", False),
        ("a/b", False),
        ("a b", False),
        ("k\u00e9y", False),
        ("key:", False),
    ],
)
def test_config_map_key(value: str, valid: bool) -> None:
    assert _valid(labels.config_map_key(value)) is valid


def test_config_map_key_messages() -> None:
    (message,) = labels.config_map_key("aHRzMDAwMAo=")
    assert "(found '=')" in message
    assert labels.config_map_key(".") == ["must not be '.'"]
    assert labels.config_map_key("..") == ["must not be '..'"]
    assert labels.config_map_key("..data") == ["must not start with '..'"]
    assert len(labels.config_map_key("../etc/passwd")) == 2


# --- Ports -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("http", True),
        ("h", True),
        ("http-metrics", True),
        ("h2c", True),
        ("8080a", True),
        ("a" * 15, True),
        ("a" * 16, False),
        ("", False),
        ("8080", False),
        ("HTTP", False),
        ("http_alt", False),
        ("-http", False),
        ("http-", False),
        ("http--alt", False),
        ("http.alt", False),
        ("h\u00e9", False),
    ],
)
def test_port_name(value: str, valid: bool) -> None:
    assert _valid(ports.port_name(value)) is valid


def test_port_name_reports_every_rule() -> None:
    assert ports.port_name("8080") == ["must contain at least one letter (a-z)"]
    problems = ports.port_name("-Very--Long-Port-Name")
    assert len(problems) == 4


@pytest.mark.parametrize(
    ("value", "valid"),
    [(1, True), (80, True), (65535, True), (0, False), (-1, False), (65536, False)],
)
def test_port_number(value: int, valid: bool) -> None:
    assert _valid(ports.port_number(value)) is valid


def test_port_number_refuses_non_integers() -> None:
    assert ports.port_number(True)
    assert ports.port_number("80")  # type: ignore[arg-type]


# --- Int or percent ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (0, True),
        (1, True),
        (2**31 - 1, True),
        (2.0, True),
        ("25%", True),
        ("0%", True),
        ("150%", True),
        (-1, False),
        (2**31, False),
        (1.5, False),
        ("25", False),
        ("25 %", False),
        ("", False),
        ("abc", False),
        (True, False),
        (None, False),
        ([1], False),
    ],
)
def test_int_or_percent(value: object, valid: bool) -> None:
    assert _valid(percent.int_or_percent(value)) is valid


def test_int_or_percent_max_percent() -> None:
    assert percent.int_or_percent("100%", max_percent=100) == []
    assert percent.int_or_percent("101%", max_percent=100) == ["must not be greater than 100%"]
    assert percent.int_or_percent(500, max_percent=100) == []


def test_int_or_percent_hints() -> None:
    (message,) = percent.int_or_percent("25")
    assert "did you mean 25 or '25%'?" in message
    (message,) = percent.int_or_percent("25 %")
    assert "did you mean '25%'?" in message


# --- Quantities ----------------------------------------------------------------------------------

KI, MI, GI, TI, PI, EI = (Decimal(2) ** n for n in (10, 20, 30, 40, 50, 60))

QUANTITIES = [
    ("0", Decimal(0)),
    ("0n", Decimal(0)),
    ("0Ki", Decimal(0)),
    ("1", Decimal(1)),
    ("+1", Decimal(1)),
    ("-1", Decimal(-1)),
    ("0.5", Decimal("0.5")),
    ("100m", Decimal("0.1")),
    ("1.5Gi", Decimal("1.5") * GI),
    ("1e3", Decimal(1000)),
    ("1E3", Decimal(1000)),
    ("1e+3", Decimal(1000)),
    ("1E-3", Decimal("0.001")),
    ("128974848", Decimal(128974848)),
    ("129e6", Decimal(129000000)),
    ("129M", Decimal(129000000)),
    ("123Mi", 123 * MI),
    ("1Ki", KI),
    ("8Ki", 8 * KI),
    ("7Mi", 7 * MI),
    ("6Gi", 6 * GI),
    ("5Ti", 5 * TI),
    ("4Pi", 4 * PI),
    ("3Ei", 3 * EI),
    ("5n", Decimal("5e-9")),
    ("4u", Decimal("4e-6")),
    ("3m", Decimal("0.003")),
    ("8k", Decimal(8000)),
    ("7M", Decimal(7_000_000)),
    ("6G", Decimal(6 * 10**9)),
    ("5T", Decimal(5 * 10**12)),
    ("2P", Decimal(2 * 10**15)),
    ("1E", Decimal(10**18)),
    ("12E", Decimal(12 * 10**18)),
    ("100.035k", Decimal("100035")),
    ("0.0005k", Decimal("0.5")),
    ("10.035M", Decimal("10035000")),
    ("1.3E+6", Decimal(1_300_000)),
    ("1.7E18", Decimal("1.7e18")),
    ("7.123456M", Decimal(7123456)),
    ("100.035Ki", Decimal("100.035") * KI),
    ("0.5Mi", MI / 2),
    (".001", Decimal("0.001")),
    (".0001k", Decimal("0.1")),
    ("1.", Decimal(1)),
    ("1.G", Decimal(10**9)),
    ("0001", Decimal(1)),
    # rounded up (away from zero) to a multiple of 10^-9
    ("3.001n", Decimal("4e-9")),
    ("1.1E-9", Decimal("2e-9")),
    ("0.0000000001", Decimal("1e-9")),
    ("0.00000012345", Decimal("124e-9")),
    ("-0.0000000001", Decimal("-1e-9")),
    ("0.000000000001Ki", Decimal("2e-9")),
    # binary amounts are capped at 2^63-1
    ("9Ei", Decimal(2**63 - 1)),
    ("9223372036854775807Ki", Decimal(2**63 - 1)),
    ("-9Ei", Decimal(-(2**63 - 1))),
    # decimal amounts are not
    ("100E", Decimal(10**20)),
    ("1e100", Decimal("1e100")),
    # the API server trims whitespace when decoding
    (" 1Gi ", GI),
]


@pytest.mark.parametrize(("value", "amount"), QUANTITIES)
def test_parse_quantity_valid(value: str, amount: Decimal) -> None:
    assert quantities.parse_quantity(value) == (amount, [])


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (0, Decimal(0)),
        (2, Decimal(2)),
        (-3, Decimal(-3)),
        (128974848, Decimal(128974848)),
        (10**30, Decimal(10**30)),
        (0.5, Decimal("0.5")),
        (0.1, Decimal("0.1")),
        (1.5e9, Decimal("1.5e9")),
        (1e20, Decimal("1e20")),
        (1e-12, Decimal("1e-9")),
    ],
)
def test_parse_quantity_numbers(value: int | float, amount: Decimal) -> None:
    assert quantities.parse_quantity(value) == (amount, [])


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "1GB",
        "1gi",
        "100MB",
        "1.5.5",
        "Mi",
        "1.1.M",
        "1+1.0M",
        "0.1mi",
        "0.1am",
        "aoeu",
        ".5i",
        "1i",
        "-3.01i",
        "-3.01e-",
        "1e",
        "1e+",
        "1K",
        "1KB",
        "1kb",
        "1g",
        "1 Gi",
        "1,5",
        "2cores",
        "500 m",
        "1Gi\x00",
        "\u0661",  # Arabic-Indic digit one
        "1\u00a0Gi",
        "1e4294967297",
        "50%",
        "0x10",
        "1_000",
        "inf",
        "NaN",
    ],
)
def test_parse_quantity_invalid(value: str) -> None:
    amount, problems = quantities.parse_quantity(value)
    assert amount is None
    assert problems


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), True, False])
def test_parse_quantity_invalid_numbers(value: float) -> None:
    amount, problems = quantities.parse_quantity(value)
    assert amount is None
    assert problems


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mi", Decimal(0)),
        ("Ki", Decimal(0)),
        ("Ti", Decimal(0)),
        ("k", Decimal(0)),
        ("m", Decimal(0)),
        (".", Decimal(0)),
        ("+", Decimal(0)),
        ("-", Decimal(0)),
        ("-.", Decimal(0)),
        ("e3", Decimal(0)),
        ("e-9", Decimal(0)),
        # the slow path cannot parse an empty number
        ("Pi", None),
        ("Ei", None),
        ("e-10", None),
        ("", None),
    ],
)
def test_parse_quantity_digitless(value: str, expected: Decimal | None) -> None:
    """Without digits the API server reads most quantities as 0: strict mode refuses them."""
    strict_amount, strict_problems = quantities.parse_quantity(value)
    assert strict_amount is None
    assert strict_problems
    lenient_amount, lenient_problems = quantities.parse_quantity(value, strict=False)
    assert lenient_amount == expected
    assert bool(lenient_problems) is (expected is None)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("1GB", "did you mean 1G or 1Gi?"),
        ("100MB", "did you mean 100M or 100Mi?"),
        ("1KB", "did you mean 1k or 1Ki?"),
        ("1kb", "did you mean 1k or 1Ki?"),
        ("1mb", "did you mean 1M or 1Mi?"),
        ("2.5TB", "did you mean 2.5T or 2.5Ti?"),
        ("1GiB", "did you mean 1Gi?"),
        ("512mib", "did you mean 512Mi?"),
        ("1gi", "suffixes are case-sensitive: did you mean 1Gi?"),
        ("1GI", "suffixes are case-sensitive: did you mean 1Gi?"),
        ("256mi", "suffixes are case-sensitive: did you mean 256Mi?"),
        ("1K", "did you mean 1k or 1Ki?"),
        ("1g", "suffixes are case-sensitive: did you mean 1G?"),
        ("1 Gi", "did you mean 1Gi?"),
        ("1 GB", "did you mean 1G or 1Gi?"),
        ("1,5", "did you mean 1.5?"),
        ("1,000", "did you mean 1000?"),
        ("1,000Mi", "did you mean 1000Mi?"),
        ("2cores", "did you mean 2?"),
        ("500millicores", "did you mean 500m?"),
        ("1024b", "did you mean 1024?"),
        ("Mi", "did you mean 1Mi?"),
    ],
)
def test_parse_quantity_hints(value: str, hint: str) -> None:
    suggestion = quantities.quantity_suggestion(value)
    assert suggestion is not None
    assert suggestion.endswith(hint)
    _, (message,) = quantities.parse_quantity(value)
    assert hint in message


@pytest.mark.parametrize("value", ["aoeu", "1.5.5", "50%", "1e", "+-1", "0x10"])
def test_quantity_suggestion_none(value: str) -> None:
    assert quantities.quantity_suggestion(value) is None
    _, (message,) = quantities.parse_quantity(value)
    assert "a quantity is a number with an optional suffix" in message


def test_parse_quantity_reasons() -> None:
    assert "unknown suffix 'GB'" in quantities.parse_quantity("1GB")[1][0]
    assert "more than one decimal point" in quantities.parse_quantity("1.5.5")[1][0]
    assert "must not contain spaces" in quantities.parse_quantity("1 Gi")[1][0]
    assert "no number before 'Mi'" in quantities.parse_quantity("Mi")[1][0]
    assert "would read it as 0" in quantities.parse_quantity("Mi")[1][0]
    assert "must not be empty" in quantities.parse_quantity("")[1][0]
    assert "exponent" in quantities.parse_quantity("1e4294967297")[1][0]


def test_parse_quantity_compares_requests_and_limits() -> None:
    request, _ = quantities.parse_quantity("1500m")
    limit, _ = quantities.parse_quantity("1")
    assert request is not None
    assert limit is not None
    assert request > limit
    assert quantities.parse_quantity("1Gi")[0] == quantities.parse_quantity("1024Mi")[0]
    assert (
        quantities.parse_quantity("1G")[0]
        == quantities.parse_quantity("1e9")[0]
        == quantities.parse_quantity(1e9)[0]
    )


# --- Cron schedules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "* * * * *",
        "*/5 * * * *",
        "0 0 * * *",
        "0 0 1 1 *",
        "59 23 31 12 6",
        "0 0 * * 0",
        "0-59/15 * * * *",
        "5/10 * * * *",
        "*/61 * * * *",
        "1,2,3 * * * *",
        "1,,2 * * * *",
        "0 9-17 * * 1-5",
        "0 9-17 * * MON-FRI",
        "0 0 * JAN,jul *",
        "0 0 * Jan-Dec sun",
        "0 0 ? * ?",
        "? ? ? ? ?",
        "+5 * * * *",
        "05 * * * *",
        "*-5 * * * *",
        "0\t0  *   * *",
        "  0 0 * * *  ",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "@every 1h",
        "@every 1h30m",
        "@every 90s",
        "@every 1.5h",
        "@every 500ms",
        "@every 0",
        "@every -1s",
        "@every .5s",
        "@every 1\u00b5s",
        "@every 2562047h",
    ],
)
def test_cron_schedule_valid(value: str) -> None:
    assert cron.cron_schedule(value) == []


@pytest.mark.parametrize(
    "value",
    [
        "",
        "* * * *",
        "* * * * * *",
        "0 0 0 0 0 0 0",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * 32 * *",
        "* * * 0 *",
        "* * * 13 *",
        "0 0 * * 7",
        "0 0 * * 5-7",
        "-1 * * * *",
        "5-3 * * * *",
        "1-2-3 * * * *",
        "*/0 * * * *",
        "*/5/5 * * * *",
        "*/x * * * *",
        "*/-1 * * * *",
        "a * * * *",
        "5- * * * *",
        "0 0 * * MONDAY",
        "0 0 * JANUARY *",
        "0 0 JAN * *",
        "0 0 * * sun/2/2",
        "99999999999999999999 * * * *",
        "@Daily",
        "@daily ",
        "@reboot",
        "@every",
        "@every ",
        "@every 1h 30m",
        "@every  1h",
        "@every 5",
        "@every 1x",
        "@every 1..5s",
        "@every .s",
        "@every 2562048h",
        "TZ=UTC 0 0 * * *",
        "CRON_TZ=Europe/Paris 0 0 * * *",
        "CRON_TZ=UTC",
        "0 0 * * * TZ=UTC",
        "\u0661 * * * *",
    ],
)
def test_cron_schedule_invalid(value: str) -> None:
    assert cron.cron_schedule(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0 0 * * 7", "day-of-week field: 7 is above the maximum, 6"),
        ("60 * * * *", "minute field: 60 is above the maximum, 59"),
        ("* * 0 * *", "day-of-month field: 0 is below the minimum, 1"),
        ("* * * 13 *", "month field: 13 is above the maximum, 12"),
        ("* 24 * * *", "hour field: 24 is above the maximum, 23"),
        ("* * * * * *", "a seconds field is not supported"),
        ("* * * *", "found 4"),
        ("*/0 * * * *", "the step must be a positive number"),
        ("0 0 * * MONDAY", "SUN-SAT"),
        ("TZ=UTC 0 0 * * *", "spec.timeZone"),
        ("@Daily", "use @daily"),
        ("@every 1h 30m", "did you mean '@every 1h30m'?"),
        ("@every 5", "missing unit"),
    ],
)
def test_cron_schedule_messages(value: str, fragment: str) -> None:
    problems = cron.cron_schedule(value)
    assert any(fragment in problem for problem in problems), problems


def test_cron_schedule_reports_every_bad_field() -> None:
    problems = cron.cron_schedule("60 24 0 13 7")
    assert [p.split(" field")[0] for p in problems] == [
        "minute",
        "hour",
        "day-of-month",
        "month",
        "day-of-week",
    ]


def test_cron_schedule_time_zone_prefix_and_bad_spec() -> None:
    problems = cron.cron_schedule("TZ=UTC 61 * * * *")
    assert len(problems) == 2


# --- Images --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("nginx", ("nginx", None, None)),
        ("nginx:1.14.2", ("nginx", "1.14.2", None)),
        ("nginx:latest", ("nginx", "latest", None)),
        ("library/nginx", ("library/nginx", None, None)),
        ("localhost:5000/a/b", ("localhost:5000/a/b", None, None)),
        ("localhost:5000/a/b:v1", ("localhost:5000/a/b", "v1", None)),
        ("a/b@sha256:" + HEX64, ("a/b", None, "sha256:" + HEX64)),
        ("a/b:1.0@sha256:" + HEX64, ("a/b", "1.0", "sha256:" + HEX64)),
        ("registry.k8s.io/pause:3.9", ("registry.k8s.io/pause", "3.9", None)),
        ("[::1]:5000/app:v2", ("[::1]:5000/app", "v2", None)),
        # malformed ones are still split
        ("Nginx:Latest", ("Nginx", "Latest", None)),
        ("nginx:", ("nginx", "", None)),
        ("host:5000/app", ("host:5000/app", None, None)),
        ("app@md5:123", ("app", None, "md5:123")),
        ("a:b:c", ("a:b", "c", None)),
    ],
)
def test_split_image(value: str, parts: tuple[str, str | None, str | None]) -> None:
    assert images.split_image(value) == parts


@pytest.mark.parametrize(
    "value",
    [
        "nginx",
        "nginx:1.14.2",
        "nginx:latest",
        "library/nginx",
        "docker.io/library/nginx:1.25",
        "index.docker.io/nginx",
        "localhost/app",
        "localhost:5000/a/b",
        "registry.example.com:5000/team/app:1.2.3",
        "registry.k8s.io/pause:3.9",
        "gcr.io/project/app@sha256:" + HEX64,
        "a/b@sha256:" + HEX64,
        "a/b:1.0@sha256:" + HEX64,
        "a/b@sha512:" + HEX64 * 2,
        "a/b@sha384:" + "a" * 96,
        "127.0.0.1:5000/app",
        "[::1]:5000/app",
        "[2001:db8::1]/app:v1",
        "my-registry/app",
        "MyRegistry/app",  # an upper-case first component is a registry host
        "my.app/x_y__z--w.v",
        "a:Tag_With.CAPS-1",
        "a:" + "t" * 128,
        "a/" + "b" * 200,
    ],
)
def test_image_reference_valid(value: str) -> None:
    assert images.image_reference(value) == []


@pytest.mark.parametrize(
    "value",
    [
        "",
        " nginx",
        "nginx ",
        "Nginx",
        "nginx/App",
        "NGINX:latest",
        "nginx:",
        "nginx:-bad",
        "nginx:.bad",
        "nginx:" + "t" * 129,
        "nginx:a:b",
        "nginx@",
        "nginx@sha256:",
        "nginx@sha256:abc",
        "nginx@sha256:" + HEX64.upper(),
        "nginx@sha256:" + HEX64[:-1],
        "nginx@md5:" + "a" * 32,
        "nginx@sha512:" + HEX64,
        "https://registry.example.com/app",
        "registry.example.com//app",
        "/app",
        "app/",
        "-app",
        "app-",
        "app..x",
        "app___x",
        "my app",
        "caf\u00e9",
        HEX64,
        "a/" + "b" * 256,
        "host:port/app",
    ],
)
def test_image_reference_invalid(value: str) -> None:
    assert images.image_reference(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "must not be empty"),
        (" nginx", "leading or trailing whitespace"),
        ("Nginx", "did you mean 'nginx'?"),
        ("registry.example.com/Team/App:V1", "did you mean 'registry.example.com/team/app:V1'?"),
        ("nginx:", "the tag after ':' is empty"),
        ("nginx:-bad", "the tag '-bad'"),
        ("nginx@sha256:abc", "the digest 'sha256:abc'"),
        ("nginx@md5:" + "a" * 32, "unsupported digest algorithm 'md5'"),
        ("nginx@sha256:" + HEX64[:-1], "64 hexadecimal digits (it has 63)"),
        ("nginx@sha256:" + HEX64.upper(), "lower case hexadecimal"),
        ("https://example.com/app", "remove the scheme"),
        ("a//b", "empty path component"),
        (HEX64, "bare 64-character image ID"),
        ("a/" + "b" * 256, "not be more than 255 characters"),
    ],
)
def test_image_reference_messages(value: str, fragment: str) -> None:
    problems = images.image_reference(value)
    assert any(fragment in problem for problem in problems), problems


@pytest.mark.parametrize(
    "check",
    [
        lambda text: quantities.parse_quantity("1e" + text)[1],
        lambda text: (
            quantities.parse_quantity(text)[1]
            if quantities.parse_quantity(text)[0] is None
            else ["ok"]
        ),
        lambda text: cron.cron_schedule(text + " * * * *"),
        lambda text: cron.cron_schedule("@every " + text + "h"),
        lambda text: percent.int_or_percent(text + "%", max_percent=100),
        lambda text: percent.int_or_percent(text),
    ],
)
def test_huge_numbers_do_not_crash(check: Callable[[str], list[str]]) -> None:
    problems = check("9" * 5000)
    assert problems
    assert all(len(problem) < 400 for problem in problems)


def test_patterns_are_compiled_once() -> None:
    """The hot checks hold compiled patterns at module level."""
    import re

    modules = (cron, images, labels, names, percent, ports, quantities)
    compiled = [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, re.Pattern)
    ]
    assert len(compiled) >= 20
