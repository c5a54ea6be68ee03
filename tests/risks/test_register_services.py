"""The register's services: grading by the effective tables, forced major, the special plan, publication's
refusals (nothing changed), edits marking a published list changed, re-grading, and their audit events."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition, NotInScope
from shouye.risks.models import RiskAssessment, RiskPoint, RiskRegister, RiskSettings
from shouye.risks.services import register as services
from shouye.risks.services import settings as risk_settings

from .register_helpers import make_measure, make_point, make_source, plan_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(cast):
    return cast["users"]["enterprise_user"]


def test_an_assessment_grades_the_source_and_the_point_in_one_go(cast, officer):
    point = make_point(officer, cast["inside"])
    source = make_source(officer, point, lec=("6", "6", "7"))  # D = 252: orange (160 ≤ D < 320)
    point.refresh_from_db()
    assert source.grade == "high" and point.grade == "high" and point.control_level == "deputy"
    assessment = RiskAssessment.objects.get(hazard_source=source, current=True)
    assert assessment.score == Decimal("252") and assessment.inputs == {"l": "6", "e": "6", "c": "7"}
    # The highest of the sources: a red source makes the point major and its control level the principal's.
    make_source(officer, point, name="罐体腐蚀", lec=("10", "6", "15"))  # D = 900: red
    point.refresh_from_db()
    assert point.grade == "major" and point.control_level == "principal"
    assert AuditEvent.objects.filter(verb="risks.assess").count() == 2


def test_reassessing_keeps_the_history_with_one_current(cast, officer):
    point = make_point(officer, cast["inside"])
    source = make_source(officer, point, lec=("6", "6", "7"))
    services.assess_hazard_source(actor=officer, source=source, method="matrix", inputs={"l": 1, "s": 2})
    assert source.assessments.count() == 2
    assert list(source.assessments.filter(current=True).values_list("method", "grade")) == [("matrix", "low")]
    point.refresh_from_db()
    assert point.grade == "low" and point.control_level == "post"


@pytest.mark.parametrize(("method", "inputs", "field"), [
    ("lec", {"l": "7", "e": "6", "c": "7"}, "l"),
    ("matrix", {"l": "3", "s": "9"}, "s"),
    ("mes", {"m": "5", "e": "6"}, "s"),
    ("wrong", {}, "method"),
])
def test_a_value_off_the_scale_is_refused_on_its_field_and_changes_nothing(cast, officer, method, inputs, field):
    point = make_point(officer, cast["inside"])
    source = make_source(officer, point)
    with pytest.raises(ValidationError) as refused:
        services.assess_hazard_source(actor=officer, source=source, method=method, inputs=inputs)
    assert field in refused.value.message_dict
    assert not RiskAssessment.objects.exists()
    point.refresh_from_db()
    assert point.grade == ""


def test_scope_and_permission_come_before_anything_else(cast, officer):
    point = make_point(officer, cast["inside"])
    with pytest.raises(NotInScope):
        services.create_risk_point(actor=officer, enterprise=cast["outside"], **{"code": "X", "name": "x",
                                   "kind": "facility", "department": "d", "responsible_person": "p"})
    with pytest.raises(PermissionDenied):
        services.update_risk_point(actor=cast["users"]["bureau_staff"], risk_point=point, name="改名")
    with pytest.raises(NotInScope):
        services.retire_risk_point(actor=cast["users"]["department_officer"], risk_point=point)
    point.refresh_from_db()
    assert point.name == "1号储罐区" and point.is_active


def test_the_number_is_unique_in_the_enterprise_with_a_clear_message(cast, officer):
    make_point(officer, cast["inside"])
    with pytest.raises(ValidationError) as refused:
        make_point(officer, cast["inside"], name="另一个")
    assert "RP-01" in refused.value.message_dict["code"][0]
    assert RiskPoint.objects.count() == 1


def test_the_responsible_account_must_be_the_enterprises(cast, officer):
    with pytest.raises(ValidationError) as refused:
        make_point(officer, cast["inside"], responsible_user=cast["users"]["bureau_staff"])
    assert "responsible_user" in refused.value.message_dict
    point = make_point(officer, cast["inside"], responsible_user=officer)
    assert point.responsible_user == officer


def test_forced_major_conditions_come_from_the_districts_list(cast, officer):
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("1", "1", "1"))
    condition = risk_settings.FORCED_MAJOR_DEFAULTS[2]
    with pytest.raises(ValidationError):
        services.set_forced_major(actor=officer, risk_point=point, reasons=["自己编的条件"])
    services.set_forced_major(actor=officer, risk_point=point, reasons=[condition])
    point.refresh_from_db()
    assert (point.grade, point.control_level, point.forced_major_reasons) == ("major", "principal", [condition])
    services.set_forced_major(actor=officer, risk_point=point, reasons=[])
    point.refresh_from_db()
    assert point.grade == "low" and not point.forced_major


def test_a_subcategory_of_another_category_is_refused(cast, officer):
    source = make_source(officer, make_point(officer, cast["inside"]))
    with pytest.raises(ValidationError) as refused:
        make_measure(officer, source, category="1", subcategory="4-2")
    assert "subcategory" in refused.value.message_dict
    assert not source.measures.exists()
    assert make_measure(officer, source, category="4", subcategory="4-2").subcategory == "4-2"


def test_a_major_plan_needs_monitoring_and_the_people_cap(cast, officer):
    point = make_point(officer, cast["inside"])
    low = make_point(officer, cast["inside"], code="RP-02")
    make_source(officer, point, lec=("10", "6", "15"))
    make_source(officer, low, lec=("1", "1", "1"))
    low.refresh_from_db()
    point.refresh_from_db()
    with pytest.raises(ValidationError):
        services.save_special_plan(actor=officer, risk_point=low, **plan_fields())
    with pytest.raises(ValidationError) as refused:
        services.save_special_plan(actor=officer, risk_point=point, **plan_fields(monitoring="", max_people=None))
    assert set(refused.value.message_dict) == {"monitoring", "max_people"}
    plan = services.save_special_plan(actor=officer, risk_point=point, **plan_fields())
    assert plan.patrol_cycle == 2


def test_publication_is_refused_with_the_points_to_fix_and_changes_nothing(cast, officer):
    enterprise = cast["inside"]
    major = make_point(officer, enterprise, name="液氯库")
    make_source(officer, major, lec=("10", "6", "15"))
    make_point(officer, enterprise, code="RP-02", name="配电室")
    with pytest.raises(ValidationError) as refused:
        services.publish_register(actor=officer, enterprise=enterprise)
    messages = refused.value.message_dict["points"]
    assert any("液氯库" in m and "专项管控方案" in m for m in messages)
    assert any("配电室" in m for m in messages)
    assert not RiskRegister.objects.filter(state="published").exists()
    assert not AuditEvent.objects.filter(verb="risks.publish").exists()


def test_publishing_then_editing_marks_the_list_changed(cast, officer):
    enterprise = cast["inside"]
    point = make_point(officer, enterprise)
    make_source(officer, point, lec=("10", "6", "15"))
    services.save_special_plan(actor=officer, risk_point=point, **plan_fields())
    register = services.publish_register(actor=officer, enterprise=enterprise)
    assert (register.version, register.state, register.published_by) == (1, "published", officer)
    services.update_risk_point(actor=officer, risk_point=point, control_focus="防泄漏")
    register.refresh_from_db()
    assert register.changed_since_publication
    register = services.publish_register(actor=officer, enterprise=enterprise)
    assert register.version == 2 and not register.changed_since_publication


def test_a_forced_major_point_publishes_without_an_assessment_but_needs_its_plan(cast, officer):
    enterprise = cast["inside"]
    point = make_point(officer, enterprise)
    services.set_forced_major(actor=officer, risk_point=point, reasons=[risk_settings.FORCED_MAJOR_DEFAULTS[0]])
    with pytest.raises(ValidationError):
        services.publish_register(actor=officer, enterprise=enterprise)
    point.refresh_from_db()
    services.save_special_plan(actor=officer, risk_point=point, **plan_fields())
    assert services.publish_register(actor=officer, enterprise=enterprise).version == 1


def test_editing_the_table_regrades_only_when_asked(cast, officer):
    enterprise = cast["inside"]
    point = make_point(officer, enterprise)
    make_source(officer, point, lec=("3", "6", "7"))  # D = 126: yellow by default
    admin = cast["users"]["bureau_admin"]
    table = risk_settings.district_settings().lec_table
    table["bands"][2]["minimum"] = 130  # 126 now falls to blue
    risk_settings.save_district_settings(actor=admin, lec_table=table)
    point.refresh_from_db()
    assert point.grade == "moderate"
    assert services.regrade_enterprise(actor=officer, enterprise=enterprise) == 1
    point.refresh_from_db()
    assert point.grade == "low"
    assert RiskAssessment.objects.filter(hazard_source__risk_point=point).count() == 2
    assert AuditEvent.objects.filter(verb="risks.regrade").count() == 1


def test_an_edited_table_is_checked_with_a_message_naming_the_item(cast):
    admin = cast["users"]["bureau_admin"]
    table = risk_settings.district_settings().lec_table
    table["bands"][1]["colour"] = "purple"
    with pytest.raises(ValidationError) as refused:
        risk_settings.save_district_settings(actor=admin, lec_table=table)
    assert "bands[1].colour" in refused.value.message_dict["lec_table"][0]
    with pytest.raises(PermissionDenied):
        risk_settings.save_district_settings(actor=cast["users"]["bureau_staff"], forced_major_conditions=[])
    assert RiskSettings.objects.get(enterprise__isnull=True).lec_table["bands"][1]["colour"] == "orange"


def test_an_enterprise_overrides_the_control_levels_for_itself(cast, officer):
    enterprise = cast["inside"]
    risk_settings.save_enterprise_settings(actor=officer, enterprise=enterprise, control_levels={
        "major": "principal", "high": "principal", "moderate": "deputy", "low": "workshop"})
    point = make_point(officer, enterprise)
    make_source(officer, point, lec=("6", "6", "7"))
    point.refresh_from_db()
    assert point.control_level == "principal"
    with pytest.raises(ValidationError):
        risk_settings.save_enterprise_settings(actor=officer, enterprise=enterprise,
                                               control_levels={"major": "boss"})


def test_every_act_writes_one_audit_event(cast, officer):
    enterprise = cast["inside"]
    point = make_point(officer, enterprise)
    source = make_source(officer, point, lec=("10", "6", "15"))
    measure = make_measure(officer, source)
    services.update_risk_point(actor=officer, risk_point=point, location="北区")
    services.update_hazard_source(actor=officer, source=source, consequence="爆炸")
    services.update_measure(actor=officer, measure=measure, check_content="每班检查")
    services.set_forced_major(actor=officer, risk_point=point, reasons=[risk_settings.FORCED_MAJOR_DEFAULTS[1]])
    services.save_special_plan(actor=officer, risk_point=point, **plan_fields())
    services.publish_register(actor=officer, enterprise=enterprise)
    services.regrade_enterprise(actor=officer, enterprise=enterprise)
    services.retire_risk_point(actor=officer, risk_point=point)
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == ["risks.point-create", "risks.source-add", "risks.assess", "risks.measure-add",
                     "risks.point-update", "risks.source-update", "risks.measure-update", "risks.point-forced-major",
                     "risks.special-plan", "risks.publish", "risks.regrade", "risks.point-retire"]
    assert all(event.actor == officer for event in AuditEvent.objects.all())


def test_a_retired_point_leaves_the_list_and_the_outputs(cast, officer):
    from shouye.risks.selectors import register as selectors

    point = make_point(officer, cast["inside"])
    make_point(officer, cast["inside"], code="RP-02", name="配电室")
    services.retire_risk_point(actor=officer, risk_point=point)
    assert [p.code for p in selectors.risk_list_rows(officer, cast["inside"].pk)] == ["RP-02"]
    assert [p.code for p in selectors.export_points(officer, cast["inside"].pk)] == ["RP-02"]
    with pytest.raises(InvalidTransition, match="已停用|already retired"):
        services.retire_risk_point(actor=officer, risk_point=point)
