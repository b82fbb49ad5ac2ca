"""KL054 cron-schedule-invalid: a CronJob schedule the API server rejects."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity
from kubelint.schema.formats.cron import cron_schedule


@object_rule(
    "KL054",
    "cron-schedule-invalid",
    Severity.ERROR,
    "A CronJob's schedule is not a valid cron expression.",
    doc(
        what="Checks `spec.schedule` of CronJobs as the API server parses it: five fields "
        "(minute, hour, day of month, month, day of week) with `*`, `?`, ranges, steps, "
        "lists and the names JAN-DEC and SUN-SAT, or a descriptor such as `@daily` or "
        "`@every 1h30m`. Every bad field is reported, not just the first.",
        why="The API server rejects the CronJob (`spec.schedule: Invalid value`). A seconds "
        "field (six fields, as in Quartz or Spring), day of week 7, or a time zone written "
        "as `TZ=` in the schedule are the usual causes.",
        example='spec:\n  schedule: "0 0 12 * * 7"',
        use_instead='spec:\n  schedule: "0 12 * * 0"\n  timeZone: Etc/UTC',
    ),
    kinds=("CronJob",),
)
def cron_schedule_invalid(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at a schedule that does not parse."""
    schedule = obj.get(("spec", "schedule"))
    if not isinstance(schedule, str):
        return
    problems = cron_schedule(schedule)
    if problems:
        yield Violation(
            ("spec", "schedule"),
            f'schedule "{schedule}" is invalid: {"; ".join(problems)}',
            'write five fields: minute hour day-of-month month day-of-week (e.g. "*/5 * * * *")',
        )
