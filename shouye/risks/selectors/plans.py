"""Reading the plant plans, the four-colour map drawn from them and the post risk notice cards, always
through ``visible_to(actor)``.

A zone takes the colour of the highest grade among the risk points in use placed in it (四色分布图: red,
orange, yellow, blue for 重大/较大/一般/低, REGULATIONS.md §3.3, REGULATIONS-2 §A.4); a zone with no graded
point is grey."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from shouye.enterprises.models import EnterprisePerson

from ..choices import RISK_LEVEL_COLOURS, RiskLevel
from ..models import (
    ControlMeasure,
    FloorPlan,
    HazardSource,
    InvestigationTask,
    PlanZone,
    RiskPoint,
    RiskRegister,
)

#: Most dangerous first: a zone's grade is the first of these any of its points has.
GRADE_ORDER = list(RiskLevel.values)
GREY = "grey"
#: How each colour is drawn, on screen and on paper (the four colours of the map and grey for "not graded").
COLOUR_HEX = {"red": "#e02020", "orange": "#f08c00", "yellow": "#f5d000", "blue": "#1c64d8", GREY: "#9e9e9e"}


def floor_plans(actor):
    return FloorPlan.objects.visible_to(actor).select_related("enterprise")


def current_plan(actor, enterprise) -> FloorPlan | None:
    return floor_plans(actor).filter(enterprise=enterprise, is_current=True).first()


def highest_grade(grades) -> str:
    """The most dangerous of ``grades`` ("" when none is graded)."""
    ranked = [GRADE_ORDER.index(grade) for grade in grades if grade in GRADE_ORDER]
    return GRADE_ORDER[min(ranked)] if ranked else ""


def colour_of(grade: str) -> str:
    return RISK_LEVEL_COLOURS.get(grade, GREY)


@dataclass
class ZoneView:
    """A zone as the map shows it: its outline, colour and the risk points placed in it."""

    zone: PlanZone
    points: list = field(default_factory=list)

    @property
    def grade(self) -> str:
        return highest_grade(point.grade for point in self.points)

    @property
    def colour(self) -> str:
        return colour_of(self.grade)

    @property
    def hex(self) -> str:
        return COLOUR_HEX[self.colour]

    @property
    def grade_label(self) -> str:
        return str(RiskLevel(self.grade).label) if self.grade else ""

    @property
    def label_at(self) -> tuple[float, float]:
        """Where the zone's name is written: the mean of its outline's points."""
        xs = [p[0] for p in self.zone.polygon]
        ys = [p[1] for p in self.zone.polygon]
        return sum(xs) / len(xs), sum(ys) / len(ys)

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.zone.polygon)

    def as_json(self) -> dict:
        return {"id": self.zone.pk, "name": self.zone.name, "polygon": self.zone.polygon, "grade": self.grade,
                "grade_label": self.grade_label, "colour": self.colour, "hex": self.hex,
                "risk_points": [{"id": p.pk, "code": p.code, "name": p.name, "grade": p.grade} for p in self.points]}


def plan_zones(actor, plan: FloorPlan) -> list[ZoneView]:
    """The plan's zones with their risk points in use (two queries whatever their number)."""
    points = RiskPoint.objects.visible_to(actor).filter(zone__plan=plan, is_active=True).order_by("code", "id")
    zones = {zone.pk: ZoneView(zone) for zone in PlanZone.objects.visible_to(actor).filter(plan=plan)}
    for point in points.only("id", "code", "name", "grade", "zone_id"):
        zones[point.zone_id].points.append(point)
    return list(zones.values())


def colour_counts(zones: list[ZoneView]) -> dict[str, int]:
    """How many zones are of each colour, for the legend."""
    counts = dict.fromkeys(COLOUR_HEX, 0)
    for zone in zones:
        counts[zone.colour] += 1
    return counts


def legend(zones: list[ZoneView] | None = None) -> list[dict]:
    """The legend's lines: each colour with its grade's name and (with ``zones``) how many zones have it."""
    counts = colour_counts(zones or [])
    rows = [{"colour": RISK_LEVEL_COLOURS[grade], "hex": COLOUR_HEX[RISK_LEVEL_COLOURS[grade]],
             "label": RiskLevel(grade).label, "count": counts[RISK_LEVEL_COLOURS[grade]]} for grade in GRADE_ORDER]
    return rows


def enterprise_points(actor, enterprise):
    """The enterprise's risk points in use, for placing them in a zone."""
    return (RiskPoint.objects.visible_to(actor).filter(enterprise=enterprise, is_active=True)
            .select_related("zone").order_by("code", "id"))


def register_of(actor, enterprise) -> RiskRegister | None:
    return RiskRegister.objects.visible_to(actor).filter(enterprise=enterprise).first()


# --- the post risk notice card (岗位风险告知卡) ---------------------------------------------------------


def notice_card_posts(actor, enterprise) -> list[str]:
    """The posts a card can be printed for: the posts named on the enterprise's investigation tasks (who
    checks the measures) and the responsible departments of its risk points, each once, in name order."""
    tasks = (InvestigationTask.objects.visible_to(actor).filter(enterprise=enterprise).exclude(post="")
             .values_list("post", flat=True).distinct())
    departments = (enterprise_points(actor, enterprise).exclude(department="")
                   .values_list("department", flat=True).distinct())
    return sorted({name.strip() for name in [*tasks, *departments] if name.strip()})


def notice_card_points(actor, enterprise, post: str) -> list[RiskPoint]:
    """The risk points a post's card shows: those whose department is the post, and those with a measure
    checked by a task of that post (or a task of the point itself); with their hazard sources and measures in
    use (three queries)."""
    tasks = InvestigationTask.objects.visible_to(actor).filter(enterprise=enterprise, post=post, is_active=True)
    by_task = Q(pk__in=tasks.values("risk_point")) | Q(pk__in=tasks.values("measures__hazard_source__risk_point"))
    sources = HazardSource.objects.order_by("order", "id").prefetch_related(
        Prefetch("measures", queryset=ControlMeasure.objects.filter(is_active=True).order_by("category", "subcategory", "id")))
    return list(enterprise_points(actor, enterprise).filter(Q(department=post) | by_task)
                .prefetch_related(Prefetch("hazard_sources", queryset=sources)))


def emergency_contacts(actor, enterprise) -> list[EnterprisePerson]:
    """The enterprise's principal and safety people with a phone, for the card's emergency numbers."""
    return list(EnterprisePerson.objects.visible_to(actor).filter(enterprise=enterprise).exclude(phone="")
                .order_by("role", "id"))


def zones_with_points(actor):
    """Zones in the actor's scope with their risk points in use (for the API: two queries a page)."""
    points = RiskPoint.objects.visible_to(actor).filter(is_active=True).only("id", "code", "name", "grade", "zone_id")
    return (PlanZone.objects.visible_to(actor).select_related("plan")
            .prefetch_related(Prefetch("risk_points", queryset=points.order_by("code", "id"))))
