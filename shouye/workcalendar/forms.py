"""The form an administrator fills in from the State Council's notice: one line per day (or per run of
days), ``2027-01-01 休 元旦`` or ``2027-10-01~2027-10-08 休 国庆节、中秋节``. Each line's problems are
reported with its line number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .package import DayEntry
from .services import FIRST_YEAR, LAST_YEAR, NOTE_MAX_LENGTH

DAY_OFF_WORDS = frozenset({"休", "放假", "假", "off"})
WORKDAY_WORDS = frozenset({"班", "上班", "work"})
_DATE = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_DATES = re.compile(rf"^(?P<start>{_DATE})(?:\s*(?:~|至|到)\s*(?P<end>{_DATE}))?(?=\s|休|班|放|上|$)")
#: Chinese kind words may follow the date without a space; longest first so 上班 is not read as 上.
_CJK_KINDS = ("放假", "上班", "休", "班")
#: The longest run one line may give (the longest official break is the 2020 Spring Festival's).
MAX_RUN_DAYS = 31

EXAMPLE = "2027-01-01 休 元旦\n2027-02-06 班 春节\n2027-02-08~2027-02-12 休 春节"


@dataclass(frozen=True)
class ParsedLine:
    """The days one line gives, with its line number (1-based) to report problems against."""

    line: int
    days: list[DayEntry]


def _date(text: str) -> date | None:
    parts = re.split(r"[-/.]", text)
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except (ValueError, IndexError):
        return None


def _kind_and_note(rest: str) -> tuple[str, str]:
    for word in _CJK_KINDS:
        if rest.startswith(word):
            return word, rest[len(word):].strip()
    first, _space, note = rest.partition(" ")
    return first.lower(), note.strip()


def line_error(number: int, message: str) -> str:
    return gettext("Line %(line)s: %(message)s") % {"line": number, "message": message}


def parse_arrangement(text: str) -> tuple[list[ParsedLine], list[str]]:
    """The lines of the textarea as days, and a message for every line that cannot be read.

    Blank lines and lines starting with ``#`` are skipped. A run ``A~B`` marked 休 gives its weekdays and
    one marked 班 its weekend days: the other days of the run are what the ordinary week makes them anyway.
    """
    parsed, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line or line.startswith("#"):
            continue
        match = _DATES.match(line)
        if match is None:
            errors.append(line_error(number, gettext(
                "cannot read “%(text)s”; write a date as YYYY-MM-DD, then 休 or 班, then a note, for example "
                "“2027-01-01 休 元旦”.") % {"text": raw.strip()}))
            continue
        start, end = _date(match["start"]), _date(match["end"]) if match["end"] else None
        kind, note = _kind_and_note(line[match.end():].strip())
        if start is None or (match["end"] and end is None):
            bad = match["start"] if start is None else match["end"]
            errors.append(line_error(number, gettext("“%(text)s” is not a date.") % {"text": bad}))
            continue
        if kind not in DAY_OFF_WORDS | WORKDAY_WORDS:
            errors.append(line_error(number, gettext(
                "after the date write 休 (day off) or 班 (make-up working day), not “%(text)s”.")
                % {"text": kind}))
            continue
        is_workday = kind in WORKDAY_WORDS
        if end is None:
            parsed.append(ParsedLine(number, [DayEntry(start, is_workday, note)]))
            continue
        if end <= start or (end - start).days >= MAX_RUN_DAYS:
            errors.append(line_error(number, gettext(
                "a run of days must end after it starts and last at most %(n)s days.") % {"n": MAX_RUN_DAYS}))
            continue
        run = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        days = [DayEntry(d, is_workday, note) for d in run if (d.weekday() >= 5) == is_workday]
        if not days:
            errors.append(line_error(number, gettext(
                "no day of this run differs from the ordinary week.")))
            continue
        parsed.append(ParsedLine(number, days))
    return parsed, errors


class AddYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    announced_on = forms.DateField(label=_("Announced on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("Date of the General Office of the State Council's notice."))
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH,
                           help_text=_("For example the document number of the notice."))
    arrangement = forms.CharField(
        label=_("Days off and make-up working days"), widget=forms.Textarea(attrs={"rows": 14, "placeholder": EXAMPLE}),
        help_text=_("One line per day or run of days: the date (YYYY-MM-DD), 休 for a day off or 班 for a make-up "
                    "working day, then the holiday. A run such as 2027-10-01~2027-10-07 休 adds its weekdays."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control font-monospace" if name == "arrangement"
                                          else "form-control")

    def clean_arrangement(self):
        parsed, errors = parse_arrangement(self.cleaned_data["arrangement"])
        if errors:
            raise forms.ValidationError(errors)
        return parsed

    def days(self) -> tuple[list[DayEntry], list[int]]:
        """The days to store, and for each the line it came from (to place the service's messages)."""
        days, lines = [], []
        for parsed in self.cleaned_data["arrangement"]:
            for day in parsed.days:
                days.append(day)
                lines.append(parsed.line)
        return days, lines
