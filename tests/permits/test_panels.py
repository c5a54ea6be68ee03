"""The board's pieces on other pages (issue 12): the enterprise ledger panel (permits of the last 90 days by kind,
problems, share with a complete video record), the one map's layer and the cockpit's panels."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from shouye.core.registry import MapFilters, map_layers
from shouye.enterprises.models import Industry, Tag
from shouye.permits.choices import PermitKind, PermitState, ProblemCode
from tests.conftest import page_as
from tests.factories import EnterpriseFactory

from .boardkit import make_permit


def _ledger(user, enterprise) -> str:
    response = page_as(user).get(reverse("enterprises:detail", args=[enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_ledger_panel_of_a_chemical_enterprise(cast):
    inside, now = cast["inside"], timezone.now()
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="special", video_required=True,
                video_url="https://video.example/a", state=PermitState.ARCHIVED)
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="special", video_required=True,
                problems=[ProblemCode.VIDEO_MISSING], problem_count=1, state=PermitState.ARCHIVED)
    make_permit(inside, kind=PermitKind.CONFINED_SPACE, problems=[ProblemCode.GAS_TEST_MISSING,
                                                                 ProblemCode.CERTIFICATE_EXPIRED], problem_count=2)
    make_permit(inside, kind=PermitKind.CONFINED_SPACE, applied_at=now - timedelta(days=91),
                planned_start=now - timedelta(days=91), planned_end=now - timedelta(days=90))

    page = _ledger(cast["users"]["township_officer"], inside)

    panel = page.split('data-testid="permits-panel"')[1].split('data-testid="permits-panel-video"')[0]
    assert 'data-testid="permits-panel-total">3<' in panel, "the 91-day-old permit is left out"
    assert 'data-kind="hot_work">' in panel and 'data-kind="confined_space">' in panel
    assert "2" in panel.split('data-testid="permits-panel-problems"')[1].split("</span>")[0]
    video = page.split('data-testid="permits-panel-video"')[1].split("</div>")[0]
    assert "50.0%" in video and "(1/2)" in video


def test_the_panel_concerns_chemical_enterprises_only(cast):
    assert 'data-testid="permits-panel"' not in _ledger(cast["users"]["bureau_staff"], cast["outside"])
    tagged = EnterpriseFactory(industry=Industry.objects.get(code="industry_trade"))
    tagged.tags.add(Tag.objects.get(code="hazardous_process"))
    page = _ledger(cast["users"]["bureau_staff"], tagged)
    assert 'data-testid="permits-panel"' in page and "(" not in page.split('data-testid="permits-panel-video"')[1][:80]


def test_an_enterprise_user_sees_its_own_panel(cast):
    make_permit(cast["inside"], kind=PermitKind.LIFTING, grade="3")
    page = _ledger(cast["users"]["enterprise_user"], cast["inside"])
    assert 'data-testid="permits-panel-total">1<' in page


def test_the_map_layer_draws_permits_under_way_special_hot_work_apart(cast):
    inside = cast["inside"]
    special = make_permit(inside, kind=PermitKind.HOT_WORK, grade="special", longitude="116.6", latitude="36.5")
    other = make_permit(inside, kind=PermitKind.CONFINED_SPACE)
    make_permit(inside, kind=PermitKind.EXCAVATION, state=PermitState.ARCHIVED)
    make_permit(cast["outside"], kind=PermitKind.LIFTING, grade="1")
    layer = map_layers.layers["permits"]

    points = {point.id: point for point in layer.points(cast["users"]["township_officer"], MapFilters(), 100)}

    assert set(points) == {special.pk, other.pk}
    assert points[special.pk].css_class == "special_hot_work" and (points[special.pk].lng, points[special.pk].lat) \
        == (116.6, 36.5)
    assert points[other.pk].css_class == "confined_space"
    assert (points[other.pk].lng, points[other.pk].lat) == (float(inside.longitude), float(inside.latitude))
    assert special.number in points[special.pk].name
    assert next(entry for entry in layer.legend if entry.key == "special_hot_work").emphasis
    assert len(layer.points(cast["users"]["bureau_staff"], MapFilters(), 100)) == 3
    assert not layer.shown_to(cast["users"]["enterprise_user"])


def test_the_cockpit_panels(cast):
    inside = cast["inside"]
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="special", number="DH-C1",
                problems=[ProblemCode.APPROVER_BELOW_LEVEL], problem_count=1, last_gas_test_at=timezone.now())
    make_permit(inside, kind=PermitKind.WORK_AT_HEIGHT, grade="II", last_gas_test_at=timezone.now())
    make_permit(cast["outside"], kind=PermitKind.LIFTING, grade="1")
    response = page_as(cast["users"]["township_officer"]).get("/cockpit/data/")
    assert response.status_code == 200
    body = response.json()
    kpis = {kpi["key"]: kpi["value"] for kpi in body["kpis"]}
    assert kpis["permits-in-progress"] == 2
    assert kpis["permits-special-hot-work"] == 1
    assert kpis["permits-problems"] == 1
    problems = next(panel for panel in body["panels"] if panel["key"] == "permits-problems")
    assert len(problems["rows"]) == 1 and "DH-C1" in problems["rows"][0]["text"]
    chart = next(panel for panel in body["panels"] if panel["key"] == "permits-in-progress")["option"]
    by_name = {series["name"]: series["data"] for series in chart["series"]}
    assert by_name["特级"][0] == 1 and by_name["Ⅱ级"][3] == 1
