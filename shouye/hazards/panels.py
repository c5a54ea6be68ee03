"""The hazards' panels: statistics on the home page (ECharts), and one enterprise's hazards with its
statistics on the enterprise ledger page (一企一账). Both read through the scoped selectors only."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.accounts.models import User
from shouye.core.registry import Panel, enterprise_panels, home_panels

from . import exports, selectors
from .choices import HazardState

VIEW = "hazards.view_hazard"
#: Rows of the enterprise panel; the ledger filtered to the enterprise shows them all.
ENTERPRISE_ROWS = 10
#: Years offered by the home panel's period choice, counted back from this year.
YEARS_BACK = 5


def period_of(request) -> tuple[int, date, date]:
    """The panels' period: a calendar year (``?hazard_year=``, this year by default), up to today. A year
    that is not one of those offered is an error (ARCHITECTURE.md §10: never "ignore it and show
    everything"), raised as ValidationError with the message the panel shows instead of its figures."""
    today = timezone.localdate()
    value = request.GET.get("hazard_year", "").strip()
    first = today.year - YEARS_BACK + 1
    if not value:
        year = today.year
    elif value.isdigit() and first <= int(value) <= today.year:
        year = int(value)
    else:
        raise ValidationError(_("The year must be between %(first)d and %(last)d.")
                              % {"first": first, "last": today.year})
    return year, date(year, 1, 1), min(date(year, 12, 31), today)


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def _stacked(rows: list[dict]) -> dict:
    """Found hazards by group as a stacked bar: closed out, and not (yet) closed; plus overdue now."""
    return {
        "categories": [row["name"] if "name" in row else row["label"] for row in rows],
        "series": [
            {"name": _("Closed out"), "data": [row["closed"] for row in rows], "color": "#2e8b57"},
            {"name": _("Not closed"), "data": [row["found"] - row["closed"] for row in rows], "color": "#e0a106"},
            {"name": _("Overdue now"), "data": [row["overdue_now"] for row in rows], "color": "#c0392b",
             "stack": "overdue"},
        ],
    }


def _home_context(request) -> dict:
    user = request.user
    today = timezone.localdate()
    years = list(range(today.year, today.year - YEARS_BACK, -1))
    try:
        year, date_from, date_to = period_of(request)
    except ValidationError as exc:
        return {"error": exc.messages[0], "years": years}
    stats = selectors.hazard_stats(user, date_from=date_from, date_to=date_to)
    period = f"found_from={date_from:%Y-%m-%d}&found_to={date_to:%Y-%m-%d}"
    return {
        "stats": stats,
        "year": year,
        "years": years,
        "rectification_percent": _percent(stats["rectification_rate"]),
        "on_time_percent": _percent(stats["on_time_rate"]),
        "by_township": _stacked(stats["by_township"]),
        "by_industry": _stacked(stats["by_industry"]),
        "by_level": [{"label": row["label"], "count": row["found"]} for row in stats["by_level"]],
        "period_query": period,
        "closed_query": f"{period}&state={HazardState.CLOSED}",
    }


def _enterprise_context(request, enterprise) -> dict:
    user = request.user
    filters = {"enterprise": enterprise.pk}
    rows = exports.sort_ledger(selectors.ledger_rows(user, filters), "")
    today = timezone.localdate()
    context = {
        "enterprise": enterprise,
        "rows": [(hazard, hazard.is_overdue(today)) for hazard in rows[:ENTERPRISE_ROWS]],
        "total": rows.count(),
        "can_report": user.has_perm("hazards.report_hazard"),
    }
    try:
        year, date_from, date_to = period_of(request)
    except ValidationError as exc:
        return context | {"error": exc.messages[0]}
    stats = selectors.hazard_stats(user, date_from=date_from, date_to=date_to, filters=filters,
                                   group_by=("level",))
    return context | {
        "stats": stats,
        "year": year,
        "rectification_percent": _percent(stats["rectification_rate"]),
        "on_time_percent": _percent(stats["on_time_rate"]),
    }


home_panels.register(Panel(key="hazard-stats", title=gettext_lazy("Hidden hazards"),
                           template="hazards/panels/home_stats.html", context=_home_context, order=15,
                           condition=lambda user: User.supervises(user) and user.has_perm(VIEW)))
enterprise_panels.register(Panel(key="hazards", title=gettext_lazy("Hidden hazards"),
                                 template="hazards/panels/enterprise.html", context=_enterprise_context, order=40,
                                 condition=lambda user: user.has_perm(VIEW)))
