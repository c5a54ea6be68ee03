"""The bureau's live board of special operations (issue 12, "The bureau's live board"): what is under way now in
the user's scope — permits in progress by kind and grade, special hot work, filings during special periods, and the
permits with problems, each a flag the inspector opens.

Problems are the permit's stored ``problems`` (what the rules found wrong when it was filled or pushed: approver
below Table B.1's level, certificate expired …) and two that depend on the clock, computed by the query from the
stored times (decision 0012): the last gas test older than the kind's re-test interval while the work is in
progress (:data:`GAS_RETEST_INTERVAL`), and the validity running out within a margin while the work is under way
(``SHOUYE_PERMIT_EXPIRY_WARNING_MINUTES``).

Everything is read in :data:`BOARD_QUERIES` queries whatever the number of permits: the figures are aggregates in
SQL, and every list is limited to :data:`LIST_LIMIT` rows (``values()``, no model instances)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.utils import timezone

from shouye.core import jsonlists
from shouye.rules.data.gb30871 import HOT_WORK_GRADE_LABELS

from .choices import LIVE_STATES, PermitKind, PermitState, ProblemCode
from .models import SpecialOperationPermit
from .workflow import OPEN

#: How old the last gas test of a permit in progress may be before the board flags it (the re-tests during work).
GAS_RETEST_INTERVAL = {
    # GB 30871-2022 6.5: in a confined space, flammable, toxic and oxygen levels are monitored continuously with
    # portable detectors and recorded every 2 h.
    PermitKind.CONFINED_SPACE: timedelta(hours=2),
    # GB 30871-2022 5.3.1 d): hot work is analysed again every day before work starts (and after a stoppage of
    # more than 30 min for 特级/一级, 60 min for 二级, which the stored times cannot show): an analysis older than
    # a day while the work goes on is stale.
    PermitKind.HOT_WORK: timedelta(hours=24),
}
#: Rows each list of the board shows (the figures count them all).
LIST_LIMIT = 50
#: The queries of :func:`board_data`: the figures, the counts by kind and grade, and the three lists.
BOARD_QUERIES = 5
#: The permit's page (``permits:detail``), with ``{id}`` for its id.
PERMIT_URL = "/permits/{id}/"
SPECIAL_HOT_WORK = Q(kind=PermitKind.HOT_WORK, grade="special")
#: States in which a filing still matters: the permit is not yet closed or accepted.
FILING_STATES = tuple(state for state in PermitState.values
                      if state not in (PermitState.COMPLETED, PermitState.ARCHIVED, PermitState.CANCELLED,
                                       PermitState.REVOKED, PermitState.EXPIRED))
#: The stored problems the board counts one by one (the clock-dependent two are computed).
STORED_CODES = tuple(code for code in ProblemCode.values
                     if code not in (ProblemCode.GAS_TEST_STALE, ProblemCode.VALIDITY_RUNNING_OUT))

_ROMAN = {"I": "Ⅰ级", "II": "Ⅱ级", "III": "Ⅲ级", "IV": "Ⅳ级"}
_LIFTING = {"1": "一级", "2": "二级", "3": "三级"}


def grade_label(kind: str, grade: str) -> str:
    """The grade as the forms print it: 特级/一级/二级 (hot work, 5.1), Ⅰ–Ⅳ级 (height, Table 2), 一–三级 (lifting,
    9.1); "" for kinds without grades."""
    if not grade:
        return ""
    if kind == PermitKind.HOT_WORK:
        return HOT_WORK_GRADE_LABELS.get(grade, grade)
    if kind == PermitKind.WORK_AT_HEIGHT:
        return _ROMAN.get(grade, grade)
    if kind == PermitKind.LIFTING:
        return _LIFTING.get(grade, grade)
    return grade


def expiry_margin() -> timedelta:
    """How long before ``planned_end`` a permit in progress is flagged (REGULATIONS [U]: no rule sets it; a
    setting, 60 min by default)."""
    return timedelta(minutes=settings.SHOUYE_PERMIT_EXPIRY_WARNING_MINUTES)


def gas_stale_condition(now) -> Q:
    """A permit in progress whose last gas test is older than its kind's re-test interval. A permit with no gas
    test at all carries the stored ``gas_test_missing`` (the rules' verdict when it was approved or pushed)."""
    condition = Q(pk__in=[])
    for kind, interval in GAS_RETEST_INTERVAL.items():
        condition |= Q(kind=kind, last_gas_test_at__lt=now - interval)
    return Q(state=PermitState.IN_PROGRESS) & condition


def running_out_condition(now) -> Q:
    """A permit under way (in progress or suspended) whose validity ends within the margin."""
    return Q(state__in=LIVE_STATES, planned_end__lte=now + expiry_margin())


def stored_condition(code: str) -> Q:
    """The permit's stored ``problems`` name ``code`` (a list of codes or of ``{"code": …}``)."""
    return jsonlists.names("problems", code)


def problem_condition(now) -> Q:
    return Q(problem_count__gt=0) | gas_stale_condition(now) | running_out_condition(now)


def _link(pk: int) -> str:
    return PERMIT_URL.format(id=pk)


def _stored_codes(problems) -> list[str]:
    codes = []
    for item in problems or ():
        code = item.get("code", "") if isinstance(item, dict) else str(item)
        if code and code not in codes:
            codes.append(code)
    return codes


_ROW_FIELDS = ("id", "number", "kind", "grade", "state", "enterprise_id", "enterprise__name", "township__name",
               "location", "planned_start", "planned_end", "last_gas_test_at")


def _row(values: dict) -> dict:
    kinds, states = dict(PermitKind.choices), dict(PermitState.choices)
    return {
        "id": values["id"], "number": values["number"], "kind": values["kind"],
        "kind_label": str(kinds.get(values["kind"], values["kind"])), "grade": values["grade"],
        "grade_label": grade_label(values["kind"], values["grade"]), "state": values["state"],
        "state_label": str(states.get(values["state"], values["state"])),
        "enterprise_id": values["enterprise_id"], "enterprise": values["enterprise__name"],
        "township": values["township__name"], "location": values["location"],
        "planned_start": values["planned_start"], "planned_end": values["planned_end"],
        "last_gas_test_at": values["last_gas_test_at"], "url": _link(values["id"]),
    }


def board_permits(user):
    """The permits ``user`` sees, ordered by nothing (the lists order themselves)."""
    return SpecialOperationPermit.objects.visible_to(user).order_by()


def board_figures(permits, now) -> dict:
    counts = {
        "in_progress": Count("id", filter=Q(state=PermitState.IN_PROGRESS)),
        "suspended": Count("id", filter=Q(state=PermitState.SUSPENDED)),
        "special_hot_work": Count("id", filter=Q(state__in=LIVE_STATES) & SPECIAL_HOT_WORK),
        "started_today": Count("id", filter=Q(started_at__gte=_midnight(now))),
        "filings": Count("id", filter=Q(state__in=FILING_STATES, filing_due_by__isnull=False)),
        "filings_waiting": Count("id", filter=Q(state__in=FILING_STATES, filing_due_by__isnull=False,
                                                filed_at__isnull=True)),
        "filings_late": Count("id", filter=Q(state__in=FILING_STATES, filing_due_by__lt=now, filed_at__isnull=True)
                              | Q(state__in=FILING_STATES, filing_due_by__isnull=False, filed_at__gt=F("filing_due_by"))),
        "with_problems": Count("id", filter=Q(state__in=OPEN) & problem_condition(now)),
        ProblemCode.GAS_TEST_STALE.value: Count("id", filter=gas_stale_condition(now)),
        ProblemCode.VALIDITY_RUNNING_OUT.value: Count("id", filter=running_out_condition(now)),
    }
    # The cheap column first: PostgreSQL stops at it for the permits without a problem, before reading the JSON.
    counts.update({code: Count("id", filter=Q(problem_count__gt=0) & Q(state__in=OPEN) & stored_condition(code))
                   for code in STORED_CODES})
    # Every figure counts permits not yet closed or started today: the rest of the year's permits are not read.
    return permits.filter(Q(state__in=FILING_STATES) | Q(started_at__gte=_midnight(now))).aggregate(**counts)


def _midnight(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def in_progress_by_kind(permits) -> list[dict]:
    """Permits in progress (or suspended) by kind, each with its grades, in the kinds' order (one query)."""
    table = {kind: {} for kind in PermitKind.values}
    for kind, grade, count in (permits.filter(state__in=LIVE_STATES).values_list("kind", "grade")
                               .annotate(n=Count("id")).order_by()):
        table.setdefault(kind, {})[grade] = count
    rows = []
    for kind, label in PermitKind.choices:
        grades = table[kind]
        rows.append({"kind": kind, "label": str(label), "total": sum(grades.values()),
                     "grades": [{"grade": grade, "label": grade_label(kind, grade), "count": count}
                                for grade, count in sorted(grades.items(), key=lambda item: _grade_order(kind, item[0]))
                                if grade]})
    return rows


def _grade_order(kind: str, grade: str) -> int:
    """Highest grade first: 特级 before 一级 before 二级; Ⅳ before Ⅰ; 一级 lifting before 三级."""
    orders = {PermitKind.HOT_WORK: ("special", "1", "2"), PermitKind.WORK_AT_HEIGHT: ("IV", "III", "II", "I"),
              PermitKind.LIFTING: ("1", "2", "3")}
    order = orders.get(kind, ())
    return order.index(grade) if grade in order else len(order)


def _special_hot_work(permits) -> list[dict]:
    rows = (permits.filter(SPECIAL_HOT_WORK, state__in=LIVE_STATES).order_by("planned_end", "id")
            .values(*_ROW_FIELDS, "video_url")[:LIST_LIMIT])
    return [{**_row(values), "video_url": values["video_url"]} for values in rows]


def _filings(permits, now) -> list[dict]:
    """Permits to be filed with the bureau in a special period: waiting ones first, by deadline."""
    rows = (permits.filter(state__in=FILING_STATES, filing_due_by__isnull=False)
            .annotate(waiting=Case(When(filed_at__isnull=True, then=Value(0)), default=Value(1)))
            .order_by("waiting", "filing_due_by", "id")
            .values(*_ROW_FIELDS, "special_period__name", "filing_due_by", "filed_at")[:LIST_LIMIT])
    result = []
    for values in rows:
        due, filed = values["filing_due_by"], values["filed_at"]
        late = (filed is None and due < now) or (filed is not None and filed > due)
        result.append({**_row(values), "special_period": values["special_period__name"], "filing_due_by": due,
                       "filed_at": filed, "late": late})
    return result


def problem_rows(permits, now, limit: int = LIST_LIMIT) -> list[dict]:
    """Open permits with a problem, ending soonest first; each with its flags (one query)."""
    rows = (permits.filter(Q(state__in=OPEN) & problem_condition(now))
            .annotate(gas_stale=Case(When(gas_stale_condition(now), then=Value(True)), default=Value(False),
                                     output_field=BooleanField()),
                      running_out=Case(When(running_out_condition(now), then=Value(True)), default=Value(False),
                                       output_field=BooleanField()))
            .order_by("planned_end", "id")
            .values(*_ROW_FIELDS, "problems", "gas_stale", "running_out")[:limit])
    labels = dict(ProblemCode.choices)
    result = []
    for values in rows:
        codes = _stored_codes(values["problems"])
        for computed, code in ((values["gas_stale"], ProblemCode.GAS_TEST_STALE),
                               (values["running_out"], ProblemCode.VALIDITY_RUNNING_OUT)):
            if computed and code not in codes:
                codes.append(code)
        result.append({**_row(values), "problems": [{"code": code, "label": str(labels.get(code, code))}
                                                    for code in codes]})
    return result


def board_data(user, now=None) -> dict:
    """The board for ``user`` at ``now`` (default: the current time), in :data:`BOARD_QUERIES` queries."""
    now = now or timezone.now()
    permits = board_permits(user)
    figures = board_figures(permits, now)
    labels = dict(ProblemCode.choices)
    problem_counts = [{"code": code, "label": str(labels[code]), "count": figures[code]}
                      for code in ProblemCode.values]
    return {
        "now": now,
        "expiry_warning_minutes": settings.SHOUYE_PERMIT_EXPIRY_WARNING_MINUTES,
        "figures": {key: figures[key] for key in ("in_progress", "suspended", "special_hot_work", "started_today",
                                                  "filings", "filings_waiting", "filings_late", "with_problems")},
        "by_kind": in_progress_by_kind(permits),
        "special_hot_work": _special_hot_work(permits),
        "filings": _filings(permits, now),
        "problem_counts": problem_counts,
        "problems": problem_rows(permits, now),
        "list_limit": LIST_LIMIT,
    }

