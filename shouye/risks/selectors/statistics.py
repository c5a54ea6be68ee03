"""District statistics of dual prevention for the bureau, townships and departments: active risk points by grade
(重大/较大/一般/低, REGULATIONS.md §3.3) per township and per industry, and enterprises by their highest grade —
grouped in the database, three queries whatever the district's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Min, Value, When

from ..choices import RiskLevel
from ..models import RiskPoint

#: Grades most dangerous first, as ranks (0 = major) so the highest of an enterprise is a MIN in SQL.
GRADES = tuple(RiskLevel.values)
_RANK = Case(*[When(grade=grade, then=Value(rank)) for rank, grade in enumerate(GRADES)], output_field=IntegerField())


@dataclass(frozen=True)
class StatisticsFilters:
    township_id: int | None = None
    industry_id: int | None = None


def graded_points(user, filters: StatisticsFilters = StatisticsFilters()):
    """The active, graded risk points ``user`` sees, within the filters (indexed stamps, no join)."""
    points = RiskPoint.objects.visible_to(user).filter(is_active=True).exclude(grade="")
    if filters.township_id is not None:
        points = points.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        points = points.filter(industry_id=filters.industry_id)
    return points.order_by()


def _crosstab(points, key: str, name: str) -> list[dict]:
    """Counts by ``key`` (a stamp) × grade: ``[{"id", "name", "major", "high", …, "total"}]`` by name."""
    table: dict = {}
    for pk, label, grade, count in points.values_list(key, name, "grade").annotate(n=Count("id")):
        row = table.setdefault(pk, {"id": pk, "name": label, **dict.fromkeys(GRADES, 0), "total": 0})
        row[grade] += count
        row["total"] += count
    return sorted(table.values(), key=lambda row: row["name"])


def highest_grades(user, filters: StatisticsFilters = StatisticsFilters()) -> dict[int, str]:
    """Each enterprise's highest active grade, by enterprise id (one grouped query)."""
    ranks = graded_points(user, filters).values_list("enterprise_id").annotate(rank=Min(_RANK))
    return {enterprise_id: GRADES[rank] for enterprise_id, rank in ranks}


def grade_totals(user, filters: StatisticsFilters = StatisticsFilters()) -> dict[str, int]:
    """Active points by grade (one grouped query): the cockpit's ring."""
    totals = dict.fromkeys(GRADES, 0)
    totals.update(graded_points(user, filters).values_list("grade").annotate(n=Count("grade")))
    return totals


def risk_statistics(user, filters: StatisticsFilters = StatisticsFilters()) -> dict:
    points = graded_points(user, filters)
    by_township = _crosstab(points, "township_id", "township__name")
    by_industry = _crosstab(points, "industry_id", "industry__name")
    enterprises = dict.fromkeys(GRADES, 0)
    for grade in highest_grades(user, filters).values():
        enterprises[grade] += 1
    totals = {grade: sum(row[grade] for row in by_township) for grade in GRADES}
    return {"by_township": by_township, "by_industry": by_industry, "totals": totals,
            "total": sum(totals.values()), "enterprises_by_highest": enterprises,
            "enterprises": sum(enterprises.values())}
