"""`shouye demo` (issue 10, "A living demo"): the registered steps build a year of activity through the services,
so that every role finds work and every chart figures; the district stays plausible; the totals and the audit
trail hold; a load is idempotent, deterministic with its seed, and refuses to continue a load that stopped.

The demo's acts commit one by one (their notifications and audit seals follow the commit), so these tests really
commit; they roll back by serialisation, leaving the tables empty rather than refilled by post_migrate (as the
audit's sealing tests do), so that a later test restoring the migrations' rows meets no content types."""

import importlib
import io
from collections import Counter

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from shouye.accounts.models import User
from shouye.audit.services import verify_chain
from shouye.core.registry import DemoStep, demo_steps
from shouye.enterprises import demo
from shouye.enterprises.choices import LicenceKind
from shouye.enterprises.models import Enterprise, Licence
from shouye.enterprises.selectors import licence_warnings
from shouye.hazards import totals
from shouye.hazards.models import Hazard, TipOff
from shouye.inspections.models import Inspection, InspectionPlan
from shouye.monitoring import rulebook
from shouye.monitoring.models import Alarm
from shouye.notifications.models import Notification

from ..conftest import api_as

#: Enough enterprises for every industry the demo's stories need (chemical plants for the major hazards), few
#: enough to load in seconds.
COUNT = 30

#: Tags and licences that only some industries may carry; everything else is free (issue 10: "no care home
#: holding hazardous-chemicals licences or tagged as a major hazard installation").
TAG_INDUSTRIES = {
    "mhi": {"hazardous_chemicals", "urban_gas"},
    "hazardous_process": {"hazardous_chemicals"},
    "gas_station": {"hazardous_chemicals"},
    "fireworks": {"hazardous_chemicals"},
    "special_gases": {"hazardous_chemicals", "industry_trade"},
    "combustible_dust": {"industry_trade"},
    "ammonia_refrigeration": {"industry_trade"},
    "metallurgy": {"industry_trade"},
    "confined_space": {"hazardous_chemicals", "industry_trade", "construction", "urban_gas"},
}
LICENCE_INDUSTRIES = {
    LicenceKind.HAZCHEM_OPERATION: {"hazardous_chemicals"},
    LicenceKind.HAZCHEM_USE: {"hazardous_chemicals"},
    LicenceKind.HAZCHEM_REGISTRATION: {"hazardous_chemicals"},
    LicenceKind.FIREWORKS: {"hazardous_chemicals"},
    LicenceKind.SAFETY_PRODUCTION: {"hazardous_chemicals", "non_coal_mines"},
    LicenceKind.MINING: {"non_coal_mines"},
    LicenceKind.GAS_OPERATION: {"urban_gas"},
    LicenceKind.CONSTRUCTION: {"construction"},
}


def load(*flags: str, **options) -> str:
    out = io.StringIO()
    call_command("demo", *flags, *[f"--{key}={value}" for key, value in options.items()], stdout=out)
    return out.getvalue()


def implausible(enterprises) -> list[str]:
    """Every tag or licence an enterprise carries outside the industries that may carry it."""
    found = []
    for enterprise in enterprises:
        industry = enterprise.industry.code
        found += [f"{enterprise.name}: tag {tag.code}" for tag in enterprise.tags.all()
                  if industry not in TAG_INDUSTRIES.get(tag.code, {industry})]
        found += [f"{enterprise.name}: licence {licence.kind}" for licence in enterprise.licences.all()
                  if industry not in LICENCE_INDUSTRIES.get(licence.kind, {industry})]
    return found


real_commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()["count"]


@real_commits
def test_the_demo_is_a_living_district():
    output = load(count=COUNT)
    for step in ("Enterprises", "Dual prevention", "Inspections", "Hazards", "Notifications"):
        assert f"  {step}: " in output
    assert f"Demo loaded: {COUNT} enterprises." in output
    staff, mashan, qiye, expert = (User.objects.get(username=name) for name in ("staff", "mashan", "qiye", "expert"))
    today = timezone.localdate()
    bureau = api_as(staff)

    # Hazards in every state, some overdue, some extended, major ones governed, listed, verified and closed.
    for state in ("reported", "rectifying", "submitted", "closed"):
        assert count(bureau, f"/api/v1/hazards/?state={state}") >= 1, state
    assert count(bureau, "/api/v1/hazards/?overdue=true") >= 1
    assert Hazard.objects.filter(extension_count__gt=0).exists()
    closed_major = Hazard.objects.filter(level="major", state="closed").first()
    assert closed_major is not None
    detail = bureau.get(f"/api/v1/hazards/{closed_major.pk}/").json()
    assert detail["governance_plan"]["missing_parts"] == []
    assert detail["listed_supervision"]["lifted_at"] is not None
    assert any(verification["passed"] for verification in detail["expert_verifications"])
    assert detail["reinspected_at"] and detail["reinspection_result"]
    assert Hazard.objects.filter(level="major").exclude(state="closed").exists()
    sources = set(Hazard.objects.values_list("source", flat=True))
    assert {"inspection", "self_inspection", "tip_off", "expert_inspection"} <= sources

    # Plans assigned to squads and township officers, followed by inspections; documents issued.
    plans = InspectionPlan.objects.all()
    assert plans.filter(squad__isnull=False).exists() and plans.filter(officer__isnull=False).exists()
    assert not plans.filter(squad__isnull=True, officer__isnull=True).exists()
    finished = Inspection.objects.filter(state="finished")
    assert finished.count() >= COUNT and not Inspection.objects.exclude(state="finished").exists()
    assert {"routine", "enforcement"} <= set(finished.values_list("kind", flat=True))
    planned = set(plans.values_list("enterprise_id", "year"))
    assert any((i.enterprise_id, i.inspected_at.year) in planned for i in finished)
    assert count(bureau, "/api/v1/inspection-documents/") >= 1

    # Tip-offs triaged both ways, and some still waiting.
    assert count(bureau, "/api/v1/tip-offs/?state=new") >= 1
    assert TipOff.objects.filter(state="accepted").exists() and TipOff.objects.filter(state="dismissed").exists()

    # Every role lands on a workbench with work waiting, in its own scope (the records its to-dos count):
    # the township officers re-inspections, overdue hazards and a report to order rectified; the enterprise
    # its open hazards with deadlines and the rectification order it received; the expert a major hazard's
    # verification; the bureau's staff tip-offs to triage (above).
    assert count(api_as(mashan), "/api/v1/hazards/?state=submitted") >= 1
    assert count(api_as(mashan), "/api/v1/hazards/?overdue=true") >= 1
    assert count(api_as(User.objects.get(username="xiaoli")), "/api/v1/hazards/?state=reported") >= 1
    assert count(api_as(qiye), "/api/v1/hazards/?overdue=true") >= 1
    assert count(api_as(qiye), "/api/v1/hazards/?state=rectifying") >= 2
    orders = api_as(qiye).get("/api/v1/inspection-documents/").json()["results"]
    assert "rectification_order" in {document["kind"] for document in orders}
    assert count(api_as(expert), "/api/v1/hazards/?level=major&state=submitted") >= 1
    awaiting = [hazard for hazard in Hazard.objects.visible_to(expert).filter(level="major", state="submitted")
                if not hazard.expert_verifications.filter(verified_at__gte=hazard.submitted_at).exists()]
    assert awaiting
    assert Notification.objects.filter(recipient=mashan, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=mashan, read_at__isnull=False).exists()

    # Licences expiring soon, and one expired, flagged as the home page and the ledger page flag them.
    warnings = licence_warnings(staff, today=today)
    assert warnings["expiring"] >= 2 and warnings["expired"] >= 1
    assert Licence.objects.filter(valid_to__gte=today, valid_to__lte=today + timezone.timedelta(days=30)).exists()

    # Every officer who inspected holds an enforcement certificate number, as documents print it.
    inspectors = User.objects.filter(inspections_as_inspector__isnull=False).distinct()
    assert inspectors.count() >= 3
    assert not inspectors.filter(enforcement_certificate_no="").exists()
    numbers = list(User.objects.exclude(enforcement_certificate_no="").values_list("enforcement_certificate_no",
                                                                                   flat=True))
    assert len(numbers) == len(set(numbers)) and all(len(n) == 12 and n.isdigit() for n in numbers)
    assert not User.objects.filter(username__in=("qiye", "expert")).exclude(enforcement_certificate_no="").exists()

    # Chemical enterprises keep high-risk work areas and a personnel ledger, with certificates in their review
    # window and expired ones flagged for the enterprise and the bureau.
    assert "  High-risk work areas: " in output
    assert count(bureau, "/api/v1/work-areas/?high_risk=true") >= 2
    for state in ("expired", "due"):
        assert count(bureau, f"/api/v1/workers/?certificate={state}") >= 1, state
    assert count(bureau, "/api/v1/work-areas/?over_capacity=true") == 0

    # Chemical and manufacturing enterprises keep a risk list (issue 11): graded points, measures in the four
    # categories, a special plan for every major and high point, most lists published; no school has one.
    from shouye.risks.models import ControlMeasure, RiskPoint, RiskRegister

    points = RiskPoint.objects.all()
    assert points.exists() and {"major", "high", "moderate", "low"} & set(points.values_list("grade", flat=True))
    assert set(points.values_list("enterprise__industry__code", flat=True)) <= {"hazardous_chemicals",
                                                                                "industry_trade"}
    assert set(ControlMeasure.objects.values_list("category", flat=True)) == {"1", "2", "3", "4"}
    assert not points.filter(grade__in=("major", "high"), special_control_plan__isnull=True).exists()
    assert RiskRegister.objects.filter(state="published").exists()
    assert count(bureau, "/api/v1/risk-points/") == points.count()

    # Nothing is dated after the demo's yesterday, and the year is a year.
    found = [timezone.localdate(moment) for moment in Hazard.objects.values_list("found_at", flat=True)]
    assert max(found) < today and min(found) <= today.replace(year=today.year - 1) + timezone.timedelta(days=60)

    # Major hazard installations of a third of the chemical enterprises: graded, filed, with their three
    # responsible persons, whose duties are investigation tasks done over the year, some missed (issue 11).
    from shouye.core.registry import todo_providers
    from shouye.major_hazards.models import MajorHazardInstallation
    from shouye.risks.models import TaskCheck

    installations = MajorHazardInstallation.objects.filter(is_major=True)
    assert installations.exists() and not installations.filter(grade=None).exists()
    assert count(bureau, "/api/v1/major-hazard-installations/?state=filed") >= 1
    duties_done = TaskCheck.objects.filter(measure__isnull=True, instance__task__duty__isnull=False)
    assert duties_done.exists() and max(duties_done.values_list("checked_at", flat=True)).date() < today
    assert todo_providers.providers["major-hazards-overdue-duties"].count(staff) >= 1
    assert count(api_as(qiye), "/api/v1/major-hazard-installations/") == 1  # its ammonia refrigeration

    # Every major hazard installation streams its process values and gas detectors through a gateway (40号令
    # Art. 13), the detectors with GB/T 50493-2019 5.5.2's setpoints; every gas station has the video platform's
    # cameras in its zones (issue 13).
    from shouye.monitoring.models import AlarmVendor, Camera, MonitoringPoint, PointStatus

    for installation in MajorHazardInstallation.objects.all():
        kinds = set(MonitoringPoint.objects.filter(installation=installation).values_list("kind", flat=True))
        assert kinds & {"temperature", "pressure", "level", "flow"} and kinds & {"combustible", "toxic"}, installation
    assert MonitoringPoint.objects.count() == PointStatus.objects.count()
    assert set(MonitoringPoint.objects.filter(kind="combustible").values_list("high", "high_high")) == {(25, 50)}
    assert set(MonitoringPoint.objects.filter(kind="toxic").values_list("high", "high_high", "oel_mg_m3")) == {
        (20, 40, 20)}  # ammonia, GBZ 2.1-2019 PC-TWA 20 mg/m³
    assert MonitoringPoint.objects.visible_to(qiye).filter(kind="toxic").exists()  # its ammonia refrigeration
    stations = Enterprise.objects.filter(tags__code="gas_station")
    assert stations.exists()
    vendor = AlarmVendor.objects.get(code="demo-video")
    assert vendor.mappings.filter(vendor_code="7", scenario__code="smoking").exists()
    assert vendor.mappings.filter(vendor_code="5/6", scenario__code="intrusion").exists()
    for station in stations:
        zones = set(Camera.objects.filter(enterprise=station).values_list("zone", flat=True))
        assert zones == {"unloading", "fuelling", "perimeter", "shop"}, station

    # A year of alarms from both streams, handled by the enterprises: most closed with a disposition (some
    # false), some escalated for a late acknowledgement, a repeated scene taken into the hazard loop, and the
    # last days' alarms partly still open on the board (issue 13).
    assert "  Monitoring and alarms: " in output
    alarms = Alarm.objects.all()
    assert {"sensor", "video"} <= set(alarms.values_list("source", flat=True))
    raised = [timezone.localdate(moment) for moment in alarms.values_list("raised_at", flat=True)]
    assert max(raised) < today and min(raised) <= today - timezone.timedelta(days=200)
    assert count(bureau, "/api/v1/alarms/?state=closed") >= 1
    assert {"real", "false"} <= set(alarms.filter(state="closed").values_list("disposition", flat=True))
    assert not alarms.filter(state="closed", disposition="").exists()
    assert alarms.filter(state="closed", source="sensor").exclude(cause="").exists()
    assert alarms.filter(escalated_at__isnull=False).exists()
    assert alarms.filter(source="video", repeat_count__gt=1).exists()
    reported = alarms.get(hazard__isnull=False)
    assert reported.repeat_count > 1 and reported.hazard.source == "alarm"
    live = alarms.filter(state__in=("raised", "acknowledged", "handling"))
    assert live.exists() and min(live.values_list("raised_at", flat=True)).date() >= today - timezone.timedelta(
        days=4)
    assert sum(count(bureau, f"/api/v1/alarms/?state={state}") for state in ("raised", "acknowledged",
                                                                              "handling")) == live.count()

    # Duty (issue 14): the bureau's roster of this month published, someone of the bureau on duty now, the
    # duty log with a report chain and open entries, a swap decided, the handovers acknowledged.
    from shouye.duty.choices import RosterState
    from shouye.duty.models import Roster
    from shouye.regions.models import Region
    from shouye.workcalendar.selectors import work_calendar

    if today.year in work_calendar().years:
        on_duty = bureau.get("/api/v1/duty-rosters/on-duty/").json()
        assert on_duty[0]["unit_kind"] == "bureau" and len(on_duty[0]["people"]) >= 2
        assert count(bureau, "/api/v1/duty-swaps/") == 1
        # Every township's roster of this month filed but the last township's, which the bureau sees as not
        # filed and its officer as a to-do; who is on duty at each filed township.
        townships = list(Region.objects.filter(level="township").order_by("code"))
        filed = Roster.objects.filter(unit_kind="township", year=today.year, month=today.month,
                                      state=RosterState.PUBLISHED)
        assert filed.count() == len(townships) - 1 and not filed.filter(township=townships[-1]).exists()
        assert all(roster.assignments.exists() for roster in filed)
        missing = bureau.get("/api/v1/duty-rosters/not-filed/").json()
        assert [row["name"] for row in missing if row["kind"] == "township"] == [townships[-1].name]
        assert sum(1 for unit in on_duty if unit["unit_kind"] == "township" and unit["people"]) == len(townships) - 1
        officer = User.objects.filter(memberships__region=townships[-1],
                                      memberships__role="township_officer").first()
        assert {p.key: p for p in todo_providers.for_user(officer)}["duty-rosters-not-filed"].count(officer) == 1
    assert count(bureau, "/api/v1/duty-log/?state=open") >= 1
    assert count(bureau, "/api/v1/duty-log/") == 6
    assert count(bureau, "/api/v1/duty-handovers/") == 2
    # Incidents (issue 14): four past ones, closed, every clock met or missed (the large accident's written
    # report came late).
    from shouye.incidents.models import Incident, IncidentClock

    assert count(bureau, "/api/v1/incidents/?active=false") == Incident.objects.count() == 4
    assert not IncidentClock.objects.filter(state="open").exists()
    assert IncidentClock.objects.get(kind="written_report").state == "missed"
    assert IncidentClock.objects.filter(state="met").count() >= 10
    # The large accident's tasks (issue 14): the township's done, the health bureau's acknowledged by phone, the
    # construction bureau's never acknowledged.
    assert sorted(row["state"] for row in bureau.get("/api/v1/incident-tasks/").json()["results"]) == [
        "acknowledged", "assigned", "done"]
    # Last summer's rainstorm warning (issue 14): raised to orange, acknowledged by most units, lifted; the
    # seasons (example dates) and the last days' fire-danger readings.
    from shouye.warnings.models import EarlyWarning, Season

    assert "  Warnings and seasons: " in output
    warning = EarlyWarning.objects.get()
    assert (warning.state, warning.colour) == ("lifted", "orange") and timezone.localdate(warning.lifted_at) < today
    assert warning.units.filter(acknowledged_at__isnull=True).exists()
    assert warning.units.filter(acknowledged_at__isnull=False).count() >= 5
    assert count(bureau, "/api/v1/early-warnings/") == 1
    assert Season.objects.filter(kind="forest_fire").count() == 2
    # The enterprises were notified of it too and most acknowledged for themselves; every filed plan holds its
    # text (the filing needs it).
    assert warning.enterprises.filter(acknowledged_at__isnull=False).exists()
    assert warning.enterprises.filter(acknowledged_at__isnull=True).exists()
    from shouye.plans.models import EmergencyPlan

    assert not EmergencyPlan.objects.filter(filed_on__isnull=False).exclude(documents__kind="plan_text").exists()
    assert EmergencyPlan.objects.filter(filed_on__isnull=False).exists()

    # The statistics' daily totals match the hazards, and the audit chain verifies.
    assert totals.differences() == []
    assert verify_chain().ok

    # A plausible registry.
    assert implausible(Enterprise.objects.select_related("industry").prefetch_related("tags", "licences")) == []

    # Loading again changes nothing.
    events = Hazard.objects.count(), Notification.objects.count()
    assert "Demo already loaded." in load(count=COUNT)
    assert (Hazard.objects.count(), Notification.objects.count()) == events


def fingerprint() -> dict:
    """What the demo holds, without database ids."""
    return {
        "enterprises": sorted(Enterprise.objects.values_list("credit_code", "name", "industry__code",
                                                             "supervision_grade__code", "status")),
        "licences": sorted(Licence.objects.values_list("enterprise__credit_code", "kind", "number", "valid_to")),
        "hazards": sorted(Hazard.objects.values_list("enterprise__credit_code", "description", "level", "state",
                                                     "found_at", "deadline", "closed_at")),
        "inspections": sorted(Inspection.objects.values_list("enterprise__credit_code", "kind", "inspected_at",
                                                             "checklist_name")),
        "tip-offs": sorted(TipOff.objects.values_list("enterprise_name", "state", "created_at")),
        "notifications": Counter(Notification.objects.values_list("recipient__username", "verb")),
        "alarms": sorted(Alarm.objects.values_list("enterprise__credit_code", "source", "condition", "raised_at",
                                                   "state", "disposition", "repeat_count")),
    }


@real_commits
def test_the_same_seed_and_today_give_the_same_demo():
    today = timezone.localdate() - timezone.timedelta(days=3)
    load(count=demo.MIN_COUNT, seed=7, today=today)
    first = fingerprint()
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
    # The alarm rules, triggers and scenarios are the migrations' rows, which the flush emptied: seeded again.
    importlib.import_module("shouye.monitoring.migrations.0002_rule_tables").seed(django_apps, None)
    rulebook.forget()
    load(count=demo.MIN_COUNT, seed=7, today=today)
    assert fingerprint() == first
    assert max(first["hazards"], key=lambda row: row[4])[4].date() < today


@real_commits
def test_a_load_that_stopped_half_way_is_refused_with_what_to_do(monkeypatch):
    def broken(context):
        raise RuntimeError("interrupted")

    steps = {"enterprises": demo_steps.steps["enterprises"],
             "broken": DemoStep(key="broken", label="Broken", order=20, run=broken)}
    monkeypatch.setattr(demo_steps, "steps", steps)
    with pytest.raises(RuntimeError):
        load(count=demo.MIN_COUNT)
    assert Enterprise.objects.exists()
    for flags in ((), ("--if-empty",)):
        with pytest.raises(CommandError, match="stopped before it finished.*delete var/shouye.sqlite3"):
            load(*flags)


def test_a_database_with_other_data_is_refused(cast):
    with pytest.raises(CommandError, match="non-demo data"):
        call_command("demo", stdout=io.StringIO())
    assert "The database holds data; the demo is not loaded." in load("--if-empty")


def test_enterprises_are_plausible_for_their_industry(district):
    """A large sample of the generator (the demo's and the benchmark's) puts no tag or licence in an industry
    that cannot carry it, and gives every industry its kinds of business."""
    rows = list(demo.build_enterprises(2_000))
    for enterprise, _people, licences, tags in rows:
        enterprise.tag_codes, enterprise.licence_kinds = tags, [licence.kind for licence in licences]
    wrong = [f"{e.name}: {tag}" for e, *_ in rows for tag in e.tag_codes
             if e.industry.code not in TAG_INDUSTRIES.get(tag, {e.industry.code})]
    wrong += [f"{e.name}: {kind}" for e, *_ in rows for kind in e.licence_kinds
              if e.industry.code not in LICENCE_INDUSTRIES.get(kind, {e.industry.code})]
    assert wrong == []
    by_industry = Counter(enterprise.industry.code for enterprise, *_ in rows)
    assert by_industry["industry_trade"] > by_industry["hazardous_chemicals"] > by_industry["care_homes"] > 0
    mhi = [e for e, *_ in rows if "mhi" in e.tag_codes]
    assert mhi and all(e.industry.code in {"hazardous_chemicals", "urban_gas"} for e in mhi)
    assert all(licence for e, *_ in rows if e.industry.code in {"non_coal_mines", "construction", "urban_gas"}
               for licence in [e.licence_kinds])
    # Headcounts within the bands of their scale (统计上大中小微型企业划分办法), every scale present.
    bands = {"large": (1000, None), "medium": (300, 999), "small": (20, 299), "micro": (1, 19)}
    assert [e.name for e, *_ in rows if not bands[e.scale][0] <= e.employees <= (bands[e.scale][1] or e.employees)
            ] == []
    assert set(Counter(e.scale for e, *_ in rows)) == set(bands)
