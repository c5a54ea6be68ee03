"""Regulatory rules as plain Python (no Django import anywhere in this package).

Each module implements one source and cites it; every public function returns a result carrying ``basis``,
the standard and clause it applied. Tables live in :mod:`shouye.rules.data` so callers can pass edited
copies where REGULATIONS.md marks a value [P] or [U]. Bad input raises :class:`RuleInputError`.
"""

from shouye.rules.errors import RuleInputError

__all__ = ["RuleInputError"]
