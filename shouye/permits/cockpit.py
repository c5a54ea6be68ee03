"""The cockpit's special-operation panels (issue 12): permits under way by kind, stacked by grade, with special hot
work and the permits with problems in the header; and the permits with problems, ending soonest first, each with
its flags. From the board's selectors: a fixed number of queries whatever the number of permits."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from .board import board_figures, board_permits, grade_label, in_progress_by_kind, problem_rows
from .workflow import BOARD

#: Permits the problems panel lists.
TOP = 8
_COLOURS = (charts.RED, charts.AMBER, charts.BLUE, charts.CYAN)


def _grade_series(rows: list[dict]) -> list[dict]:
    """One stacked series per grade (the same code reads the same on every form: 一级 hot work and 一级 lifting),
    and the kinds without grades."""
    series = [charts.series(_("Without grade"), [row["total"] - sum(g["count"] for g in row["grades"])
                                                 for row in rows], color=charts.GREEN, stack="grade")]
    grades = sorted({g["grade"] for row in rows for g in row["grades"]})
    for index, grade in enumerate(grades):
        counts = [sum(g["count"] for g in row["grades"] if g["grade"] == grade) for row in rows]
        label = "/".join(sorted({grade_label(row["kind"], grade) for row in rows
                                 if any(g["grade"] == grade for g in row["grades"])}))
        series.append(charts.series(label, counts, color=_COLOURS[index % len(_COLOURS)], stack="grade"))
    return series


def _in_progress(user) -> dict:
    permits = board_permits(user)
    rows = in_progress_by_kind(permits)
    figures = board_figures(permits, timezone.now())
    return {
        "option": charts.bars([row["label"] for row in rows], _grade_series(rows), rotate=30),
        "kpis": [
            charts.kpi("permits-in-progress", _("Special operations in progress"), figures["in_progress"], order=80),
            charts.kpi("permits-special-hot-work", _("Special hot work under way"), figures["special_hot_work"],
                       order=81, tone="danger"),
            charts.kpi("permits-problems", _("Permits with problems"), figures["with_problems"], order=82,
                       tone="warning"),
        ],
    }


def _problems(user) -> dict:
    rows = problem_rows(board_permits(user), timezone.now(), limit=TOP)
    return {"rows": [{"time": timezone.localtime(row["planned_end"]).strftime("%H:%M"),
                      "text": f"{row['enterprise']} · {row['number']} · "
                              f"{'；'.join(flag['label'] for flag in row['problems'])}",
                      "url": row["url"]} for row in rows]}


cockpit_panels.register(CockpitPanel(key="permits-in-progress", title=gettext_lazy("Special operations in progress"),
                                     order=80, size="m", data=_in_progress, permission=BOARD))
cockpit_panels.register(CockpitPanel(key="permits-problems", title=gettext_lazy("Permits with problems"), order=81,
                                     size="m", data=_problems, permission=BOARD))
