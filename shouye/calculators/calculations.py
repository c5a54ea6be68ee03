"""One function per calculator of the page: the posted form in, the rule's result (or its error) out.

The rules are those of ``shouye.rules``; the hot-work grade uses the work calendar stored in the database
(``workcalendar.selectors.work_calendar``), so a year an administrator added counts at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from shouye.rules import accidents, major_hazard, permits, risk
from shouye.rules.data.gb30871 import HOT_WORK_GRADE_LABELS
from shouye.rules.errors import RuleInputError
from shouye.workcalendar.selectors import work_calendar

from .forms import (
    HOT_WORK_SITUATION,
    AccidentForm,
    HotWorkForm,
    LecForm,
    RiskMatrixForm,
    checked,
    number,
    text,
)

MAJOR_HAZARD_GRADE_LABELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
LEC_BAND_LABELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


@dataclass
class Outcome:
    """What a calculator card shows: its (bound) inputs, and either the result or the rule's error."""

    form: object = None
    result: object = None
    error: RuleInputError | None = None
    extra: dict = field(default_factory=dict)

    @property
    def error_field(self) -> str:
        return self.error.field if self.error else ""

    @property
    def error_label(self) -> str:
        """The input the error is about, as the page names it."""
        if self.error is None:
            return ""
        fields = getattr(self.form, "fields", {})
        if self.error.field in fields:
            return str(fields[self.error.field].label)
        return str(self.extra.get("error_label") or self.error.field)


def _run(outcome: Outcome, compute) -> Outcome:
    try:
        outcome.result = compute()
    except RuleInputError as exc:
        outcome.error = exc
        _mark_invalid(outcome)
    return outcome


def _mark_invalid(outcome: Outcome) -> None:
    """Bootstrap's invalid style on the input the rule named."""
    fields = getattr(outcome.form, "fields", {})
    if outcome.error is not None and outcome.error.field in fields:
        attrs = fields[outcome.error.field].widget.attrs
        attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        attrs["aria-invalid"] = "true"


def lec(data) -> Outcome:
    """LEC, D = L×E×C (REGULATIONS.md §3.1)."""
    outcome = Outcome(form=LecForm(data))
    return _run(outcome, lambda: risk.assess_lec(number(data.get("l")), number(data.get("e")),
                                                 number(data.get("c"))))


def risk_matrix(data) -> Outcome:
    """Risk matrix, R = L×S (REGULATIONS.md §3.2)."""
    outcome = Outcome(form=RiskMatrixForm(data))
    return _run(outcome, lambda: risk.assess_risk_matrix(number(data.get("l")), number(data.get("s"))))


def hot_work(data) -> Outcome:
    """Hot-work grade (GB 30871-2022 5.1), raised on holidays and rest days of the stored work calendar."""
    outcome = Outcome(form=HotWorkForm(data))

    def compute():
        result = permits.hot_work_grade(
            start=text(data, "start"),
            wind_force=number(data.get("wind_force")),
            outdoor=checked(data, "outdoor"),
            calendar=work_calendar(),
            **{flag: checked(data, flag) for flag in HOT_WORK_SITUATION},
        )
        outcome.extra = {"label": HOT_WORK_GRADE_LABELS[result.grade],
                         "situation_label": HOT_WORK_GRADE_LABELS[result.situation_grade],
                         "validity": permits.permit_validity("hot_work", result.grade)}
        return result

    if text(data, "start") is None:
        outcome.error = RuleInputError(gettext("Enter the start of the work."), "start")
        _mark_invalid(outcome)
        return outcome
    return _run(outcome, compute)


def accident(data) -> Outcome:
    """Accident grade, reporting deadlines and the supplementary-report window (国务院令第493号)."""
    outcome = Outcome(form=AccidentForm(data))
    if text(data, "occurred_at") is None:
        outcome.error = RuleInputError(gettext("Enter the time of the accident."), "occurred_at")
        _mark_invalid(outcome)
        return outcome
    return _run(outcome, lambda: accidents.assess_accident(
        deaths=number(data.get("deaths")),
        serious_injuries=number(data.get("serious_injuries")),
        direct_loss_yuan=number(data.get("direct_loss_yuan")),
        occurred_at=text(data, "occurred_at"),
        kind=text(data, "kind"),
    ))


# --- major hazard identification (GB 18218-2018) -------------------------------------------------------


@dataclass(frozen=True)
class SubstanceRow:
    """One inventory line as typed: a Table 1 name, alias or CAS number, a Table 2 symbol, the quantity."""

    substance: str = ""
    category: str = ""
    quantity_t: str = ""

    @property
    def blank(self) -> bool:
        return not (self.substance.strip() or self.category.strip() or self.quantity_t.strip())


def _looks_like_cas(value: str) -> bool:
    parts = value.split("-")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


def substance_rows(data) -> list[SubstanceRow]:
    """The rows of the posted form (blank ones dropped); ``remove_row`` drops the row of that index."""
    names, categories, quantities = (data.getlist(key) for key in ("substance", "category", "quantity_t"))
    count = max(len(names), len(categories), len(quantities))

    def at(values, index):
        return values[index] if index < len(values) else ""

    removed = data.get("remove_row")
    rows = [SubstanceRow(at(names, i), at(categories, i), at(quantities, i)) for i in range(count)
            if str(i) != removed]
    return [row for row in rows if not row.blank]


def _item(row: SubstanceRow) -> dict:
    item: dict = {"quantity_t": number(row.quantity_t)}
    name = row.substance.strip()
    if name:
        item["cas" if _looks_like_cas(name) else "name"] = name
    if row.category.strip():
        item["category"] = row.category.strip()
    return item


def major_hazard_identification(data) -> Outcome:
    """S = Σq/Q, whether the unit is a major hazard installation, and its grade from R = α·Σβq/Q."""
    rows = substance_rows(data)
    outcome = Outcome(extra={"rows": rows, "exposed_population": data.get("exposed_population", "")})

    def compute():
        population = number(data.get("exposed_population"))
        return major_hazard.identify_major_hazard([_item(row) for row in rows], population)

    _run(outcome, compute)
    if outcome.result is not None:
        outcome.extra["grade_label"] = MAJOR_HAZARD_GRADE_LABELS.get(outcome.result.grade, "")
    if outcome.error is not None:
        _locate_major_hazard_error(outcome)
    return outcome


def _locate_major_hazard_error(outcome: Outcome) -> None:
    """The row and column of the inventory the rule's field (``substances[2].quantity_t``) points at."""
    error_field = outcome.error.field
    if error_field == "exposed_population":
        outcome.extra["error_label"] = gettext("People within 500 m")
        return
    if not error_field.startswith("substances["):
        outcome.extra["error_label"] = gettext("Substances")
        return
    index, _sep, column = error_field[len("substances["):].partition("]")
    column = {"name": "substance", "cas": "substance"}.get(column.lstrip("."), column.lstrip("."))
    columns = {"substance": gettext("Substance"), "category": gettext("Table 2 category"),
               "quantity_t": gettext("Quantity (t)"), "beta": "β"}
    outcome.extra["error_row"] = int(index)
    outcome.extra["error_column"] = column
    outcome.extra["error_label"] = gettext("Row %(row)s, %(column)s") % {
        "row": int(index) + 1, "column": columns.get(column, column)}
