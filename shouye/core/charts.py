"""ECharts options the cockpit's panels share (驾驶舱, issue 10), so every app's panel looks the same on the duty
room's screen: built here as plain dicts, sent as JSON and drawn by ``static/shouye/cockpit.js`` with the dark
theme.

Tooltips are drawn on the canvas (``renderMode: "richText"``): ECharts' HTML tooltips carry ``style``
attributes, which the Content-Security-Policy refuses (``shouye.core.csp``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

TOOLTIP_AXIS = {"trigger": "axis", "axisPointer": {"type": "shadow"}, "renderMode": "richText"}
TOOLTIP_ITEM = {"trigger": "item", "renderMode": "richText"}
LEGEND = {"top": 0, "type": "scroll", "textStyle": {"fontSize": 12}}
#: Colours of the platform's charts: blue for counts, green for what is done, amber for what is open, red for
#: what is late.
BLUE, GREEN, AMBER, RED, CYAN = "#3ba0ff", "#36c48e", "#f2b134", "#ff5b5b", "#5ad8e6"


def series(name, data: Sequence, *, color: str = "", kind: str = "bar", stack: str = "",
           percent: bool = False) -> dict:
    """One series of a :func:`bars` chart; ``percent`` puts it on the right-hand axis (0–100 %)."""
    item: dict = {"name": name, "type": kind, "data": list(data)}
    if color:
        item["itemStyle"] = {"color": color}
        if kind == "line":
            item["lineStyle"] = {"color": color}
    if stack:
        item["stack"] = stack
    if percent:
        item["yAxisIndex"] = 1
    return item


def bars(categories: Sequence, all_series: Iterable[dict], *, horizontal: bool = False,
         rotate: int = 0, every_label: bool = True) -> dict:
    """A bar (and line) chart over ``categories``; a right-hand percentage axis when any series needs it.
    ``every_label=False`` lets the chart skip category labels that do not fit (months on a phone)."""
    all_series = list(all_series)
    category_axis = {"type": "category", "data": [str(name) for name in categories],
                     "axisLabel": {"interval": 0 if every_label else "auto", "rotate": rotate, "fontSize": 11}}
    value_axes: list[dict] = [{"type": "value", "minInterval": 1}]
    if any("yAxisIndex" in item for item in all_series):
        value_axes.append({"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"},
                           "splitLine": {"show": False}})
    option = {
        "tooltip": TOOLTIP_AXIS,
        "legend": LEGEND,
        "grid": {"left": 8, "right": 8, "top": 34, "bottom": 4, "containLabel": True},
        "series": all_series,
    }
    if horizontal:
        option.update(xAxis=value_axes[0], yAxis={**category_axis, "inverse": True})
    else:
        option.update(xAxis=category_axis, yAxis=value_axes if len(value_axes) > 1 else value_axes[0])
    return option


def ring(items: Iterable[tuple[str, int]]) -> dict:
    """A ring (doughnut) of named counts, its legend beside it."""
    return {
        "tooltip": TOOLTIP_ITEM,
        "legend": {**LEGEND, "top": "middle", "right": 0, "orient": "vertical"},
        "series": [{"type": "pie", "radius": ["42%", "70%"], "center": ["38%", "52%"],
                    "label": {"show": False},
                    "data": [{"name": str(name), "value": value} for name, value in items]}],
    }


def kpi(key: str, label, value, *, order: int, unit="", tone: str = "") -> dict:
    """A figure for the cockpit's header, placed by ``order`` among the other panels' figures; ``tone`` is
    ``"warning"`` or ``"danger"`` for one that calls for attention when it is not zero."""
    return {"key": key, "label": label, "value": value, "unit": unit, "tone": tone if value else "",
            "order": order}


def percent(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` in per cent to one decimal, or None (no bar) when there is nothing to divide."""
    return round(100 * numerator / denominator, 1) if denominator else None
