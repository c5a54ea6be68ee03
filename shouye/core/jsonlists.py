"""Conditions on a JSON field holding a list of codes (a plan's topics, a permit's problems), the same on SQLite
and PostgreSQL: each code is stored as a JSON string, so a text match on the quoted code finds it. The codes
must be lower-case ASCII words of which none is the quoted form of another."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q


def names(field: str, code: str) -> Q:
    """The rows whose ``field`` names ``code`` (a list of codes, or of ``{"code": …}`` objects)."""
    return Q(**{f"{field}__icontains": f'"{code}"'})


def names_any(field: str, codes: Iterable[str]) -> Q:
    """The rows whose ``field`` names any of ``codes``; none given: no row."""
    condition = Q(pk__in=[])
    for code in codes:
        condition |= names(field, code)
    return condition
