"""The rule tables as the writers read them: which level an alarm gets and what its level's rule says. The
ingest and the video intake raise alarms in bulk, so the tables (a few dozen rows) are read once and kept for
``TTL_SECONDS``; a change the bureau saves is in force for new alarms within that time (the pages say so)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from .choices import AlarmLevel

#: How long a process keeps the tables before reading them again.
TTL_SECONDS = 30


@dataclass(frozen=True)
class LevelRule:
    level: str
    notify_roles: tuple[str, ...]
    ack_minutes: int
    escalate_roles: tuple[str, ...]
    clear_condition: str
    repeat_count: int
    repeat_days: int

    def ack_due_by(self, raised: datetime) -> datetime:
        return raised + timedelta(minutes=self.ack_minutes)


class _Book:
    def __init__(self):
        self.loaded_at = -TTL_SECONDS - 1.0
        self.triggers: dict[tuple[str, str], str] = {}
        self.rules: dict[str, LevelRule] = {}

    def fresh(self) -> _Book:
        if time.monotonic() - self.loaded_at > TTL_SECONDS:
            from .models import AlarmRule, AlarmTrigger

            self.triggers = {(t.condition, t.point_kind): t.level for t in AlarmTrigger.objects.all()}
            self.rules = {r.level: LevelRule(r.level, tuple(r.notify_roles), r.ack_minutes, tuple(r.escalate_roles),
                                             r.clear_condition, r.repeat_count, r.repeat_days)
                          for r in AlarmRule.objects.all()}
            self.loaded_at = time.monotonic()
        return self


_book = _Book()


def forget() -> None:
    """Read the tables again at the next use (after the bureau saved them, and in tests)."""
    _book.loaded_at = -TTL_SECONDS - 1.0


def level_for(condition: str, point_kind: str) -> str:
    """The level of a sensor alarm: the trigger row for the point's kind, else the row for any kind, else
    yellow (a condition nobody gave a row still raises an alarm)."""
    triggers = _book.fresh().triggers
    return triggers.get((condition, point_kind)) or triggers.get((condition, "")) or AlarmLevel.YELLOW


def rule_for(level: str) -> LevelRule:
    """The handling rule of ``level``. Every level has one (seeded by the migrations; the rule page edits,
    never deletes)."""
    return _book.fresh().rules[level]
