"""Issuing, adjusting, lifting, acknowledging and ticking through the services (突发事件应对法 2024 Art. 63–70)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouye.accounts.models import Organisation
from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.notifications.models import Notification
from shouye.regions.models import Region
from shouye.warnings import selectors, services
from shouye.warnings.models import ChecklistItem, EarlyWarning, MeasureTemplate, NotifiedUnit

from .conftest import issue

pytestmark = pytest.mark.django_db


def test_seeded_templates_follow_articles_66_and_67():
    assert MeasureTemplate.objects.filter(level=3).count() == 5
    assert set(MeasureTemplate.objects.filter(level=3).values_list("article", flat=True)) == {66}
    assert set(MeasureTemplate.objects.filter(level=1).values_list("article", flat=True)) == {66, 67}
    assert MeasureTemplate.objects.filter(level=2).count() == 12


def test_issue_notifies_every_township_and_department_with_the_checklist(warning, cast, django_capture_on_commit_callbacks):
    townships = Region.objects.filter(level="township").count()
    departments = Organisation.objects.filter(kind="department").count()
    assert warning.colour == "yellow" and "第六十六条" in warning.basis
    assert warning.units.count() == townships + departments
    assert ChecklistItem.objects.filter(unit__warning=warning).count() == 5 * (townships + departments)
    assert AuditEvent.objects.filter(verb="warning.issue").count() == 1


def test_issue_sends_notifications_after_commit(staff, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issue(staff)
    recipients = set(Notification.objects.filter(verb="warning.issued").values_list("recipient__username", flat=True))
    assert {"township_officer", "department_officer"} <= recipients


def test_issue_refusals(staff, cast):
    with pytest.raises(ValidationError) as exc:
        issue(staff, level=5)
    assert "level" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        issue(staff, all_district=False, townships=[])
    assert "townships" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        issue(staff, issued_at=timezone.now() + timezone.timedelta(hours=1))
    assert "issued_at" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        issue(cast["users"]["township_officer"])
    assert not EarlyWarning.objects.exists()


def test_adjust_recomputes_checklists_and_keeps_done_measures(warning, staff, cast):
    officer = cast["users"]["township_officer"]
    unit = selectors.own_units(officer, warning).get()
    first = unit.items.order_by("position").first()
    services.tick(actor=officer, warning=warning, item=first)
    services.adjust_level(actor=staff, warning=warning, level=1, note="升级")
    warning.refresh_from_db()
    assert (warning.level, warning.colour, warning.state) == (1, "red", "adjusted")
    assert unit.items.count() == 12 and unit.items.filter(done_at__isnull=False).count() == 1
    services.adjust_level(actor=staff, warning=warning, level=4)
    # Art. 67's measures not done are dropped; the ticked Art. 66 measure stays.
    assert unit.items.count() == 5 and unit.items.filter(done_at__isnull=False).count() == 1
    event = AuditEvent.objects.filter(verb="warning.adjust").order_by("id").first()
    assert event.changes["level"] == [3, 1] and event.changes["measures_added"] > 0
    with pytest.raises(ValidationError):
        services.adjust_level(actor=staff, warning=warning, level=4)


def test_acknowledge_once_by_own_unit_or_recorded_by_the_bureau(warning, staff, cast):
    officer = cast["users"]["township_officer"]
    own = selectors.own_units(officer, warning).get()
    other = warning.units.exclude(pk=own.pk).filter(township__isnull=False).first()
    with pytest.raises(ValidationError):
        services.acknowledge(actor=officer, warning=warning, unit=other)
    services.acknowledge(actor=officer, warning=warning, unit=own)
    own.refresh_from_db()
    assert own.acknowledged_by == officer and own.minutes_to_acknowledge == 0
    with pytest.raises(ValidationError):
        services.acknowledge(actor=officer, warning=warning, unit=own)
    services.acknowledge(actor=staff, warning=warning, unit=other)
    assert NotifiedUnit.objects.filter(warning=warning, acknowledged_at__isnull=False).count() == 2


def test_lift_ends_the_period(warning, staff, cast):
    officer = cast["users"]["township_officer"]
    services.lift_warning(actor=staff, warning=warning, note="解除")
    warning.refresh_from_db()
    assert warning.state == "lifted" and warning.lifted_at
    unit = selectors.own_units(officer, warning).get()
    for act in (lambda: services.acknowledge(actor=officer, warning=warning, unit=unit),
                lambda: services.lift_warning(actor=staff, warning=warning),
                lambda: services.adjust_level(actor=staff, warning=warning, level=1)):
        with pytest.raises(InvalidTransition):
            act()
    assert not selectors.pending_acknowledgements(officer).exists()


def test_workflow_table(warning, staff):
    from shouye.warnings.workflow import WORKFLOW
    assert WORKFLOW.transitions == {
        ("issued", "adjust"): "adjusted", ("adjusted", "adjust"): "adjusted",
        ("issued", "lift"): "lifted", ("adjusted", "lift"): "lifted"}


def test_scope_township_and_department_see_the_warnings_they_were_notified_of(warning, xiaoli_warning, cast):
    users = cast["users"]
    assert set(EarlyWarning.objects.visible_to(users["township_officer"])) == {warning}
    assert set(EarlyWarning.objects.visible_to(users["department_officer"])) == {warning, xiaoli_warning}
    xiaoli_warning.units.filter(department__name="区住房和城乡建设局").delete()
    assert set(EarlyWarning.objects.visible_to(users["department_officer"])) == {warning}
    assert set(EarlyWarning.objects.visible_to(users["leader"])) == {warning, xiaoli_warning}
    assert set(EarlyWarning.objects.visible_to(users["enterprise_user"])) == {warning}  # its enterprise's
    for role in ("expert", "nobody"):
        assert not EarlyWarning.objects.visible_to(users[role]).exists()
    assert xiaoli_warning.units.filter(township__isnull=False).count() == 1


def test_todos_count_own_units(warning, cast):
    officer = cast["users"]["township_officer"]
    assert selectors.pending_acknowledgements(officer).count() == 1
    assert selectors.open_measures(officer).count() == 5
    assert selectors.pending_acknowledgements(cast["users"]["bureau_staff"]).count() == 0


def test_seasons_and_fire_danger(staff, cast):
    from datetime import date
    season = services.save_season(actor=staff, kind="forest_fire", year=2025, starts_on=date(2025, 11, 1),
                                  ends_on=date(2026, 5, 31), notice="示例")
    assert selectors.seasons_on(date(2026, 3, 1)) == [season]
    assert selectors.seasons_on(date(2026, 6, 1)) == []
    with pytest.raises(ValidationError) as exc:
        services.save_season(actor=staff, kind="forest_fire", year=2025, starts_on=date(2026, 1, 2),
                             ends_on=date(2026, 5, 31))
    assert "starts_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_season(actor=staff, kind="flood", year=2025, starts_on=date(2025, 9, 1),
                             ends_on=date(2025, 6, 1))
    assert "ends_on" in exc.value.message_dict
    today = timezone.localdate()
    services.record_fire_danger(actor=staff, day=today, level=4, source="manual")
    services.record_fire_danger(actor=staff, day=today, level=5, source="meteorological")
    status = selectors.current_status(today)
    assert status["reading"].level == 5 and status["fire_level"].colour == "red"
    assert status["fire_level"].action == "严禁一切野外用火"
    with pytest.raises(ValidationError):
        services.record_fire_danger(actor=staff, day=today + timezone.timedelta(days=1), level=3, source="manual")
    with pytest.raises(PermissionDenied):
        services.record_fire_danger(actor=cast["users"]["township_officer"], day=today, level=3, source="manual")
