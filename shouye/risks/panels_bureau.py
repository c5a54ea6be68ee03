"""The enterprise ledger page's block of the bureau's view (core ``enterprise_panels``): the enterprise's
dual-prevention liveness over the last 30 days and its 100-point risk colour (应急〔2018〕19号), with a link to
the assessment's history and form. Shown to those who see liveness (bureau, township and department officers);
seven grouped queries restricted to this one enterprise."""

from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels

from .choices import RISK_LEVEL_COLOURS, RiskLevel
from .scoring import COLOUR_LABELS
from .selectors.liveness import WINDOW_DAYS, Filters, liveness_rows
from .views.bureau import BADGES, VIEW_LIVENESS


def _context(request, enterprise) -> dict:
    user = request.user
    rows = liveness_rows(user, Filters(enterprise_ids=(enterprise.pk,)))
    row = rows[0] if rows else None
    grades = [(label, row.points.get(value, 0), BADGES[RISK_LEVEL_COLOURS[value]])
              for value, label in RiskLevel.choices] if row else []
    return {"enterprise": enterprise, "row": row, "grades": grades, "window_days": WINDOW_DAYS,
            "colour_label": COLOUR_LABELS.get(row.colour, "") if row else "",
            "colour_badge": BADGES.get(row.colour, "") if row else ""}


enterprise_panels.register(Panel(key="risk-liveness", title=gettext_lazy("Dual prevention"),
                                 template="risks/bureau/panel.html", context=_context, order=35,
                                 condition=lambda user: user.has_perm(VIEW_LIVENESS)))
