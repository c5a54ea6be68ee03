"""The form an administrator fills in from the State Council's notice: one line per day (or per run of
days), ``2027-01-01 休 元旦`` or ``2027-10-01~2027-10-08 休 国庆节、中秋节``. Each line's problems are
reported with its line number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shouye.core.forms import ModelMultipleChoiceField
from shouye.enterprises.models import Industry
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .choices import PeriodRuleAction, PermitKind, SpecialPeriodKind
from .models import MAX_FILING_HOURS
from .package import DayEntry
from .periods import PeriodInput, RuleInput
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


DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class SpecialPeriodForm(forms.Form):
    """A special period and its rules: one row per kind of special operation with "raise the grade",
    "prohibit" and "file ... hours before" (REGULATIONS-2 §C.4 [U]: all the bureau's own choice)."""

    name = forms.CharField(label=_("Name"), max_length=100,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2027年春节"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=SpecialPeriodKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    starts_on = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    townships = ModelMultipleChoiceField(
        Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"), label=_("Townships"),
        required=False, widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every township."))
    industries = ModelMultipleChoiceField(
        Industry.objects.all(), label=_("Industries"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every industry."))
    notice = forms.CharField(label=_("What the bureau requires"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}))

    def __init__(self, *args, period=None, **kwargs):
        if period is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(period)
        super().__init__(*args, **kwargs)
        for kind in PermitKind:
            self.fields[f"{kind.value}_raise"] = forms.BooleanField(label=_("Raise the grade by one"), required=False)
            self.fields[f"{kind.value}_prohibit"] = forms.BooleanField(label=_("Prohibit"), required=False)
            self.fields[f"{kind.value}_filing_hours"] = forms.IntegerField(
                label=_("File hours before"), required=False, min_value=1, max_value=MAX_FILING_HOURS,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}))

    def rule_rows(self) -> list[dict]:
        """The rules grid, one row per kind, for the template."""
        return [{"kind": kind, "raise": self[f"{kind.value}_raise"], "prohibit": self[f"{kind.value}_prohibit"],
                 "hours": self[f"{kind.value}_filing_hours"]} for kind in PermitKind]

    def period_input(self) -> PeriodInput:
        data = self.cleaned_data
        rules = []
        for kind in PermitKind:
            if data.get(f"{kind.value}_raise"):
                rules.append(RuleInput(kind.value, PeriodRuleAction.RAISE_GRADE))
            if data.get(f"{kind.value}_prohibit"):
                rules.append(RuleInput(kind.value, PeriodRuleAction.PROHIBIT))
            if data.get(f"{kind.value}_filing_hours") is not None:
                rules.append(RuleInput(kind.value, PeriodRuleAction.REQUIRE_FILING,
                                       data[f"{kind.value}_filing_hours"]))
        return PeriodInput(name=data["name"], kind=data["kind"], starts_on=data["starts_on"],
                           ends_on=data["ends_on"], townships=tuple(r.pk for r in data["townships"]),
                           industries=tuple(i.pk for i in data["industries"]), notice=data["notice"],
                           rules=tuple(rules))

    def place_errors(self, exc: ValidationError, rules: tuple) -> None:
        """The service's messages on the form: ``rules[i]`` goes to the kind's row."""
        for key, messages in exc.message_dict.items():
            if key.startswith("rules["):
                rule = rules[int(key[6:-1])]
                self.add_error(f"{rule.permit_kind}_raise", messages)
            elif key in self.fields:
                self.add_error(key, messages)
            else:
                self.add_error(None, messages)


def initial_of(period) -> dict:
    initial = {"name": period.name, "kind": period.kind, "starts_on": period.starts_on, "ends_on": period.ends_on,
               "townships": list(period.townships.all()), "industries": list(period.industries.all()),
               "notice": period.notice}
    for rule in period.rules.all():
        if rule.action == PeriodRuleAction.RAISE_GRADE:
            initial[f"{rule.permit_kind}_raise"] = True
        elif rule.action == PeriodRuleAction.PROHIBIT:
            initial[f"{rule.permit_kind}_prohibit"] = True
        else:
            initial[f"{rule.permit_kind}_filing_hours"] = rule.filing_hours_before
    return initial


class CancelPeriodForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200,
                             widget=forms.TextInput(attrs={"class": "form-control"}))
