"""An enterprise's safety-risk colour from the bureau's 100-point assessment (危险化学品生产储存企业安全风险评估诊断
分级指南(试行), 应急〔2018〕19号, REGULATIONS-2 §A.7 [C2]): the rule ``enterprise-risk-colour``
(:func:`shouye.rules.enterprise_risk.enterprise_risk_colour`) and its direct-red conditions, with the names and
colours the pages and the map show them in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shouye.rules.data.enterprise_risk import DIRECT_RED_CONDITIONS as RULE_CONDITIONS
from shouye.rules.data.enterprise_risk import MAX_SCORE
from shouye.rules.enterprise_risk import enterprise_risk_colour

#: 直接判定为红色 (§A.7) as (code, text) pairs for the form's checkboxes: any one makes the enterprise red
#: whatever its score.
DIRECT_RED_CONDITIONS = tuple((condition["code"], condition["text"]) for condition in RULE_CONDITIONS)
DIRECT_RED_CODES = frozenset(code for code, _text in DIRECT_RED_CONDITIONS)

#: The colours most dangerous first, with their names and the map's and the badges' colours.
COLOUR_LABELS = {"red": _("Red"), "orange": _("Orange"), "yellow": _("Yellow"), "blue": _("Blue")}
COLOUR_HEX = {"red": "#d32f2f", "orange": "#ef6c00", "yellow": "#f9a825", "blue": "#1e88e5"}

__all__ = ["COLOUR_HEX", "COLOUR_LABELS", "DIRECT_RED_CODES", "DIRECT_RED_CONDITIONS", "MAX_SCORE",
           "enterprise_risk_colour"]
