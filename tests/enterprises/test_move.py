"""Moving an enterprise to another township or industry takes its records along (issue 8, defect 3): its
hazards, tip-offs, inspections, plans and documents are re-stamped in the same transaction, the old
township's officer loses them and the new one's gains them, the statistics' daily totals move with the
hazards, and one audit event says how many rows of each model moved."""

import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.registry import StampedRows, stamped_models
from shouye.enterprises import services as enterprise_services
from shouye.enterprises.models import Enterprise, Industry
from shouye.hazards import services as hazard_services
from shouye.hazards import totals
from shouye.hazards.choices import HazardLevel, HazardSource, HazardState, TipOffState
from shouye.hazards.models import Hazard, HazardDailyTotal, TipOff
from shouye.inspections import services as inspection_services
from shouye.inspections.models import Inspection, InspectionPlan
from shouye.regions.models import Region
from tests.concurrency import at_the_same_moment
from tests.conftest import api_as
from tests.factories import UserFactory, member
from tests.hazards.conftest import make_hazard
from tests.inspections.helpers import finished

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"
#: Concrete models that hold an enterprise and a region or industry without being stamped from it, and why.
NOT_STAMPED = {
    "accounts.membership": "a township officer's region is where the officer works, not a copy of an "
                           "enterprise's township",
}


@pytest.fixture
def xiaoli_officer(cast, xiaoli):
    officer = UserFactory(username="xiaoli_officer")
    member(officer, "township_officer", region=xiaoli)
    return officer


@pytest.fixture
def records(cast, mashan):
    """Everything of 马山 ``inside`` that carries its stamps: hazards over several days and levels (one
    closed), an accepted tip-off, a finished inspection with its hazards and a document, and a plan."""
    staff, inside = cast["users"]["bureau_staff"], cast["inside"]
    now = timezone.now()
    hazards = [
        make_hazard(inside, found_at=now - timedelta(days=3)),
        make_hazard(inside, found_at=now - timedelta(days=3), level=HazardLevel.MAJOR),
        make_hazard(inside, found_at=now - timedelta(days=40), state=HazardState.CLOSED),
    ]
    make_hazard(cast["building"])  # another enterprise's hazard stays where it is
    tip_off = TipOff.objects.create(enterprise_name=inside.name, enterprise=inside, township=mashan,
                                    description="储罐区有人吸烟", state=TipOffState.ACCEPTED, hazard=hazards[0])
    inspection = finished(staff, inside, non_compliant=(2,), checklist="gas-station")
    document = inspection_services.issue_document(actor=staff, inspection=inspection, kind="rectification_order",
                                                  deadline=timezone.localdate() + timedelta(days=15))
    inspection_services.generate_plans(actor=staff, year=timezone.localdate().year)
    return {"hazards": Hazard.objects.filter(enterprise=inside), "hazard": hazards[0], "tip_off": tip_off,
            "inspection": inspection, "document": document,
            "plan": InspectionPlan.objects.get(enterprise=inside)}


def move(actor, enterprise, **changes):
    return api_as(actor).patch(f"{ENTERPRISES}{enterprise.pk}/", changes, format="json")


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reachable(user, records) -> dict[str, int]:
    """The status of every way ``user`` reaches the moved records: API and page, read and act."""
    api, page = api_as(user), session(user)
    hazard, inspection, plan, document = (records[k] for k in ("hazard", "inspection", "plan", "document"))
    return {
        "hazard api": api.get(f"/api/v1/hazards/{hazard.pk}/").status_code,
        "hazard page": page.get(f"/hazards/{hazard.pk}/").status_code,
        "inspection api": api.get(f"/api/v1/inspections/{inspection.pk}/").status_code,
        "inspection page": page.get(f"/inspections/{inspection.pk}/").status_code,
        "plan api": api.get(f"/api/v1/inspection-plans/{plan.pk}/").status_code,
        "plan page": page.get(f"/inspections/plans/{plan.pk}/").status_code,
        "document api": api.get(f"/api/v1/inspection-documents/{document.pk}/").status_code,
        "document file": page.get(f"/inspections/documents/{document.pk}/").status_code,
    }


def ledger_ids(user) -> set[int]:
    return {row["id"] for row in api_as(user).get("/api/v1/hazards/", {"page_size": 100}).json()["results"]}


def assign(user, hazard):
    return api_as(user).post(f"/api/v1/hazards/{hazard.pk}/assign/", {
        "deadline": str(timezone.localdate() + timedelta(days=10)), "responsible_person": "王五",
        "measures": "立即整改"}, format="json")


def test_the_old_township_officer_loses_the_records_and_the_new_one_gains_them(cast, records, xiaoli,
                                                                               xiaoli_officer):
    old_officer = cast["users"]["township_officer"]
    hazard_ids = set(records["hazards"].values_list("pk", flat=True))
    assert set(reachable(old_officer, records).values()) == {200}
    assert set(reachable(xiaoli_officer, records).values()) == {404}

    response = move(cast["users"]["bureau_staff"], cast["inside"], township=xiaoli.code)

    assert response.status_code == 200, response.content
    assert set(reachable(old_officer, records).values()) == {404}
    assert not hazard_ids & ledger_ids(old_officer)
    assert assign(old_officer, records["hazard"]).status_code == 404
    assert set(reachable(xiaoli_officer, records).values()) == {200}
    assert hazard_ids <= ledger_ids(xiaoli_officer)
    assert assign(xiaoli_officer, records["hazard"]).json()["state"] == HazardState.RECTIFYING
    assert TipOff.objects.get(pk=records["tip_off"].pk).township == xiaoli


def test_a_new_industry_moves_the_records_to_the_department_that_supervises_it(cast, records):
    department_officer = cast["users"]["department_officer"]  # 住建: construction
    assert set(reachable(department_officer, records).values()) == {404}

    response = move(cast["users"]["bureau_staff"], cast["inside"], industry="construction")

    assert response.status_code == 200, response.content
    assert set(reachable(department_officer, records).values()) == {200}
    construction = Industry.objects.get(code="construction")
    assert set(records["hazards"].values_list("industry", flat=True)) == {construction.pk}


def test_the_daily_totals_move_with_the_hazards(cast, records, mashan, xiaoli):
    def found_in(township) -> int:
        return sum(HazardDailyTotal.objects.filter(township=township).values_list("found", flat=True))

    before = {"mashan": found_in(mashan), "xiaoli": found_in(xiaoli)}
    moving = records["hazards"].count()

    move(cast["users"]["bureau_staff"], cast["inside"], township=xiaoli.code, industry="construction")

    assert totals.differences() == []
    assert found_in(mashan) == before["mashan"] - moving
    assert found_in(xiaoli) == before["xiaoli"] + moving


def test_hazards_left_with_stale_stamps_by_an_earlier_move_are_taken_along(cast, records, mashan, xiaoli):
    """Before this fix a move left the hazards behind; the next move gathers them wherever they are."""
    Enterprise.objects.filter(pk=cast["inside"].pk).update(township=Region.objects.get(code="370113108"))

    move(cast["users"]["bureau_staff"], cast["inside"], township=xiaoli.code)

    assert set(records["hazards"].values_list("township", flat=True)) == {xiaoli.pk}
    assert totals.differences() == []


def test_totals_that_had_drifted_do_not_stop_a_move(cast, records, mashan, xiaoli):
    """Counts missing from the old township's rows stop at zero (the nightly check rebuilds them)."""
    HazardDailyTotal.objects.filter(township=mashan).update(found=0, closed=0, on_time=0)

    assert move(cast["users"]["bureau_staff"], cast["inside"], township=xiaoli.code).status_code == 200

    assert not HazardDailyTotal.objects.filter(township=mashan, found__gt=0).exists()
    totals.repair()
    assert totals.differences() == []


def test_one_audit_event_lists_what_moved(cast, records, mashan, xiaoli):
    move(cast["users"]["bureau_staff"], cast["inside"], township=xiaoli.code)

    events = AuditEvent.objects.filter(verb="enterprise.moved")
    assert events.count() == 1
    event = events.get()
    assert (event.target_id, event.actor) == (str(cast["inside"].pk), cast["users"]["bureau_staff"])
    assert event.changes["township"] == [mashan.pk, xiaoli.pk]
    assert event.changes["industry"] == [cast["inside"].industry_id] * 2
    moved_rows = {label: count for label, count in event.changes["rows"].items() if count}
    assert moved_rows == {"hazards.hazard": records["hazards"].count(), "hazards.tipoff": 1,
                                     "inspections.inspection": 1, "inspections.inspectionplan": 1}


def test_a_change_that_is_no_move_re_stamps_nothing(cast, records):
    response = move(cast["users"]["bureau_staff"], cast["inside"], address="长清区马山镇新址8号")

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(verb="enterprise.moved").exists()


def stamps() -> list:
    """Every stamp of every stamped row, and the daily totals."""
    rows = [list(model.objects.order_by("pk").values_list("pk", "township", "industry"))
            for model in (Hazard, Inspection, InspectionPlan)]
    rows.append(list(TipOff.objects.order_by("pk").values_list("pk", "township")))
    rows.append(list(HazardDailyTotal.objects.order_by("pk").values_list("pk", "found", "closed", "on_time")))
    return rows


def test_a_refused_move_re_stamps_nothing(cast, records, xiaoli):
    """The 马山 officer may not put an enterprise outside its township: the service refuses the update."""
    before, events = stamps(), AuditEvent.objects.count()

    response = move(cast["users"]["township_officer"], cast["inside"], township=xiaoli.code)

    assert response.status_code == 400 and "township" in response.json()
    assert stamps() == before and AuditEvent.objects.count() == events


def test_a_move_that_fails_half_way_re_stamps_nothing(cast, records, xiaoli, monkeypatch):
    """A re-stamping hook that fails after others have run rolls the whole update back."""
    def fail(enterprise):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(stamped_models, "entries", [*stamped_models.entries, StampedRows(model=Hazard, restamp=fail)])
    before, events = stamps(), AuditEvent.objects.count()

    with pytest.raises(RuntimeError):
        move(cast["users"]["bureau_staff"], cast["inside"], township=xiaoli.code)

    assert stamps() == before and AuditEvent.objects.count() == events
    assert Enterprise.objects.get(pk=cast["inside"].pk).township_id != xiaoli.pk


def _holds(model, target) -> bool:
    return any(field.many_to_one and field.related_model is target for field in model._meta.get_fields())


def test_every_model_holding_an_enterprise_and_its_stamps_is_re_stamped_on_a_move():
    """A later app's model with an enterprise and a township or industry beside it must register in
    ``stamped_models`` (or be listed in NOT_STAMPED with the reason), or a move leaves its rows behind."""
    stamped = {model._meta.label_lower for model in stamped_models.models()}
    holding = {model._meta.label_lower for model in apps.get_models()  # a proxy's rows are its concrete model's
               if not model._meta.proxy and _holds(model, Enterprise) and (_holds(model, Region) or _holds(model, Industry))}
    assert holding - stamped - NOT_STAMPED.keys() == set()
    assert stamped & NOT_STAMPED.keys() == set()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises every write transaction, so a report cannot overlap a move there")
def test_a_hazard_reported_while_its_enterprise_moves_gets_the_new_stamps(cast, xiaoli):
    """A report that reads the enterprise while a move is being committed waits for the move and takes the
    new township, instead of committing after the move's re-stamp with the old one (issue 8, noticed)."""
    inside, staff = cast["inside"], cast["users"]["bureau_staff"]
    moved, reported = threading.Event(), threading.Event()

    def move_slowly():
        with transaction.atomic():
            enterprise_services.update_enterprise(actor=staff, enterprise=inside, data={"township": xiaoli})
            moved.set()
            reported.wait(timeout=3)  # the report, if it could, would commit now, before the move does

    def report_during_the_move():
        moved.wait(timeout=30)
        hazard = hazard_services.report_hazard(actor=cast["users"]["bureau_staff"], enterprise=inside,
                                               description="移动中上报的隐患", source=HazardSource.INSPECTION)
        reported.set()
        return hazard

    results, errors = at_the_same_moment(move_slowly, report_during_the_move)
    assert not errors, errors
    hazard = Hazard.objects.get(description="移动中上报的隐患")
    assert hazard.township_id == xiaoli.pk
