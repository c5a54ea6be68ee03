"""Warning levels: colour and the articles whose measures apply (REGULATIONS-2.md §E.4).

Source: 《中华人民共和国突发事件应对法》 (2024) Art. 63 (four levels and colours), Art. 66 (measures on a
level 3 or 4 warning), Art. 67 (further measures on a level 1 or 2 warning); tables in
:mod:`shouye.rules.data.early_warnings`.
"""

from __future__ import annotations

from dataclasses import dataclass

from shouye.rules._values import to_int
from shouye.rules.data.early_warnings import COLOUR_NAMES, LAW, LEVEL_ARTICLES, LEVEL_COLOURS, LEVEL_NAMES
from shouye.rules.errors import RuleInputError


@dataclass(frozen=True)
class WarningMeasures:
    """A warning level's colour and the articles of the 2024 law whose measures apply, ascending."""

    level: int
    colour: str
    articles: tuple[int, ...]
    basis: str


def warning_measures(level: object) -> WarningMeasures:
    """Colour and applicable articles for a warning ``level`` (1 highest … 4 lowest)."""
    number = to_int(level, "level", label="预警级别", minimum=None)
    if number not in LEVEL_COLOURS:
        raise RuleInputError(f"预警级别应为1至4之间的整数（1为最高级），收到 {level!r}", "level")
    colour, articles = LEVEL_COLOURS[number], LEVEL_ARTICLES[number]
    measures = "第六十六条和第六十七条规定的措施" if 67 in articles else "第六十六条规定的措施"
    return WarningMeasures(
        level=number,
        colour=colour,
        articles=articles,
        basis=f"{LAW}第六十三条：{LEVEL_NAMES[number]}预警为{COLOUR_NAMES[colour]}（一级为最高级别）；"
        f"发布{LEVEL_NAMES[number]}警报、宣布进入预警期后，采取{measures}",
    )
