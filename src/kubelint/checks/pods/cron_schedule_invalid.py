"""KL054 cron-schedule-invalid: a CronJob schedule the API server rejects."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject
from kubelint.schema.formats.cron import cron_schedule


@object_check("pods.cron-schedule-invalid")
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
