"""The cockpit's warnings panel (issue 14): each warning in force, in its level's colour (突发事件应对法 2024
Art. 63: level 1 red … level 4 blue), with how many notified units (townships and departments) and, apart,
how many notified enterprises have not acknowledged it (叫应); the header counts the warnings in force and the
acknowledgements outstanding. One query whatever the number of warnings, units and enterprises."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from .permissions import VIEW
from .selectors import in_force_with_pending

#: Warnings the chart draws (the most severe first); the header's figures count them all.
TOP = 8
#: Warnings in force read at most (a district has a handful at a time).
LIMIT = 50
#: The bar colour of each warning colour (Art. 63).
LEVEL_COLOURS = {"red": charts.RED, "orange": "#ff8c1a", "yellow": "#f2d234", "blue": charts.BLUE}


def _bar(value: int, colour: str, *, faded: bool = False) -> dict:
    style = {"color": LEVEL_COLOURS.get(colour, charts.BLUE)}
    if faded:
        style["opacity"] = 0.55
    return {"value": value, "itemStyle": style}


def _in_force(user) -> dict:
    rows = list(in_force_with_pending(user)[:LIMIT])
    shown = rows[:TOP]
    option = charts.bars(
        [f"{row.title}（{row.get_level_display()}）" for row in shown],
        [{**charts.series(_("Units not acknowledged"), [_bar(row.units_pending, row.colour) for row in shown]),
          "itemStyle": {"color": charts.AMBER}},
         {**charts.series(_("Enterprises not acknowledged"),
                          [_bar(row.enterprises_pending, row.colour, faded=True) for row in shown]),
          "itemStyle": {"color": charts.AMBER, "opacity": 0.55}}],
        horizontal=True)
    return {
        "option": option,
        "kpis": [charts.kpi("warnings-in-force", _("Warnings in force"), len(rows), order=7, tone="warning"),
                 charts.kpi("warnings-units-pending", _("Units yet to acknowledge"),
                            sum(row.units_pending for row in rows), order=8, tone="danger"),
                 charts.kpi("warnings-enterprises-pending", _("Enterprises yet to acknowledge"),
                            sum(row.enterprises_pending for row in rows), order=9, tone="warning")],
    }


cockpit_panels.register(CockpitPanel(key="warnings-in-force", title=gettext_lazy("Warnings in force"), order=6,
                                     size="m", data=_in_force, permission=VIEW))
