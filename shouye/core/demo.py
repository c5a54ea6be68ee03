"""What the demo's steps share (``shouye demo``, issue 10): the context each step receives, the agenda that
plays acts in the order of their moments, and the photos the acts attach.

Why the clock is moved: the demo shows a year of activity, and every figure in it must come from the services
a user goes through, so that the demo also exercises their rules. Those services stamp "now" themselves
(found, submitted, closed, issued, notified, audited) and refuse dates a user could not give (a deadline in
the past, an inspection in the future); that is what keeps real records honest, so they take no date from
their caller. The demo therefore travels in time instead (``time_machine``, a runtime dependency for this
reason only): each act runs at its own moment of the past year, and what it writes carries that moment.

Each act commits on its own, as it would in production: its notifications are sent when it commits, at its
moment; its audit events are sealed into the chain once, at the end of the load (the loader defers sealing:
one seal per act was a quarter of the demo's statements), in the same id order. A demo interrupted half-way is therefore detected and refused by the
loader (``shouye.enterprises.demo``) rather than resumed."""

from __future__ import annotations

import heapq
import io
import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation
from PIL import Image, ImageDraw

#: How far back the demo's activity reaches from its "today".
YEAR = timedelta(days=365)
#: Office hours in which officers and enterprises act (tip-offs from the public come at any hour).
OFFICE_HOURS = (time(8, 30), time(17, 30))


@dataclass
class DemoContext:
    """What a demo step receives. ``today`` is the demo's today: the activity fills the year before it (``start``
    up to yesterday; nothing is dated today or later, so the demo never holds a record from the future).
    ``accounts`` holds every user the demo made, by username; ``enterprises`` the enterprises in the order they
    were made; ``shared`` what a step hands to later ones, under the step's key."""

    seed: int
    today: date
    count: int
    enterprises: list = field(default_factory=list)
    accounts: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> date:
        return self.today - YEAR

    def rng(self, key: str) -> random.Random:
        """A generator of its own per step (and per purpose inside one), seeded from the demo's seed: a step that
        draws more or fewer numbers leaves every other step's data as it was."""
        return random.Random(f"{self.seed}:{key}")

    def past_days(self) -> list[date]:
        """The days of the year of activity, oldest first, ending yesterday."""
        return [self.start + timedelta(days=n) for n in range((self.today - self.start).days)]

    def at(self, moment: datetime):
        """Travel to ``moment`` (the clock stands still there) for the acts of the ``with`` block."""
        return time_machine.travel(moment, tick=False)


def is_workday(day: date) -> bool:
    """Monday to Friday. The demo does not model public holidays: the work calendar answers only for the years
    an administrator has entered, and a demo must load for any "today"."""
    return day.weekday() < 5


def workday_on_or_after(day: date) -> date:
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def workdays_after(day: date, count: int) -> date:
    """The ``count``-th working day after ``day``."""
    for _ in range(count):
        day = workday_on_or_after(day + timedelta(days=1))
    return day


def moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def office_moment(rng: random.Random, day: date) -> datetime:
    """A moment in office hours of ``day``, to the minute."""
    first, last = (t.hour * 60 + t.minute for t in OFFICE_HOURS)
    minutes = rng.randint(first, last)
    return moment(day, time(minutes // 60, minutes % 60))


class Agenda:
    """Acts to play in the order of their moments, whichever step or story added them: an act may add later
    ones (a submitted rectification schedules its re-inspection). Acts at the same moment keep the order in
    which they were added."""

    def __init__(self, context: DemoContext):
        self.context = context
        self._queue: list[tuple[datetime, int, Callable[[], Any]]] = []
        self._order = itertools.count()
        self._now: datetime | None = None

    def add(self, when: datetime, act: Callable[[], Any]) -> None:
        if self._now is not None and when < self._now:
            raise ValueError(f"an act at {when} was added while playing {self._now}: acts only go forward")
        heapq.heappush(self._queue, (when, next(self._order), act))

    def play(self) -> None:
        while self._queue:
            when, _, act = heapq.heappop(self._queue)
            self._now = when
            with self.context.at(when):
                act()
        self._now = None


def run_steps(context: DemoContext, steps: Iterable, report: Callable[[Any, dict], None]) -> None:
    """Run the registered steps in order, each reported as it ends. The steps run in the site's language: the
    texts the services write (notification titles, drafted descriptions) are stored as written."""
    with _fast_commits():
        for step in steps:
            with translation.override(settings.LANGUAGE_CODE):
                counts = dict(step.run(context))
            report(step, counts)


@contextmanager
def _fast_commits() -> Iterator[None]:
    """On PostgreSQL, commit without waiting for the disk while the demo loads: each of its thousands of acts
    commits on its own, and a crash loses only demo data, which is loaded again from nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


#: Colours of the demo's photos: the state before rectification, and after.
_PHOTO_COLOURS = {"before": ((150, 90, 60), (210, 160, 110)), "after": ((60, 120, 80), (150, 200, 160))}


def photo(rng: random.Random, kind: str = "after") -> SimpleUploadedFile:
    """A small JPEG (no larger than a thumbnail, so storing it costs no resizing) as a phone would upload it: a plain scene (floor, wall, a box or a door) in the tones of
    ``kind``, drawn so that no two look alike. The services check and store it like any upload."""
    dark, light = _PHOTO_COLOURS[kind]
    image = Image.new("RGB", (320, 240), light)
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(130, 175)
    draw.rectangle((0, horizon, 320, 240), fill=dark)
    left, top = rng.randint(15, 200), rng.randint(50, horizon - 40)
    draw.rectangle((left, top, left + rng.randint(40, 110), horizon + rng.randint(8, 40)),
                   fill=tuple(max(0, c - rng.randint(20, 60)) for c in dark), outline=(40, 40, 40), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{kind}.jpg", buffer.getvalue(), content_type="image/jpeg")
