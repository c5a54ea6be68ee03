"""Regulatory rules as plain Python (no Django import anywhere in this package).

Each module implements one source and cites it; every rule returns a result carrying ``basis``, the
standard and clause applied, marked [P] or [U] where REGULATIONS.md marks the value so. Bad input raises
:class:`RuleInputError` with a Chinese message and the offending field.

- :mod:`~shouye.rules.identifiers` — credit code (GB 32100-2015, GB 11714), ID number (GB 11643-1999), masking
- :mod:`~shouye.rules.risk` — LEC, the risk matrix and MES, four colours, a risk point's grade and control
  level (tables and their JSON form in :mod:`shouye.rules.data.risk`)
- :mod:`~shouye.rules.enterprise_risk` — an enterprise's colour (应急〔2018〕19号, with the direct-red
  conditions) and a chemical park's grade A–D, REGULATIONS-2 §A.7
- :mod:`~shouye.rules.certificates` — special-operation certificate review and safety qualification
  expiry (30号令, 44号令; periods by 民法典 Art. 202)
- :mod:`~shouye.rules.major_hazard` — GB 18218-2018 identification and grading
- :mod:`~shouye.rules.permits` — GB 30871-2022 grades, validity, gas tests, approvers
- :mod:`~shouye.rules.accidents` — 国务院令第493号 grade, reporting deadlines, supplementary reports
- :mod:`~shouye.rules.incidents` — Shandong's direct report (Art. 65), the investigation report's 60 days
  (493号令 Art. 29), forest-fire grades and the national report (森林防火条例 Art. 32, 40)
- :mod:`~shouye.rules.workdays` — the work calendar
- :mod:`~shouye.rules.emergency_plans` — plan filing, drill and evaluation deadlines, drill
  clocks per unit (山东省安全生产条例 Art. 63, 708号令 Art. 8)
- :mod:`~shouye.rules.early_warnings` — a warning level's colour and the articles of 突发事件应对法 (2024)
  whose measures apply (Art. 63, 66, 67)
- :mod:`~shouye.rules.cli` — ``shouye rules NAME``

Tables live in :mod:`shouye.rules.data`; callers may pass edited copies where a value is a default.
"""

from shouye.rules.errors import RuleInputError

__all__ = ["RuleInputError"]
