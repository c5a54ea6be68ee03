"""The registry behind the generic scope test (ARCHITECTURE.md §5, issue 2).

``tests/core/test_scope.py`` walks every URL pattern of the project. Each route is classified here:

- automatically, from the view: a DRF viewset (``view.cls.queryset.model``, its actions tell list, detail,
  update and object actions apart) or a Django class-based view (``view.view_class.model``);
- otherwise by its URL name in :data:`ROUTES` (function views, plain API views, collection actions).

Every model that a route reaches must be in :data:`MODELS`: either with a :class:`ScopeCase` that builds, for
each role of the cast, objects inside and outside that role's scope, or explicitly as :data:`UNSCOPED`
(public reference data every signed-in user may read). A route or model that is in neither fails the scope
test with a message saying what to add here, so a new route cannot be forgotten.

Every route that takes a write is in :data:`WRITES`, with a :class:`WriteCase` naming the fields of its body
that refer to rows of scoped models (the test swaps in rows outside the role's reach), or in
:data:`WITHOUT_FOREIGN_KEYS`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from operator import attrgetter
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView, UpdateView

from shouye.accounts.models import User
from shouye.core.identifiers import credit_code
from shouye.core.registry import map_layers
from shouye.duty.actions import ENTRY_ACTIONS as DUTY_ENTRY_ACTIONS
from shouye.duty.actions import HANDOVER_ACTIONS as DUTY_HANDOVER_ACTIONS
from shouye.duty.actions import ROSTER_ACTIONS as DUTY_ROSTER_ACTIONS
from shouye.duty.actions import SWAP_ACTIONS as DUTY_SWAP_ACTIONS
from shouye.duty.models import Assignment, DutyPosition, Handover, LogEntry, Roster, SwapRequest
from shouye.enterprises.models import Enterprise, ImportJob, Industry, SupervisionGrade
from shouye.hazards.models import Hazard, HazardPhoto, LedgerExport, TipOff, TipOffCheck
from shouye.incidents.actions import INCIDENT as INCIDENT_ACTIONS
from shouye.incidents.actions import TASK as INCIDENT_TASK_ACTIONS
from shouye.incidents.models import Incident, IncidentTask
from shouye.incidents.site_views import SITE_ACTS as INCIDENT_SITE_ACTS
from shouye.inspections.models import Checklist, Document, Inspection, InspectionPlan
from shouye.major_hazards.actions import INSTALLATION as MHI_ACTIONS
from shouye.major_hazards.models import DutyItem, MajorHazardInstallation
from shouye.monitoring.actions import ALARM as ALARM_ACTIONS
from shouye.monitoring.models import (
    Alarm,
    AlarmVendor,
    Camera,
    Gateway,
    MonitoringPoint,
    PointImportJob,
    PointStatus,
)
from shouye.notifications.models import Notification
from shouye.permits.actions import PERMIT as PERMIT_ACTIONS
from shouye.permits.models import SpecialOperationPermit
from shouye.plans import services as plan_services
from shouye.plans.actions import DRILL as DRILL_ACTIONS
from shouye.plans.actions import PLAN as EMERGENCY_PLAN_ACTIONS
from shouye.plans.actions import UNIT as PLAN_UNIT_ACTIONS
from shouye.plans.models import Drill, EmergencyPlan, PlanUnit
from shouye.regions.models import Region
from shouye.resources.actions import RESERVE as RESERVE_ACTIONS
from shouye.resources.actions import TEAM as TEAM_ACTIONS
from shouye.resources.actions import WAREHOUSE as WAREHOUSE_ACTIONS
from shouye.resources.models import Item, Reserve, StockImportJob, StockLine, Team, TeamKindRule, Warehouse
from shouye.risks.models import (
    ControlMeasure,
    EnterpriseRiskScore,
    FloorPlan,
    HazardSource,
    InvestigationTask,
    PlanZone,
    RiskImportJob,
    RiskPoint,
    TaskInstance,
)
from shouye.rules.cli import COMMANDS as CALCULATOR_RULES
from shouye.warnings.actions import WARNING as WARNING_ACTIONS
from shouye.warnings.models import EarlyWarning, FireDangerReading, Season
from shouye.workareas.models import WorkArea, Worker, WorkerExport, WorkerImportJob
from shouye.workcalendar.models import SpecialPeriod, WorkCalendarYear
from tests.factories import EnterpriseFactory, UserFactory, member

#: URL prefixes the scope test does not walk: Django's admin (read-mostly, staff only), static files, the
#: language switch, and the API schema and its docs (no objects).
#: The video vendors' alarm intake (issue 13) is left out too: no user reaches it — a vendor signs each post with
#: its own secret, any request without that signature answers 401 and writes nothing, whoever is signed in
#: (tests/monitoring/test_intake.py).
SKIPPED_PREFIXES = ("admin/", "static/", "i18n/", "api/schema/", "api/docs/", "api/v1/alarms/intake/")

#: The roles of the cast (tests/conftest.py), plus a signed-in user without any membership.
ROLES = ("bureau_admin", "bureau_staff", "leader", "township_officer", "department_officer",
         "enterprise_user", "expert", "nobody")
DISTRICT_WIDE = frozenset({"bureau_admin", "bureau_staff", "leader"})

LIST = "list"          # lists objects: outside ones absent, inside ones present
PAGE = "page"          # any other page without an object id: outside objects absent
DETAIL = "detail"      # shows one object
UPDATE = "update"      # changes one object (GET shows the form; POST/PUT/PATCH write)
ACTION = "action"      # a POST action on one object

WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Objects:
    """For one role: objects it must see and objects it must not (``outside`` is empty for a role that sees
    every object of the model, such as the bureau's roles for enterprises)."""

    inside: list[Any]
    outside: list[Any]


@dataclass(frozen=True)
class ScopeCase:
    """How to test one scoped model.

    ``objects(cast, role)`` returns the :class:`Objects` for a role; ``label(obj)`` a text unique to the
    object that every list showing it contains (its name); ``view_perm`` the permission that reading it
    needs; ``change_perm`` the one that changing it needs."""

    objects: Callable[[dict, str], Objects]
    label: Callable[[Any], str]
    view_perm: str
    change_perm: str


#: Reference data every signed-in user reads; registering a model here is a deliberate statement.
UNSCOPED = "unscoped"


@dataclass(frozen=True)
class RouteSpec:
    """How a route is tested. ``model`` is required for LIST and for object routes; ``methods`` are the
    HTTP methods the route answers (lower case)."""

    kind: str
    model: type | None = None
    methods: tuple[str, ...] = ("get",)
    lookup: str = "pk"
    #: what GET on an object route needs: "view" (a detail, or an API resource that is also updated) or
    #: "change" (an edit form).
    get_needs: str = "view"
    #: the permission the route needs when it is not the model's own: on a list, needed besides the view
    #: permission (an export needs export rights); on an object route, instead of the view or change
    #: permission (an action such as ``hazards.verify_hazard``).
    perm: str = ""
    #: reachable signed out (the sign-in page, a health check, a public form)
    public: bool = False
    #: for a route with several ids (a nested resource): obj -> the URL kwargs that reach it.
    url_kwargs: Callable[[Any], dict] | None = None
    #: models (app_label.Model) whose rows a write to this list or page adds whatever its body
    may_add: tuple[str, ...] = ()
    name: str = ""
    path: str = ""
    kwargs: tuple[str, ...] = field(default_factory=tuple)


# --- the models -------------------------------------------------------------------------------------


#: The cast's enterprises (tests/conftest.py) and the neighbour added here.
ENTERPRISE_KEYS = ("inside", "neighbour", "building", "outside")
NEIGHBOUR_NAME = "马山邻家精细化工有限公司"


def _neighbour(cast: dict) -> Enterprise:
    """A second 马山镇 hazardous-chemicals enterprise beside ``inside``: in the township officer's scope, outside
    the enterprise user's and the expert's (whose own enterprise is ``inside``) and the department officer's.
    A page of ``inside`` that filters its rows by township or industry instead of by enterprise shows the
    neighbour's rows, and fails."""
    if "neighbour" not in cast:
        inside = cast["inside"]
        cast["neighbour"] = EnterpriseFactory(name=NEIGHBOUR_NAME, township=inside.township, industry=inside.industry)
    return cast["neighbour"]


def _enterprise_objects(cast: dict, role: str) -> Objects:
    """The cast: ``inside`` is a 马山镇 hazardous-chemicals enterprise (the township officer's township,
    the enterprise user's and the expert's own) and ``neighbour`` another one in 马山镇; ``building`` a 孝里街道
    construction one (住建's industry); ``outside`` a 孝里街道 industry-and-trade one (nobody's but the bureau's)."""
    inside, neighbour, building, outside = cast["inside"], _neighbour(cast), cast["building"], cast["outside"]
    if role in DISTRICT_WIDE:
        return Objects(inside=[inside, neighbour, building, outside], outside=[])
    if role == "department_officer":
        return Objects(inside=[building], outside=[inside, neighbour, outside])
    if role == "nobody":
        return Objects(inside=[], outside=[inside, neighbour, building, outside])
    if role == "township_officer":
        return Objects(inside=[inside, neighbour], outside=[building, outside])
    return Objects(inside=[inside], outside=[neighbour, building, outside])


def _per_enterprise(cast: dict, role: str, key: str, make) -> Objects:
    """One object per cast enterprise (made once by ``make(enterprise, label)``), inside or outside as
    the enterprise itself is for the role."""
    _neighbour(cast)
    store = cast.setdefault(key, {})
    for name in ENTERPRISE_KEYS:
        if name not in store:
            store[name] = make(cast[name], f"scope-{key}-{name}")
    by_enterprise = {cast[name].pk: store[name] for name in store}
    objects = _enterprise_objects(cast, role)
    return Objects(inside=[by_enterprise[e.pk] for e in objects.inside],
                   outside=[by_enterprise[e.pk] for e in objects.outside])


def _hazard_objects(cast: dict, role: str) -> Objects:
    def make(enterprise, label):
        return Hazard.objects.create(enterprise=enterprise, township=enterprise.township,
                                     industry=enterprise.industry, description=label, source="inspection",
                                     found_at=timezone.now())
    return _per_enterprise(cast, role, "_hazards", make)


def _hazard_photo_objects(cast: dict, role: str) -> Objects:
    """A photo of each cast enterprise's hazard; its stored name is its label."""
    hazards = _hazard_objects(cast, "bureau_staff").inside

    def make(enterprise, label):
        hazard = next(h for h in hazards if h.enterprise_id == enterprise.pk)
        photo = HazardPhoto(hazard=hazard, kind="before", uploaded_by=cast["users"]["bureau_staff"])
        photo.image.save(f"{label}.jpg", ContentFile(b"scope photo"), save=False)
        photo.thumbnail.save(f"{label}-thumb.jpg", ContentFile(b"scope thumbnail"), save=False)
        photo.save()
        return photo
    return _per_enterprise(cast, role, "_hazard_photos", make)


def _tip_off_objects(cast: dict, role: str) -> Objects:
    def make(enterprise, label):
        return TipOff.objects.create(enterprise_name=label, enterprise=enterprise, township=enterprise.township,
                                     description=label)
    return _per_enterprise(cast, role, "_tip_offs", make)


def _tip_off_check_objects(cast: dict, role: str) -> Objects:
    """Tip-offs the bureau sent to each cast enterprise's township to check (issue 10)."""
    def make(enterprise, label):
        return TipOffCheck.objects.create(enterprise_name=label, enterprise=enterprise, township=enterprise.township,
                                          description=label, state="checking", sent_at=timezone.now(),
                                          check_request=label)
    return _per_enterprise(cast, role, "_tip_off_checks", make)


def _inspection_objects(cast: dict, role: str) -> Objects:
    def make(enterprise, label):
        return Inspection.objects.create(kind="routine", enterprise=enterprise, township_id=enterprise.township_id,
                                         industry_id=enterprise.industry_id, inspected_at=timezone.now(),
                                         subject=label, created_by=cast["users"]["bureau_staff"])
    return _per_enterprise(cast, role, "_inspections", make)


def _document_objects(cast: dict, role: str) -> Objects:
    inspections = _inspection_objects(cast, "bureau_staff").inside

    def make(enterprise, label):
        inspection = next(i for i in inspections if i.enterprise_id == enterprise.pk)
        # An earlier year's number: a document the run issues takes this year's numbers from 1 (numbering.py).
        document = Document(inspection=inspection, kind="inspection_record", year=2020, serial=enterprise.pk,
                            number=label, issued_by=cast["users"]["bureau_staff"], issued_at=timezone.now())
        document.file.save(f"{label}.pdf", ContentFile(b"%PDF-1.4 scope"), save=False)
        document.save()
        return document
    return _per_enterprise(cast, role, "_documents", make)


def _installation_objects(cast: dict, role: str) -> Objects:
    def make(enterprise, label):
        return MajorHazardInstallation.objects.create(enterprise=enterprise, township_id=enterprise.township_id,
                                                      industry_id=enterprise.industry_id, name=label,
                                                      kind="tank_farm")
    return _per_enterprise(cast, role, "_installations", make)


def _duty_item_objects(cast: dict, role: str) -> Objects:
    """The task lists are the district's, edited by the bureau's administrator
    (``major_hazards.change_dutyitem``); for every other role an item is beyond reach (403 whether it exists
    or not), so one item counts as inside and another as outside. Two items of their own (number 10 of the
    principal's and the technical person's lists is free) give unique labels."""
    store = cast.setdefault("_duty_items", {})
    for role_name in ("principal", "technical"):
        if role_name not in store:
            store[role_name] = DutyItem.objects.create(role=role_name, number=10, text=f"scope-duty-{role_name}",
                                                       frequency_days=90)
    if role == "bureau_admin":
        return Objects(inside=[store["principal"], store["technical"]], outside=[])
    return Objects(inside=[store["principal"]], outside=[store["technical"]])


def _team_objects(cast: dict, role: str) -> Objects:
    """A rescue team of each cast enterprise (issue 14); the district's own teams are the bureau's roles' alone."""
    def make(enterprise, label):
        team = Team(name=label, kind="enterprise", latitude=36.5, longitude=116.7, duty_phone="13800000000")
        team.stamp_from(enterprise)
        team.save()
        return team
    return _per_enterprise(cast, role, "_teams", make)


def _warehouse_objects(cast: dict, role: str) -> Objects:
    """A warehouse of each cast enterprise, holding 1,000 of the scope item (a transfer from it succeeds)."""
    item = Item.objects.get_or_create(name="scope-item", defaults={"category": "scope", "unit": "个"})[0]

    def make(enterprise, label):
        warehouse = Warehouse(name=label, latitude=36.5, longitude=116.7)
        warehouse.stamp_from(enterprise)
        warehouse.save()
        StockLine.objects.create(warehouse=warehouse, item=item, quantity=1000, latitude=36.5, longitude=116.7)
        return warehouse
    return _per_enterprise(cast, role, "_warehouses", make)


def _team_rule_objects(cast: dict, role: str) -> Objects:
    """The minimum members per kind of team are the district's, edited by the bureau's administrator
    (``resources.change_teamkindrule``); for every other role a rule is beyond reach (403 whether it exists or
    not), so one counts as inside and another as outside."""
    store = cast.setdefault("_team_rules", {})
    for kind in ("militia", "social"):
        if kind not in store:
            store[kind] = TeamKindRule.objects.update_or_create(kind=kind, defaults={"basis": f"scope-rule-{kind}"})[0]
    if role == "bureau_admin":
        return Objects(inside=[store["militia"], store["social"]], outside=[])
    return Objects(inside=[store["militia"]], outside=[store["social"]])
def _warning_objects(cast: dict, role: str) -> Objects:
    """A warning covering 马山镇 (the township officer's) and one covering 孝里街道 only, entered before 住建
    (the department officer's) existed, so it was not notified of it: the bureau's roles see both, the township
    officer and the department officer the 马山镇 one. For the others (no ``warnings.view_earlywarning``) a
    warning is beyond reach (403 whether it exists or not), so one counts as inside and the other as outside."""
    from shouye.warnings.services import issue_warning
    store = cast.setdefault("_warnings", {})
    for key, code in (("mashan", "370113107"), ("xiaoli", "370113008")):
        if key not in store:
            store[key] = issue_warning(actor=cast["users"]["bureau_staff"], title=f"scope-warning-{key}",
                                       kind="rainstorm", source="manual", level=3, issued_at=_an_hour_ago(),
                                       all_district=False, townships=[Region.objects.get(code=code)],
                                       content=f"scope-warning-{key}")
            if key == "xiaoli":
                store[key].units.filter(department__name="区住房和城乡建设局").delete()
    both = [store["mashan"], store["xiaoli"]]
    if role in DISTRICT_WIDE:
        return Objects(inside=both, outside=[])
    return Objects(inside=[store["mashan"]], outside=[store["xiaoli"]])


def _camera_objects(cast: dict, role: str) -> Objects:
    """A camera of each cast enterprise, all of one vendor."""
    vendor = AlarmVendor.objects.get_or_create(code="scope-vendor", defaults={
        "name": "scope-vendor", "key_id": "scope-vendor-key", "secret": "scope-vendor-secret"})[0]

    def make(enterprise, label):
        camera = Camera(vendor=vendor, vendor_device_id=label, name=label)
        camera.stamp_from(enterprise)
        camera.save()
        return camera
    return _per_enterprise(cast, role, "_cameras", make)


def _vendor_objects(cast: dict, role: str) -> Objects:
    """The video vendors are the district's, kept by the bureau's administrator (``monitoring.manage_alarm_rules``);
    for every other role a vendor is beyond reach (403 whether it exists or not), so one counts as inside and
    another as outside."""
    store = cast.setdefault("_vendors", {})
    for name in ("one", "two"):
        if name not in store:
            store[name] = AlarmVendor.objects.create(code=f"scope-{name}", name=f"scope-vendor-{name}",
                                                     key_id=f"scope-{name}-key", secret="scope-secret")
    if role == "bureau_admin":
        return Objects(inside=[store["one"], store["two"]], outside=[])
    return Objects(inside=[store["one"]], outside=[store["two"]])


def _plan_objects(cast: dict, role: str) -> Objects:
    def make(enterprise, label):
        return InspectionPlan.objects.create(year=timezone.localdate().year, enterprise=enterprise,
                                             township_id=enterprise.township_id,
                                             industry_id=enterprise.industry_id, inspections_due=2)
    return _per_enterprise(cast, role, "_plans", make)


def _ledger_export_objects(cast: dict, role: str) -> Objects:
    """A ledger export belongs to the user who started it, whatever the role."""
    users, store = cast["users"], cast.setdefault("_ledger_exports", {})
    other = "bureau_staff" if role == "bureau_admin" else "bureau_admin"
    for owner in (role, other):
        if owner not in store:
            job = LedgerExport(created_by=users[owner], status=LedgerExport.Status.SUCCEEDED, total_rows=1,
                               processed_rows=1, filename=f"scope-ledger-export-of-{owner}.xlsx")
            job.file.save(job.filename, ContentFile(_xlsx(job.filename)), save=False)
            job.save()
            store[owner] = job
    return Objects(inside=[store[role]], outside=[store[other]])


def _worker_export_objects(cast: dict, role: str) -> Objects:
    """A personnel ledger export belongs to the user who started it, whatever the role."""
    users, store = cast["users"], cast.setdefault("_worker_exports", {})
    other = "bureau_staff" if role == "bureau_admin" else "bureau_admin"
    for owner in (role, other):
        if owner not in store:
            job = WorkerExport(created_by=users[owner], status=WorkerExport.Status.SUCCEEDED, total_rows=1,
                               processed_rows=1, filename=f"scope-worker-export-of-{owner}.xlsx")
            job.file.save(job.filename, ContentFile(_xlsx(job.filename)), save=False)
            job.save()
            store[owner] = job
    return Objects(inside=[store[role]], outside=[store[other]])


def _xlsx(text: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append([text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import_job(model, user, label: str):
    """A refused import (of any kit-built ``model``) whose file name, error message and error file all carry
    ``label``."""
    job = model(created_by=user, original_name=label, total_rows=1, processed_rows=1,
                status=model.Status.FAILED, errors=[{"row": 2, "column": "A", "message": label}])
    job.file.save(f"{label}.xlsx", ContentFile(_xlsx(label)), save=False)
    job.error_file.save(f"{label}-errors.xlsx", ContentFile(_xlsx(label)), save=False)
    job.save()
    return job


def _import_objects(model, kind: str):
    """The objects of an import kit's job model: an import is visible only to the user who uploaded it (it may
    hold rows of any township), whatever that user's role: another user's import is outside every role, the
    bureau's included."""

    def objects(cast: dict, role: str) -> Objects:
        users, store = cast["users"], cast.setdefault(f"_{kind}imports", {})
        other = "bureau_staff" if role == "bureau_admin" else "bureau_admin"
        for owner in (role, other):
            if owner not in store:
                store[owner] = _import_job(model, users[owner], f"scope-{kind}import-of-{owner}")
        return Objects(inside=[store[role]], outside=[store[other]])

    return objects


def _notification_objects(cast: dict, role: str) -> Objects:
    """A notification is its recipient's alone, whatever the role: another user's is outside every role, the
    bureau's included (opening it is a 404). The user without a role is sent none here: the case's
    permission is one every role holds, since reading one's own notifications needs no verb."""
    users = cast["users"]
    store = cast.setdefault("_notifications", {})
    other = "bureau_staff" if role == "bureau_admin" else "bureau_admin"
    for owner in (role, other):
        if owner not in store and owner != "nobody":
            store[owner] = Notification.objects.create(recipient=users[owner], verb="scope.test",
                                                       title=f"scope-notification-of-{owner}")
    return Objects(inside=[store[role]] if role in store else [], outside=[store[other]])


def _calendar_year_objects(cast: dict, role: str) -> Objects:
    """The work calendar is one for the whole district and not scoped: only the bureau administrator
    (``workcalendar.add_workcalendaryear``) reads and extends it. For every other role a year is beyond
    reach (403 whether it exists or not), so one year counts as inside and another as outside."""
    store = cast.setdefault("_calendar_years", {})
    for year in (2091, 2092):
        if year not in store:
            store[year] = WorkCalendarYear.objects.create(year=year, source="manual", note=f"scope-calendar-{year}")
    if role == "bureau_admin":
        return Objects(inside=[store[2091], store[2092]], outside=[])
    return Objects(inside=[store[2091]], outside=[store[2092]])


def _duty_roster_objects(cast: dict, role: str) -> Objects:
    """A roster of each cast enterprise (stamped), of 马山镇 and of 孝里街道, and the bureau's; the duty phone is the
    label. The bureau's is the district-wide roles' alone; a township's its officers' (and the bureau's)."""
    store = cast.setdefault("_duty_rosters", {})
    if not store:
        creator = cast["users"]["bureau_admin"]
        store["bureau"] = Roster.objects.create(unit_kind="bureau", year=2091, month=1, created_by=creator,
                                                duty_phone="scope-roster-bureau")
        for key, code in (("mashan", "370113107"), ("xiaoli", "370113008")):
            store[key] = Roster.objects.create(unit_kind="township", township=Region.objects.get(code=code),
                                               year=2091, month=1, created_by=creator,
                                               duty_phone=f"scope-roster-{key}")

    def make(enterprise, label):
        return Roster.objects.create(unit_kind="enterprise", enterprise=enterprise, township=enterprise.township,
                                     industry=enterprise.industry, year=2091, month=1, duty_phone=label,
                                     created_by=cast["users"]["bureau_admin"])
    per_enterprise = _per_enterprise(cast, role, "_duty_enterprise_rosters", make)
    units = [store["bureau"], store["mashan"], store["xiaoli"]]
    if role in DISTRICT_WIDE:
        inside = units
    elif role == "township_officer":
        inside = [store["mashan"]]
    else:
        inside = []
    return Objects(inside=per_enterprise.inside + inside,
                   outside=per_enterprise.outside + [unit for unit in units if unit not in inside])


def _duty_room_objects(key: str, view_perm: str, make):
    """The bureau's own duty rows (swaps, log entries, handovers): the roles holding ``view_perm`` (the
    district-wide ones) see them all; for every other role a row is beyond reach (403 whether it exists or not),
    so one counts as inside and another as outside."""

    def objects(cast: dict, role: str) -> Objects:
        store = cast.setdefault(key, {})
        for name in ("one", "two"):
            if name not in store:
                store[name] = make(cast, f"scope-{key.strip('_')}-{name}")
        if cast["users"][role].has_perm(view_perm):
            return Objects(inside=[store["one"], store["two"]], outside=[])
        return Objects(inside=[store["one"]], outside=[store["two"]])

    return objects


def _duty_swap(cast: dict, label: str) -> SwapRequest:
    users = cast["users"]
    roster = Roster.objects.get_or_create(unit_kind="bureau", year=2092, month=1,
                                          defaults={"created_by": users["bureau_admin"], "state": "published"})[0]
    officer = DutyPosition.objects.get(code="officer")
    mine, theirs = (Assignment.objects.create(roster=roster, day=roster_day, position=officer, user=users[who],
                                              name=who)
                    for roster_day, who in ((date(2092, 1, 2), "bureau_staff"),
                                            (date(2092, 1, 3), "bureau_admin")))
    return SwapRequest.objects.create(roster=roster, mine=mine, theirs=theirs, requested_by=users["bureau_staff"],
                                      colleague=users["bureau_admin"], reason=label)


def _duty_entry(cast: dict, label: str) -> LogEntry:
    return LogEntry.objects.create(kind="call_received", occurred_at=timezone.now(), shift_day=timezone.localdate(),
                                   counterpart="scope", content=label, recorded_by=cast["users"]["bureau_staff"])


def _duty_handover(cast: dict, label: str) -> Handover:
    day = timezone.localdate() - timedelta(days=400 + len(cast.get("_duty_handovers", {})))
    return Handover.objects.create(shift_day=day, notes=label, handed_over_by=cast["users"]["bureau_staff"])


def _png() -> bytes:
    """A small plan image."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (230, 230, 230)).save(buffer, "PNG")
    return buffer.getvalue()


def _floor_plan_objects(cast: dict, role: str) -> Objects:
    """A current plant plan of each cast enterprise; its title is its label."""
    def make(enterprise, label):
        plan = FloorPlan(title=label, width=120, height=80, uploaded_by=cast["users"]["bureau_staff"])
        plan.stamp_from(enterprise)
        plan.image.save(f"{label}.png", ContentFile(_png()), save=False)
        plan.save()
        return plan
    return _per_enterprise(cast, role, "_floor_plans", make)


def _plan_zone_objects(cast: dict, role: str) -> Objects:
    """A zone on each cast enterprise's plan; its name is its label."""
    plans = _floor_plan_objects(cast, "bureau_staff").inside

    def make(enterprise, label):
        plan = next(p for p in plans if p.enterprise_id == enterprise.pk)
        return PlanZone.objects.create(plan=plan, name=label, polygon=[[0, 0], [60, 0], [60, 40]])
    return _per_enterprise(cast, role, "_plan_zones", make)


def _risk_point_objects(cast: dict, role: str) -> Objects:
    """A risk point of each cast enterprise, its name the label (the risk register, issue 11)."""
    def make(enterprise, label):
        point = RiskPoint(enterprise=enterprise, code=label[-12:], name=label, kind="facility", department="生产部",
                          responsible_person="张三")
        point.stamp_from(enterprise)
        point.save()
        return point
    return _per_enterprise(cast, role, "_risk_points", make)


def _work_area_objects(cast: dict, role: str) -> Objects:
    def make(enterprise, label):
        return WorkArea.objects.create(enterprise=enterprise, township=enterprise.township,
                                       industry=enterprise.industry, name=label, assessed_on=timezone.localdate(),
                                       high_risk=True, max_people=5, assessment_reason=label)
    return _per_enterprise(cast, role, "_work_areas", make)


def _worker_objects(cast: dict, role: str) -> Objects:
    from shouye.core.identifiers import id_number

    def make(enterprise, label):
        return Worker.objects.create(enterprise=enterprise, township=enterprise.township,
                                     industry=enterprise.industry, name=label, post="操作工",
                                     id_number=id_number(enterprise.pk))
    return _per_enterprise(cast, role, "_workers", make)


def _permit_objects(cast: dict, role: str) -> Objects:
    """A draft of special hot work with a stored problem (a draft, so that its edit page answers; the board's
    own tests put permits under way on every list)."""
    def make(enterprise, label):
        now = timezone.now()
        return SpecialOperationPermit.objects.create(
            enterprise=enterprise, township=enterprise.township, industry=enterprise.industry, number=label,
            kind="hot_work", grade="special", state="draft", applicant_unit="车间", work_unit="检修班",
            content=label, location=label, applied_at=now - timedelta(hours=3), planned_start=now - timedelta(hours=2),
            planned_end=now + timedelta(hours=4), last_gas_test_at=now,
            problems=[{"code": "approver_below_level", "field": "level", "detail": label, "at": now.isoformat()}],
            problem_count=1, created_by=User.objects.get_or_create(username="scope-permit-writer")[0])
    return _per_enterprise(cast, role, "_permits", make)


def _incident_objects(cast: dict, role: str) -> Objects:
    """An accident at each cast enterprise, taken an hour ago (issue 14), its title the label."""
    def make(enterprise, label):
        now = timezone.now()
        incident = Incident(title=label, kind="accident", occurred_at=now - timedelta(hours=1), received_at=now,
                            place=label, source="duty_phone", grade="ordinary", grade_basis="scope",
                            created_by=cast["users"]["bureau_staff"])
        incident.stamp_from(enterprise)
        incident.save()
        return incident
    return _per_enterprise(cast, role, "_incidents", make)


def _risk_score_objects(cast: dict, role: str) -> Objects:
    """A current 100-point assessment of each cast enterprise, its assessor the label."""
    def make(enterprise, label):
        return EnterpriseRiskScore.objects.create(
            enterprise=enterprise, township=enterprise.township, industry=enterprise.industry, score=80,
            colour="yellow", basis="scope", assessed_on=timezone.localdate(), assessor=label,
            recorded_by=cast["users"]["bureau_staff"])
    return _per_enterprise(cast, role, "_risk_scores", make)


def _hazard_source_objects(cast: dict, role: str) -> Objects:
    points = _risk_point_objects(cast, "bureau_staff").inside

    def make(enterprise, label):
        point = next(p for p in points if p.enterprise_id == enterprise.pk)
        return HazardSource.objects.create(risk_point=point, identification_method="scl", step_or_item="阀门",
                                           name=label, factor_category="things")
    return _per_enterprise(cast, role, "_hazard_sources", make)


def _control_measure_objects(cast: dict, role: str) -> Objects:
    sources = _hazard_source_objects(cast, "bureau_staff").inside

    def make(enterprise, label):
        source = next(s for s in sources if s.risk_point.enterprise_id == enterprise.pk)
        return ControlMeasure.objects.create(hazard_source=source, category="1", subcategory="1-1",
                                             description=label, check_content="检查")
    return _per_enterprise(cast, role, "_control_measures", make)


def _task_point_objects(cast: dict, role: str) -> Objects:
    """A risk point with one control measure per cast enterprise, for the investigation tasks' routes."""
    def make(enterprise, label):
        point = RiskPoint(code=label[-20:], name=label, kind="facility", department="scope",
                          responsible_person="scope").stamp_from(enterprise)
        point.save()
        source = HazardSource.objects.create(risk_point=point, identification_method="scl", step_or_item="scope",
                                             name=label, factor_category="things")
        ControlMeasure.objects.create(hazard_source=source, category="1", subcategory="1-1",
                                      description=label, check_content=label)
        return point
    return _per_enterprise(cast, role, "_task_points", make)


def _investigation_task_objects(cast: dict, role: str) -> Objects:
    points = {p.enterprise_id: p for p in _task_point_objects(cast, "bureau_staff").inside}

    def make(enterprise, label):
        point = points[enterprise.pk]
        task = InvestigationTask(risk_point=point, title=label, cycle=1, cycle_unit="day", post="scope",
                                 starts_at=timezone.now() - timedelta(days=1),
                                 created_by=cast["users"]["bureau_staff"]).stamp_from(enterprise)
        task.save()
        task.measures.set(ControlMeasure.objects.filter(hazard_source__risk_point=point))
        return task
    return _per_enterprise(cast, role, "_investigation_tasks", make)


def _task_instance_objects(cast: dict, role: str) -> Objects:
    """An open instance (since an hour ago, for a day) of each cast enterprise's task; its label is the
    task's title, which every list of instances shows."""
    tasks = {t.enterprise_id: t for t in _investigation_task_objects(cast, "bureau_staff").inside}

    def make(enterprise, label):
        now = timezone.now()
        return TaskInstance.objects.create(task=tasks[enterprise.pk], enterprise=enterprise,
                                           township=enterprise.township, industry=enterprise.industry,
                                           due_from=now - timedelta(hours=1), due_by=now + timedelta(hours=23))
    return _per_enterprise(cast, role, "_task_instances", make)


def _gateway_objects(cast: dict, role: str) -> Objects:
    def make(enterprise, label):
        gateway = Gateway(code=label, name=label)
        gateway.stamp_from(enterprise)
        gateway.save()
        return gateway
    return _per_enterprise(cast, role, "_gateways", make)


def _monitoring_point_objects(cast: dict, role: str) -> Objects:
    """A pressure point on each cast enterprise's gateway, with its status row."""
    gateways = _gateway_objects(cast, "bureau_staff").inside

    def make(enterprise, label):
        gateway = next(g for g in gateways if g.enterprise_id == enterprise.pk)
        point = MonitoringPoint(gateway=gateway, code=label, name=label, kind="pressure", unit="MPa", range_min=0,
                                range_max=2.5, high=1.6)
        point.stamp_from(enterprise)
        point.save()
        PointStatus.objects.create(point=point)
        return point
    return _per_enterprise(cast, role, "_monitoring_points", make)
# --- monitoring: alarms (lifecycle) ---

def _alarm_objects(cast: dict, role: str) -> Objects:
    """A raised video alarm of each cast enterprise, from a camera named by the label (the list, the console, the
    API and the Excel show the camera's name)."""
    from tests.monitoring import kit as monitoring_kit

    if "_alarm_vendor" not in cast:
        cast["_alarm_vendor"] = monitoring_kit.vendor("scope-alarm-vendor")

    def make(enterprise, label):
        camera = monitoring_kit.camera(cast["_alarm_vendor"], enterprise, device_id=label, name=label)
        return monitoring_kit.alarm(camera_row=camera)
    return _per_enterprise(cast, role, "_alarms", make)


def _plan_unit_objects(cast: dict, role: str) -> Objects:
    """The plan unit of each cast enterprise (emergency plans, issue 14), named by its label."""
    def make(enterprise, label):
        unit = plan_services.unit_for(enterprise=enterprise)  # a write of the walk may have made it already
        unit.name = label
        unit.save(update_fields=["name"])
        return unit
    return _per_enterprise(cast, role, "_plan_units", make)


def _emergency_plan_objects(cast: dict, role: str) -> Objects:
    """A published plan of each cast enterprise's unit."""
    units = {unit.enterprise_id: unit for unit in _plan_unit_objects(cast, "bureau_staff").inside}

    def make(enterprise, label):
        day = timezone.localdate() - timedelta(days=10)
        return EmergencyPlan.objects.create(unit=units[enterprise.pk], kind="comprehensive", title=label,
                                            state="published", published_on=day, filing_due_on=day)
    return _per_enterprise(cast, role, "_emergency_plans", make)


def _drill_objects(cast: dict, role: str) -> Objects:
    """A planned drill of each cast enterprise's plan."""
    plans = {plan.unit.enterprise_id: plan for plan in _emergency_plan_objects(cast, "bureau_staff").inside}

    def make(enterprise, label):
        plan = plans[enterprise.pk]
        drill = Drill.objects.create(unit=plan.unit, title=label, kind="tabletop", planned_on=timezone.localdate())
        drill.plans.add(plan)
        return drill
    return _per_enterprise(cast, role, "_drills", make)


MODELS: dict[type, ScopeCase | str] = {
    Gateway: ScopeCase(objects=_gateway_objects, label=lambda g: g.name, view_perm="monitoring.view_monitoringpoint",
                       change_perm="monitoring.configure_monitoring"),
    MonitoringPoint: ScopeCase(objects=_monitoring_point_objects, label=lambda p: p.name,
                               view_perm="monitoring.view_monitoringpoint",
                               change_perm="monitoring.configure_monitoring"),
    WorkArea: ScopeCase(objects=_work_area_objects, label=lambda a: a.name, view_perm="workareas.view_workarea",
                        change_perm="workareas.change_workarea"),
    Worker: ScopeCase(objects=_worker_objects, label=lambda w: w.name, view_perm="workareas.view_worker",
                      change_perm="workareas.change_worker"),
    WorkerImportJob: ScopeCase(objects=_import_objects(WorkerImportJob, "worker-"), label=lambda j: j.original_name,
                               view_perm="workareas.import_worker", change_perm="workareas.import_worker"),
    Enterprise: ScopeCase(objects=_enterprise_objects, label=lambda e: e.name,
                          view_perm="enterprises.view_enterprise", change_perm="enterprises.change_enterprise"),
    ImportJob: ScopeCase(objects=_import_objects(ImportJob, ""), label=lambda j: j.original_name,
                         view_perm="enterprises.import_enterprise", change_perm="enterprises.import_enterprise"),
    Region: UNSCOPED,
    # A special period is the bureau's public notice (REGULATIONS-2 §C.4): every signed-in user reads it.
    SpecialPeriod: UNSCOPED,
    Checklist: UNSCOPED,
    Notification: ScopeCase(objects=_notification_objects, label=lambda n: n.title,
                            view_perm="regions.view_region", change_perm="regions.view_region"),
    Inspection: ScopeCase(objects=_inspection_objects, label=lambda i: i.subject,
                          view_perm="inspections.view_inspection", change_perm="inspections.change_inspection"),
    Document: ScopeCase(objects=_document_objects, label=lambda d: d.number, view_perm="inspections.view_document",
                        change_perm="inspections.issue_inspection_document"),
    InspectionPlan: ScopeCase(objects=_plan_objects, label=lambda p: p.enterprise.name,
                              view_perm="inspections.view_inspectionplan",
                              change_perm="inspections.change_inspectionplan"),
    Hazard: ScopeCase(objects=_hazard_objects, label=lambda h: h.description,
                      view_perm="hazards.view_hazard", change_perm="hazards.assign_hazard"),
    HazardPhoto: ScopeCase(objects=_hazard_photo_objects, label=lambda p: p.image.name,
                           view_perm="hazards.view_hazard", change_perm="hazards.view_hazard"),
    LedgerExport: ScopeCase(objects=_ledger_export_objects, label=lambda job: job.filename,
                            view_perm="hazards.export_hazard", change_perm="hazards.export_hazard"),
    WorkerExport: ScopeCase(objects=_worker_export_objects, label=lambda job: job.filename,
                            view_perm="workareas.export_worker", change_perm="workareas.export_worker"),
    TipOff: ScopeCase(objects=_tip_off_objects, label=lambda t: t.enterprise_name,
                      view_perm="hazards.view_tipoff", change_perm="hazards.triage_tipoff"),
    TipOffCheck: ScopeCase(objects=_tip_off_check_objects, label=lambda t: t.enterprise_name,
                           view_perm="hazards.check_tipoff", change_perm="hazards.check_tipoff"),
    RiskPoint: ScopeCase(objects=_risk_point_objects, label=lambda p: p.name, view_perm="risks.view_riskpoint",
                         change_perm="risks.manage_risk_list"),
    HazardSource: ScopeCase(objects=_hazard_source_objects, label=lambda s: s.name,
                            view_perm="risks.view_riskpoint", change_perm="risks.manage_risk_list"),
    ControlMeasure: ScopeCase(objects=_control_measure_objects, label=lambda m: m.description,
                              view_perm="risks.view_riskpoint", change_perm="risks.manage_risk_list"),
    InvestigationTask: ScopeCase(objects=_investigation_task_objects, label=lambda t: t.title,
                                 view_perm="risks.view_investigationtask",
                                 change_perm="risks.manage_investigation_task"),
    TaskInstance: ScopeCase(objects=_task_instance_objects, label=lambda i: i.task.title,
                            view_perm="risks.view_investigationtask", change_perm="risks.perform_investigation"),
    MajorHazardInstallation: ScopeCase(objects=_installation_objects, label=lambda i: i.name,
                                       view_perm="major_hazards.view_majorhazardinstallation",
                                       change_perm="major_hazards.manage_installation"),
    DutyItem: ScopeCase(objects=_duty_item_objects, label=lambda i: i.text,
                        view_perm="major_hazards.change_dutyitem", change_perm="major_hazards.change_dutyitem"),
    WorkCalendarYear: ScopeCase(objects=_calendar_year_objects, label=lambda y: y.note,
                                view_perm="workcalendar.add_workcalendaryear",
                                change_perm="workcalendar.add_workcalendaryear"),
    EnterpriseRiskScore: ScopeCase(objects=_risk_score_objects, label=lambda r: r.assessor,
                                   view_perm="risks.view_liveness", change_perm="risks.record_enterprise_risk_score"),
    RiskImportJob: ScopeCase(objects=_import_objects(RiskImportJob, "risk-"), label=lambda j: j.original_name,
                             view_perm="risks.manage_risk_list", change_perm="risks.manage_risk_list"),
    FloorPlan: ScopeCase(objects=_floor_plan_objects, label=lambda p: p.title, view_perm="risks.view_riskpoint",
                         change_perm="risks.manage_risk_list"),
    PlanZone: ScopeCase(objects=_plan_zone_objects, label=lambda z: z.name, view_perm="risks.view_riskpoint",
                        change_perm="risks.manage_risk_list"),
    SpecialOperationPermit: ScopeCase(objects=_permit_objects, label=lambda p: p.number,
                                      view_perm="permits.view_specialoperationpermit",
                                      change_perm="permits.issue_permit"),
    Incident: ScopeCase(objects=_incident_objects, label=lambda i: i.title, view_perm="incidents.view_incident",
                        change_perm="incidents.record_incident"),
    # Monitoring, video (issue 13): the cameras are each enterprise's; the vendors the bureau's.
    Camera: ScopeCase(objects=_camera_objects, label=lambda c: c.name, view_perm="monitoring.view_monitoringpoint",
                      change_perm="monitoring.configure_monitoring"),
    # A vendor's name is offered to whoever registers a camera (the enterprise picks the platform its camera
    # reports through); its key id, the public half of its credential, reaches the bureau's administrators only.
    AlarmVendor: ScopeCase(objects=_vendor_objects, label=lambda v: v.key_id,
                           view_perm="monitoring.manage_alarm_rules", change_perm="monitoring.manage_alarm_rules"),
    PointImportJob: ScopeCase(objects=_import_objects(PointImportJob, "point-"), label=lambda j: j.original_name,
                              view_perm="monitoring.configure_monitoring",
                              change_perm="monitoring.configure_monitoring"),
    # Emergency plans and drills (issue 14): an enterprise's unit, its plans and drills are its own to keep.
    PlanUnit: ScopeCase(objects=_plan_unit_objects, label=lambda u: u.name, view_perm="plans.view_emergencyplan",
                        change_perm="plans.manage_enterprise_plans"),
    EmergencyPlan: ScopeCase(objects=_emergency_plan_objects, label=lambda p: p.title,
                             view_perm="plans.view_emergencyplan", change_perm="plans.manage_enterprise_plans"),
    Drill: ScopeCase(objects=_drill_objects, label=lambda d: d.title, view_perm="plans.view_emergencyplan",
                     change_perm="plans.manage_enterprise_plans"),
    # monitoring: alarms (lifecycle)
    Alarm: ScopeCase(objects=_alarm_objects, label=lambda alarm: alarm.camera.name, view_perm="monitoring.view_alarm",
                     change_perm="monitoring.handle_alarm"),
    # Duty (issue 14): the rosters of the bureau, the townships and the enterprises; the bureau's duty room.
    Roster: ScopeCase(objects=_duty_roster_objects, label=lambda r: r.duty_phone, view_perm="duty.view_roster",
                      change_perm="duty.manage_roster"),
    SwapRequest: ScopeCase(objects=_duty_room_objects("_duty_swaps", "duty.view_swaprequest", _duty_swap),
                           label=lambda swap: swap.reason, view_perm="duty.view_swaprequest",
                           change_perm="duty.request_swap"),
    LogEntry: ScopeCase(objects=_duty_room_objects("_duty_entries", "duty.view_logentry", _duty_entry),
                        label=lambda entry: entry.content, view_perm="duty.view_logentry",
                        change_perm="duty.keep_duty_log"),
    Handover: ScopeCase(objects=_duty_room_objects("_duty_handovers", "duty.view_logentry", _duty_handover),
                        label=lambda handover: handover.notes, view_perm="duty.view_logentry",
                        change_perm="duty.keep_duty_log"),
    # Rescue forces and reserves (issue 14): teams and warehouses of the district, a township or an enterprise;
    # the catalogue of materials is the district's reference data; the team rules the bureau's.
    Team: ScopeCase(objects=_team_objects, label=lambda t: t.name, view_perm="resources.view_team",
                    change_perm="resources.manage_team"),
    Warehouse: ScopeCase(objects=_warehouse_objects, label=lambda w: w.name, view_perm="resources.view_warehouse",
                         change_perm="resources.manage_warehouse"),
    TeamKindRule: ScopeCase(objects=_team_rule_objects, label=lambda r: r.basis,
                            view_perm="resources.change_teamkindrule", change_perm="resources.change_teamkindrule"),
    Item: UNSCOPED,
    # Warnings (issue 14): the district's, seen by township through the units notified.
    EarlyWarning: ScopeCase(objects=_warning_objects, label=lambda w: w.title, view_perm="warnings.view_earlywarning",
                            change_perm="warnings.issue_warning"),
    # The seasons and the daily fire-danger levels are the district's public notices (森林防火条例 Art. 23, 30).
    Season: UNSCOPED,
    FireDangerReading: UNSCOPED,
}


# --- the routes the views cannot tell about themselves ----------------------------------------------

#: The transitions of a hazard, each a POST route of its page and of the API.
HAZARD_ACTIONS = ("governance-plan", "listed-supervision", "assign", "close-on-spot", "submit", "request-extension",
                  "approve-extension", "expert-verify", "verify", "reject")

#: By URL name. Function views, plain API views and collection actions are classified here.
ROUTES: dict[str, RouteSpec] = {
    "monitoring:gateway-create": RouteSpec(PAGE, methods=("get", "post")),
    "monitoring:gateway-update": RouteSpec(UPDATE, model=Gateway, methods=("get", "post"), get_needs="change"),
    "monitoring:gateway-deactivate": RouteSpec(ACTION, model=Gateway, methods=("post",)),
    "monitoring:point-create": RouteSpec(PAGE, methods=("get", "post")),
    "monitoring:point-update": RouteSpec(UPDATE, model=MonitoringPoint, methods=("get", "post"), get_needs="change"),
    "monitoring:point-deactivate": RouteSpec(ACTION, model=MonitoringPoint, methods=("post",)),
    # The points' Excel import: a job is its uploader's alone (the kit's pages).
    "monitoring:import": RouteSpec(PAGE, methods=("get", "post")),
    "monitoring:import-template": RouteSpec(PAGE),
    "monitoring:import-job": RouteSpec(DETAIL, model=PointImportJob),
    "monitoring:import-job-progress": RouteSpec(DETAIL, model=PointImportJob),
    "monitoring:import-job-progress-json": RouteSpec(DETAIL, model=PointImportJob),
    "monitoring:import-error-file": RouteSpec(DETAIL, model=PointImportJob),
    # Cameras (each enterprise's) and the video vendors (the bureau's): the vendor's page edits its mapping.
    "monitoring:camera-create": RouteSpec(PAGE, methods=("get", "post")),
    "monitoring:camera-update": RouteSpec(UPDATE, model=Camera, methods=("get", "post"), get_needs="change"),
    "monitoring:camera-deactivate": RouteSpec(ACTION, model=Camera, methods=("post",)),
    "monitoring:vendors": RouteSpec(LIST, model=AlarmVendor),
    "monitoring:vendor-create": RouteSpec(PAGE, methods=("get", "post")),
    "monitoring:vendor": RouteSpec(UPDATE, model=AlarmVendor, methods=("get", "post")),
    "monitoring:vendor-update": RouteSpec(UPDATE, model=AlarmVendor, methods=("get", "post"), get_needs="change"),
    "monitoring:vendor-map-code": RouteSpec(ACTION, model=AlarmVendor, methods=("post",)),
    "monitoring:vendor-rotate-secret": RouteSpec(ACTION, model=AlarmVendor, methods=("post",)),
    "monitoring:rules": RouteSpec(PAGE, methods=("get", "post")),
    "monitoring:triggers": RouteSpec(PAGE, methods=("get", "post")),
    "monitoring:scenarios": RouteSpec(PAGE, methods=("get", "post")),
    "alarm-rule-table": RouteSpec(PAGE, methods=("get", "put")),
    "alarm-trigger-table": RouteSpec(PAGE, methods=("get", "put")),
    "scenario-table": RouteSpec(PAGE, methods=("get", "put")),
    "workareas:create": RouteSpec(PAGE, methods=("get", "post")),
    "workareas:update": RouteSpec(UPDATE, model=WorkArea, methods=("get", "post"), get_needs="change"),
    "workareas:worker-create": RouteSpec(PAGE, methods=("get", "post")),
    "workareas:worker-update": RouteSpec(UPDATE, model=Worker, methods=("get", "post"), get_needs="change"),
    "workareas:worker-remove": RouteSpec(ACTION, model=Worker, methods=("post",), perm="workareas.delete_worker"),
    "workareas:worker-export": RouteSpec(LIST, model=Worker, perm="workareas.export_worker"),
    "worker-export": RouteSpec(LIST, model=Worker, perm="workareas.export_worker"),
    "workareas:import": RouteSpec(PAGE, methods=("get", "post")),
    "workareas:import-template": RouteSpec(PAGE),
    "workareas:import-job": RouteSpec(DETAIL, model=WorkerImportJob),
    "workareas:import-job-progress": RouteSpec(DETAIL, model=WorkerImportJob),
    "workareas:import-job-progress-json": RouteSpec(DETAIL, model=WorkerImportJob),
    "workareas:export-job": RouteSpec(DETAIL, model=WorkerExport),
    "workareas:export-job-progress": RouteSpec(DETAIL, model=WorkerExport),
    "workareas:export-job-progress-json": RouteSpec(DETAIL, model=WorkerExport),
    "workareas:export-job-file": RouteSpec(DETAIL, model=WorkerExport),
    "workareas:import-error-file": RouteSpec(DETAIL, model=WorkerImportJob),
    "workcalendar:list": RouteSpec(PAGE),
    "workcalendar:add": RouteSpec(PAGE, methods=("get", "post")),
    "workcalendar:import": RouteSpec(PAGE, methods=("post",)),
    "workcalendar:year": RouteSpec(DETAIL, model=WorkCalendarYear, lookup="year"),
    "workcalendar:periods": RouteSpec(PAGE),
    "workcalendar:period-add": RouteSpec(PAGE, methods=("get", "post")),
    "workcalendar:period": RouteSpec(DETAIL, model=SpecialPeriod),
    "workcalendar:period-edit": RouteSpec(UPDATE, model=SpecialPeriod, methods=("get", "post"), get_needs="change",
                                          perm="workcalendar.manage_specialperiod"),
    "workcalendar:period-cancel": RouteSpec(ACTION, model=SpecialPeriod, methods=("post",),
                                            perm="workcalendar.manage_specialperiod"),
    "calculators:index": RouteSpec(PAGE),
    "calculators:substances": RouteSpec(PAGE),
    "calculators:substance-row": RouteSpec(PAGE),
    **{f"calculators:{name}": RouteSpec(PAGE, methods=("post",))
       for name in ("major-hazard", "lec", "risk-matrix", "hot-work", "accident")},
    **{f"calculator-{name}": RouteSpec(PAGE, methods=("post",)) for name in CALCULATOR_RULES},
    "core:home": RouteSpec(PAGE),
    "core:cockpit": RouteSpec(PAGE),
    "core:cockpit-data": RouteSpec(PAGE),
    # Every uploaded file; the scope case is a hazard photo (tests/core/test_media.py covers the others).
    "media": RouteSpec(ACTION, model=HazardPhoto, url_kwargs=lambda photo: {"name": photo.image.name}),
    "hazard-export": RouteSpec(LIST, model=Hazard, perm="hazards.export_hazard"),
    "hazard-stats": RouteSpec(PAGE),
    "inspections:create": RouteSpec(PAGE, methods=("get", "post")),
    "inspections:enterprise-search": RouteSpec(LIST, model=Enterprise, perm="inspections.add_inspection"),
    "inspections:record": RouteSpec(ACTION, model=Inspection, methods=("post",)),
    "inspections:finish": RouteSpec(UPDATE, model=Inspection, methods=("get", "post"), get_needs="change"),
    "inspections:documents": RouteSpec(UPDATE, model=Inspection, methods=("get", "post")),
    # The preview answers a PDF (or the documents page with the form's errors) and writes nothing.
    "inspections:document-preview": RouteSpec(ACTION, model=Inspection, methods=("post",)),
    # The PDF carries the number only inside compressed streams: an ACTION, so the label is not searched in it.
    "inspections:document-download": RouteSpec(ACTION, model=Document),
    # The printed permit: a PDF whose text is in compressed streams (an ACTION: the label is not searched in it).
    "permits:print": RouteSpec(ACTION, model=SpecialOperationPermit),
    "permits:status": RouteSpec(DETAIL, model=SpecialOperationPermit),
    "inspections:plans": RouteSpec(LIST, model=InspectionPlan),
    "inspections:plan-generate": RouteSpec(PAGE, methods=("post",)),
    "inspections:plan-update": RouteSpec(UPDATE, model=InspectionPlan, methods=("get", "post"), get_needs="change"),
    "inspection-plan-generate": RouteSpec(PAGE, methods=("post",)),
    "inspection-plan-coverage": RouteSpec(PAGE),
    "hazards:report": RouteSpec(PAGE, methods=("get", "post")),
    "hazards:export": RouteSpec(LIST, model=Hazard, perm="hazards.export_hazard"),
    "hazards:export-job": RouteSpec(DETAIL, model=LedgerExport),
    "hazards:export-job-progress": RouteSpec(DETAIL, model=LedgerExport),
    "hazards:export-job-progress-json": RouteSpec(DETAIL, model=LedgerExport),
    "hazards:export-job-file": RouteSpec(DETAIL, model=LedgerExport),
    "hazards:tip-offs": RouteSpec(LIST, model=TipOff),
    "hazards:tip-off": RouteSpec(UPDATE, model=TipOff, methods=("get", "post")),
    "hazards:tip-off-send": RouteSpec(ACTION, model=TipOff, methods=("post",), perm="hazards.triage_tipoff"),
    "hazards:tip-off-checks": RouteSpec(LIST, model=TipOffCheck),
    "hazards:tip-off-check": RouteSpec(UPDATE, model=TipOffCheck, methods=("get", "post")),
    **{f"hazards:{action}": RouteSpec(ACTION, model=Hazard, methods=("post",)) for action in HAZARD_ACTIONS},
    "tip-off:form": RouteSpec(PAGE, methods=("get", "post"), public=True),
    "tip-off:thanks": RouteSpec(PAGE, public=True),
    "tip-off:status": RouteSpec(PAGE, methods=("get", "post"), public=True),
    "notifications:list": RouteSpec(PAGE),
    # Opening marks it read and follows its link: a GET, so the label is checked like an action's.
    "notifications:open": RouteSpec(ACTION, model=Notification),
    "core:todo-total": RouteSpec(PAGE),
    "api-todos": RouteSpec(PAGE),
    "notification-read-all": RouteSpec(PAGE, methods=("post",)),
    "notifications:mark-all-read": RouteSpec(PAGE, methods=("post",)),
    "core:health": RouteSpec(PAGE, public=True),
    "core:favicon": RouteSpec(PAGE, public=True),
    "accounts:login": RouteSpec(PAGE, public=True),
    # Signing out is recorded in the audit log (and its chain head), whatever the body.
    "accounts:logout": RouteSpec(PAGE, methods=("post",), may_add=("audit.AuditEvent", "audit.AuditHead")),
    "enterprises:create": RouteSpec(PAGE, methods=("get", "post")),
    "enterprises:export": RouteSpec(LIST, model=Enterprise, perm="enterprises.export_enterprise"),
    "enterprises:update": RouteSpec(UPDATE, model=Enterprise, methods=("get", "post"), get_needs="change"),
    "enterprises:import": RouteSpec(PAGE, methods=("get", "post")),
    "enterprises:import-template": RouteSpec(PAGE),
    "enterprises:import-job": RouteSpec(DETAIL, model=ImportJob),
    "enterprises:import-job-progress": RouteSpec(DETAIL, model=ImportJob),
    "enterprises:import-job-progress-json": RouteSpec(DETAIL, model=ImportJob),
    "enterprises:import-error-file": RouteSpec(DETAIL, model=ImportJob),
    "api-token": RouteSpec(PAGE, methods=("post",)),
    "api-me": RouteSpec(PAGE),
    "enterprise-export": RouteSpec(LIST, model=Enterprise, perm="enterprises.export_enterprise"),
    # The one map: a page, the townships' outlines (not secret), and one GeoJSON route per registered layer. A
    # layer answers the points of several models and only to those who supervise an area or industries, so
    # the walk checks it for leaks; tests/dashboards/test_map.py checks that the inside points are there.
    # The risk register (issue 11): an enterprise's list and its acts are routes of the enterprise.
    "risks:index": RouteSpec(LIST, model=Enterprise, perm="risks.view_riskpoint"),
    "risks:tables": RouteSpec(PAGE, methods=("get", "post")),
    "risks:import-template": RouteSpec(PAGE),
    "risks:subcategories": RouteSpec(PAGE),
    "risks:enterprise": RouteSpec(DETAIL, model=Enterprise, perm="risks.view_riskpoint"),
    "risks:point-create": RouteSpec(UPDATE, model=Enterprise, methods=("get", "post"), perm="risks.manage_risk_list"),
    "risks:publish": RouteSpec(ACTION, model=Enterprise, methods=("post",), perm="risks.publish_risk_list"),
    "risks:regrade": RouteSpec(ACTION, model=Enterprise, methods=("post",), perm="risks.manage_risk_list"),
    "risks:enterprise-tables": RouteSpec(UPDATE, model=Enterprise, methods=("get", "post"),
                                         perm="risks.manage_risk_list"),
    "risks:import": RouteSpec(PAGE, methods=("get", "post")),
    "risks:import-job": RouteSpec(DETAIL, model=RiskImportJob),
    "risks:import-job-progress": RouteSpec(DETAIL, model=RiskImportJob),
    "risks:import-job-progress-json": RouteSpec(DETAIL, model=RiskImportJob),
    "risks:import-error-file": RouteSpec(DETAIL, model=RiskImportJob),
    "risks:control-list-export": RouteSpec(DETAIL, model=Enterprise, perm="risks.export_risk_list"),
    "risks:source-ledger-export": RouteSpec(DETAIL, model=Enterprise, perm="risks.export_risk_list"),
    "risks:point": RouteSpec(DETAIL, model=RiskPoint),
    **{f"risks:{name}": RouteSpec(UPDATE, model=RiskPoint, methods=("get", "post"), get_needs="change")
       for name in ("point-edit", "special-plan", "source-create")},
    **{f"risks:{name}": RouteSpec(ACTION, model=RiskPoint, methods=("post",)) for name in ("point-retire",
                                                                                         "point-forced-major")},
    **{f"risks:{name}": RouteSpec(UPDATE, model=HazardSource, methods=("get", "post"), get_needs="change")
       for name in ("source-edit", "assess", "measure-create")},
    "risks:assess-preview": RouteSpec(ACTION, model=HazardSource, methods=("post",)),
    "risks:measure-edit": RouteSpec(UPDATE, model=ControlMeasure, methods=("get", "post"), get_needs="change"),
    "risks:source-delete": RouteSpec(UPDATE, model=HazardSource, methods=("get", "post"), get_needs="change"),
    "risks:measure-delete": RouteSpec(UPDATE, model=ControlMeasure, methods=("get", "post"), get_needs="change"),
    "riskregister-detail": RouteSpec(DETAIL, model=Enterprise, perm="risks.view_riskpoint"),
    "risks:enterprise-tables-reset": RouteSpec(ACTION, model=Enterprise, methods=("post",),
                                               perm="risks.manage_risk_list"),
    "enterprise-risk-settings-detail": RouteSpec(UPDATE, model=Enterprise, methods=("delete", "get", "patch"),
                                                 perm="risks.view_riskpoint"),
    "risk-settings-district": RouteSpec(PAGE, methods=("get", "patch")),
    "riskregister-publish": RouteSpec(ACTION, model=Enterprise, methods=("post",), perm="risks.publish_risk_list"),
    **{f"riskpoint-{name}": RouteSpec(ACTION, model=RiskPoint, methods=("post",))
       for name in ("retire", "hazard-sources", "special-plan")},
    **{f"hazardsource-{name}": RouteSpec(ACTION, model=HazardSource, methods=("post",))
       for name in ("assess", "measures")},
    # Investigation tasks (issue 11): setting up takes the risk point in its body; the phone page lists the
    # user's instances.
    "risks:tasks": RouteSpec(LIST, model=InvestigationTask),
    "risks:task-create": RouteSpec(PAGE, methods=("get", "post")),
    "risks:task-whole-list": RouteSpec(PAGE, methods=("get", "post")),
    "risks:task": RouteSpec(DETAIL, model=InvestigationTask),
    "risks:task-stop": RouteSpec(ACTION, model=InvestigationTask, methods=("post",),
                                 perm="risks.manage_investigation_task"),
    "risks:my-tasks": RouteSpec(PAGE),
    "risks:instance": RouteSpec(UPDATE, model=TaskInstance, methods=("get", "post")),
    "investigation-task-generate-for-list": RouteSpec(PAGE, methods=("post",)),
    "map:index": RouteSpec(PAGE),
    "map:townships": RouteSpec(PAGE),
    **{f"map:layer-{layer.key}": RouteSpec(PAGE) for layer in map_layers.ordered()},
    # The bureau's special-operation board (issue 12) shows only permits under way or with something to file:
    # a page, checked for outside permits (tests/permits/test_board.py checks the inside ones are there); the
    # statistics and their Excel show enterprises, not permits.
    "permits:board": RouteSpec(PAGE),
    "api-permit-board": RouteSpec(PAGE),
    "permits:statistics": RouteSpec(PAGE),
    "permits:statistics-export": RouteSpec(PAGE),
    # The bureau's alarm board, statistics and daily report (issue 13): pages, checked for outside objects
    # (tests/monitoring/test_board.py, test_statistics.py and test_report.py check the inside ones are there).
    # The board's event stream answers GET for minutes (its lifetime), which this walk cannot wait for: its
    # scope is tested in tests/monitoring/test_stream.py (an outside alarm never reaches a township's stream);
    # here, that no write reaches it.
    "monitoring:board": RouteSpec(PAGE),
    "monitoring:board-stream": RouteSpec(PAGE, methods=()),
    "monitoring:statistics": RouteSpec(PAGE),
    "monitoring:report-export": RouteSpec(PAGE),
    "api-alarm-board": RouteSpec(PAGE),
    "api-alarm-statistics": RouteSpec(PAGE),
    # The plant plan and the four-colour map (issue 11); the PDFs are ACTIONs, their text is compressed.
    "risks:plan-upload": RouteSpec(PAGE, methods=("get", "post")),
    "risks:plan": RouteSpec(DETAIL, model=FloorPlan),
    "risks:plan-pdf": RouteSpec(ACTION, model=FloorPlan),
    "risks:zone-points": RouteSpec(ACTION, model=PlanZone, methods=("post",), perm="risks.manage_risk_list"),
    "risks:notice-cards": RouteSpec(DETAIL, model=Enterprise, perm="risks.view_riskpoint"),
    "risks:notice-card": RouteSpec(ACTION, model=Enterprise, perm="risks.view_riskpoint"),
    # Dual prevention, the bureau's view: liveness per enterprise (page, Excel, API), statistics, an enterprise's
    # 100-point assessment (its page; the form posts no row), and one enterprise's data exchange (its id in the
    # query: without one it is refused).
    "risks:liveness": RouteSpec(LIST, model=Enterprise, perm="risks.view_liveness"),
    "risks:liveness-export": RouteSpec(LIST, model=Enterprise, perm="risks.view_liveness"),
    "risk-liveness": RouteSpec(LIST, model=Enterprise, perm="risks.view_liveness"),
    "risks:statistics": RouteSpec(PAGE),
    "risks:enterprise-score": RouteSpec(UPDATE, model=Enterprise, methods=("get", "post"),
                                        perm="risks.view_liveness"),
    "risk-exchange": RouteSpec(PAGE),
    "duty:now": RouteSpec(PAGE),
    "duty:roster-create": RouteSpec(PAGE, methods=("get", "post")),
    # The Excel holds the duty phone only as a cell of a compressed sheet: an ACTION, not searched for it.
    "duty:roster-export": RouteSpec(ACTION, model=Roster, perm="duty.export_roster"),
    "duty:roster-print": RouteSpec(DETAIL, model=Roster),
    **{f"duty:{name}": RouteSpec(ACTION, model=Roster, methods=("post",),
                                 perm="duty.request_swap" if name == "request-swap" else "")
       for name in DUTY_ROSTER_ACTIONS.actions},
    "duty-roster-on-duty": RouteSpec(PAGE),
    "duty-roster-not-filed": RouteSpec(PAGE),
    "duty:swaps": RouteSpec(LIST, model=SwapRequest),
    "duty:swap": RouteSpec(DETAIL, model=SwapRequest),
    **{f"duty:{name}": RouteSpec(ACTION, model=SwapRequest, methods=("post",),
                                 perm="duty.approve_swap" if name in ("approve", "reject") else "")
       for name in DUTY_SWAP_ACTIONS.actions},
    "duty:log": RouteSpec(LIST, model=LogEntry),
    "duty:entry-create": RouteSpec(PAGE, methods=("get", "post")),
    "duty:entry": RouteSpec(DETAIL, model=LogEntry),
    **{f"duty:{name}": RouteSpec(ACTION, model=LogEntry, methods=("post",)) for name in DUTY_ENTRY_ACTIONS.actions},
    "duty:handover-create": RouteSpec(PAGE, methods=("get", "post")),
    "duty:handover": RouteSpec(DETAIL, model=Handover),
    **{f"duty:{name}": RouteSpec(ACTION, model=Handover, methods=("post",))
       for name in DUTY_HANDOVER_ACTIONS.actions},
    "duty:setup": RouteSpec(PAGE, methods=("get", "post")),
    "major_hazards:create": RouteSpec(PAGE, methods=("get", "post")),
    "major_hazards:duty-items": RouteSpec(LIST, model=DutyItem),
    "major_hazards:duty-item": RouteSpec(UPDATE, model=DutyItem, methods=("get", "post"), get_needs="change"),
    "major_hazards:export": RouteSpec(LIST, model=MajorHazardInstallation, perm="major_hazards.export_installation"),
    # The notice board's PDF carries the name only inside compressed streams: an ACTION, not searched for it.
    "major_hazards:board": RouteSpec(ACTION, model=MajorHazardInstallation),
    **{f"major_hazards:{name}": RouteSpec(ACTION, model=MajorHazardInstallation, methods=("post",))
       for name in MHI_ACTIONS.actions},
    # Special-operation permits (issue 12): filling one in names its enterprise; the acts are the permit's.
    "permits:create": RouteSpec(PAGE, methods=("get", "post")),
    "permits:edit": RouteSpec(UPDATE, model=SpecialOperationPermit, methods=("get", "post"), get_needs="change"),
    "permits:watch": RouteSpec(DETAIL, model=SpecialOperationPermit, perm="permits.watch_permit"),
    **{f"permits:{name}": RouteSpec(ACTION, model=SpecialOperationPermit, methods=("post",),
                                    perm=PERMIT_ACTIONS.workflow.steps[name].permissions[0])
       for name in PERMIT_ACTIONS.actions if name != "edit"},
    # Incidents (issue 14): taking one may name an enterprise; the acts are the incident's.
    "incidents:create": RouteSpec(PAGE, methods=("get", "post")),
    "incidents:report-pdf": RouteSpec(ACTION, model=Incident, perm="incidents.record_incident"),
    "incidents:report-docx": RouteSpec(ACTION, model=Incident, perm="incidents.record_incident"),
    **{f"incidents:{name}": RouteSpec(ACTION, model=Incident, methods=("post",),
                                      perm=INCIDENT_ACTIONS.workflow.steps[name].permissions[0])
       for name in INCIDENT_ACTIONS.actions},
    # monitoring: the alarm's page, its acts, the filtered Excel, and the enterprise's duty console and its feed
    # (pages showing the user's own live alarms) (lifecycle).
    "monitoring:alarm-detail": RouteSpec(DETAIL, model=Alarm),
    "monitoring:alarm-export": RouteSpec(LIST, model=Alarm),
    "monitoring:console": RouteSpec(PAGE),
    "monitoring:console-feed": RouteSpec(PAGE),
    **{f"monitoring:{name}": RouteSpec(ACTION, model=Alarm, methods=("post",), perm="monitoring.handle_alarm")
       for name in ALARM_ACTIONS.actions},
    # Emergency plans and drills (issue 14): new plans and drills name their unit; the statistics are pages of
    # counts; each act is the plan's, the drill's or the unit's (setting a category is the bureau's).
    "plans:create": RouteSpec(PAGE, methods=("get", "post")),
    "plans:drill-create": RouteSpec(PAGE, methods=("get", "post")),
    "plans:statistics": RouteSpec(PAGE),
    "plans:statistics-export": RouteSpec(PAGE),
    "emergency-plan-statistics": RouteSpec(PAGE),
    **{f"plans:{name}": RouteSpec(ACTION, model=EmergencyPlan, methods=("post",))
       for name in EMERGENCY_PLAN_ACTIONS.actions},
    **{f"plans:drill-{name}": RouteSpec(ACTION, model=Drill, methods=("post",)) for name in DRILL_ACTIONS.actions},
    **{f"plans:{name}": RouteSpec(ACTION, model=PlanUnit, methods=("post",), perm="plans.set_drill_category")
       for name in PLAN_UNIT_ACTIONS.actions},
    # Warnings (issue 14): entering one, its checklist page and acts; the seasons page (status, seasons,
    # readings, the fire-danger scale) and the measure templates (the administrator's).
    "warnings:create": RouteSpec(PAGE, methods=("get", "post")),
    "warnings:seasons": RouteSpec(PAGE, methods=("get", "post")),
    "warnings:measures": RouteSpec(PAGE, methods=("get", "post")),
    "warnings:checklist": RouteSpec(DETAIL, model=EarlyWarning),
    **{f"warnings:{name}": RouteSpec(ACTION, model=EarlyWarning, methods=("post",),
                                     perm=WARNING_ACTIONS.workflow.steps[name].permissions[0])
       for name in WARNING_ACTIONS.actions},
    "warning-status": RouteSpec(PAGE),
}

ROUTES.update({
    "resources:team-create": RouteSpec(PAGE, methods=("get", "post")),
    "resources:warehouse-create": RouteSpec(PAGE, methods=("get", "post")),
    "resources:items": RouteSpec(PAGE, methods=("get", "post")),
    "resources:rules": RouteSpec(LIST, model=TeamKindRule),
    "resources:rule": RouteSpec(UPDATE, model=TeamKindRule, methods=("get", "post"), get_needs="change"),
    "resources:nearest": RouteSpec(PAGE),
    "api-resources-nearest": RouteSpec(PAGE),
    **{f"resources:team-{name}": RouteSpec(ACTION, model=Team, methods=("post",),
                                           perm=TEAM_ACTIONS.workflow.steps[name].permissions[0])
       for name in TEAM_ACTIONS.actions},
    **{f"resources:warehouse-{name}": RouteSpec(ACTION, model=Warehouse, methods=("post",),
                                                perm=WAREHOUSE_ACTIONS.workflow.steps[name].permissions[0])
       for name in WAREHOUSE_ACTIONS.actions},
})

HOW_TO_REGISTER = (
    "Register it in tests/scope_registry.py: add its URL name to ROUTES with its kind (LIST, PAGE, DETAIL, "
    "UPDATE or ACTION), its model and the HTTP methods it accepts; and add the model to MODELS with a "
    "ScopeCase (objects inside and outside each role's scope) or as UNSCOPED if it is public reference data."
)


class UnmappedRoute(Exception):
    """A route the scope test cannot test; ``problem`` says which and why, ``str()`` adds what to do."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(f"{problem}. {HOW_TO_REGISTER}")


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str | None = None, groups=()):
    """Every URL pattern of the project as (full path, namespaced name, pattern, kwarg names)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        entry_groups = (*groups, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry, prefix + str(entry.pattern), child_ns, entry_groups)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry, tuple(g for g in entry_groups if g != "format")


def project_routes():
    """The routes the scope test walks (admin, static, i18n and the API schema and docs left out)."""
    for path, name, pattern, kwargs in walk():
        if path.startswith(SKIPPED_PREFIXES):
            continue
        if "format" in pattern.pattern.regex.groupindex:
            continue  # a format-suffix twin of a route walked anyway
        yield path, name, pattern, kwargs


def _viewset_spec(callback) -> RouteSpec | None:
    cls = getattr(callback, "cls", None)
    actions = getattr(callback, "actions", None)
    if cls is None or not actions:
        return None
    queryset = getattr(cls, "queryset", None)
    model = queryset.model if queryset is not None else None
    detail = getattr(callback, "initkwargs", {}).get("detail")
    names = set(actions.values())
    methods = tuple(sorted(actions))
    lookup = getattr(cls, "lookup_field", "pk")
    if "list" in names:
        return RouteSpec(LIST, model=model, methods=methods, lookup=lookup)
    if "retrieve" in names:
        kind = UPDATE if names & {"update", "partial_update", "destroy"} else DETAIL
        return RouteSpec(kind, model=model, methods=methods, lookup=lookup)
    if detail:
        return RouteSpec(ACTION, model=model, methods=methods, lookup=lookup)
    return None


def _class_view_spec(callback) -> RouteSpec | None:
    view_class = getattr(callback, "view_class", None)
    model = getattr(view_class, "model", None)
    if view_class is None or model is None:
        return None
    if issubclass(view_class, ListView):
        return RouteSpec(LIST, model=model)
    if issubclass(view_class, UpdateView):
        return RouteSpec(UPDATE, model=model, methods=("get", "post"), get_needs="change")
    if issubclass(view_class, DetailView):
        return RouteSpec(DETAIL, model=model)
    return None


def classify(path: str, name: str, pattern: URLPattern, kwargs: tuple[str, ...]) -> RouteSpec:
    """The route's spec, from the registry first, then from its view. Raises :class:`UnmappedRoute`."""
    spec = ROUTES.get(name) or _viewset_spec(pattern.callback) or _class_view_spec(pattern.callback)
    if spec is None:
        raise UnmappedRoute(f"route {path!r} (name {name!r}) cannot be classified")
    if kwargs and spec.kind in (LIST, PAGE):
        raise UnmappedRoute(f"route {path!r} (name {name!r}) takes {kwargs} but is registered as {spec.kind}")
    if (kwargs or spec.kind == LIST) and spec.model is None:
        raise UnmappedRoute(f"route {path!r} (name {name!r}) names no model")
    if spec.model is not None and spec.model not in MODELS:
        raise UnmappedRoute(f"route {path!r} (name {name!r}) reaches model {spec.model.__name__}, which is "
                            f"not in MODELS")
    if len(kwargs) > 1 and spec.url_kwargs is None:
        raise UnmappedRoute(f"route {path!r} (name {name!r}) takes several ids {kwargs}; give its RouteSpec in "
                            f"ROUTES a url_kwargs function")
    return replace(spec, name=name, path=path, kwargs=kwargs)


def url_kwargs(spec: RouteSpec, obj) -> dict:
    """The URL kwargs that reach ``obj`` through this route."""
    if spec.url_kwargs is not None:
        return spec.url_kwargs(obj)
    return {spec.kwargs[0]: getattr(obj, spec.lookup)}


def missing_kwargs(spec: RouteSpec) -> dict:
    """URL kwargs of an object that does not exist (digits, so that int converters accept them)."""
    return dict.fromkeys(spec.kwargs, "2147480000")


def classified_routes() -> tuple[list[RouteSpec], list[str]]:
    """(specs of every walked route, one line per route that could not be classified)."""
    specs, problems = [], []
    for path, name, pattern, kwargs in project_routes():
        try:
            specs.append(classify(path, name, pattern, kwargs))
        except UnmappedRoute as exc:
            problems.append(exc.problem)
    return specs, problems


def unmapped_report(problems: list[str]) -> str:
    return "\n".join(problems) + "\n" + HOW_TO_REGISTER


def response_text(response) -> str:
    """What a person would read in a response: the HTML or JSON text, or every cell of an xlsx."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in workbook.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def outside_marks(specs: list[RouteSpec], objects: dict[type, Objects]) -> dict[str, str]:
    """What betrays an outside object, mapped to a description for the failure message: its label, and the URL
    of every route that reaches it (a link to it, an API field naming it, with its id)."""
    marks = {}
    for model, objs in objects.items():
        label = MODELS[model].label
        object_specs = [spec for spec in specs if spec.model is model and spec.kwargs]
        for obj in objs.outside:
            marks[label(obj)] = repr(label(obj))
            for spec in object_specs:
                marks[reverse(spec.name, kwargs=url_kwargs(spec, obj))] = f"{label(obj)!r} (a link to it)"
    return marks


def row_counts() -> dict[str, int]:
    """The number of rows of every model of the project's apps (a write that was refused added or removed
    none), counted in one query: the walk counts before and after every list and page it writes to."""
    models = [model for model in apps.get_models() if model.__module__.startswith("shouye.")]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def changed_rows(before: dict[str, int], after: dict[str, int], allowed=()) -> dict[str, tuple[int, int]]:
    """(count before, count after) of each model whose count changed, but those in ``allowed``."""
    return {label: (count, after[label]) for label, count in before.items()
            if after[label] != count and label not in allowed}


# --- writes that name rows: each is tried with a row outside the role's reach ----------------------------


@dataclass(frozen=True)
class ForeignKey:
    """A field of a write's body that names a row. ``choices(cast, role, target)`` tells the rows the role may
    name there (inside) from those it may not (outside); by default those of the model's ScopeCase. ``value``
    is how the body gives a row: its pk, or a code or a user name."""

    model: type
    choices: Callable[[dict, str, Any], Objects] | None = None
    value: Callable[[Any], Any] = attrgetter("pk")

    def objects(self, cast: dict, role: str, target) -> Objects:
        if self.choices is not None:
            return self.choices(cast, role, target)
        return MODELS[self.model].objects(cast, role)


@dataclass(frozen=True)
class WriteCase:
    """A write whose body names rows of scoped models. ``fields`` are those fields; ``body(cast, role, values,
    target)`` is a body the role may send, with ``values`` the field values (``value(row)`` of each field's
    row); ``perm`` the permission the write needs. An object route writes to ``target(cast, role)``, an object
    inside the role's scope (made afresh when the write uses it up, as the triage of a tip-off does), or to
    nothing when the role has none; ``method`` is the HTTP method; ``api`` sends JSON, a page a form."""

    fields: dict[str, ForeignKey]
    body: Callable[..., dict]
    perm: str
    method: str = "post"
    target: Callable[[dict, str], Any] | None = None
    api: bool = False
    #: how an API body is sent: JSON, or multipart when it carries a file (a plan's image)
    format: str = "json"


def _an_hour_ago():
    """A time in the past: an inspection cannot be recorded ahead of the clock."""
    return timezone.localtime() - timedelta(hours=1)


def _active_checklist() -> Checklist:
    return Checklist.objects.filter(is_active=True).order_by("pk").first()


def _inspection_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """An expert records an expert inspection it takes part in; an officer a routine one it carries out."""
    user = cast["users"][role]
    expert = role == "expert"
    person = user.username if api else user.pk
    checklist = _active_checklist()
    inspected_at = _an_hour_ago()
    return {"enterprise": values["enterprise"], "kind": "expert" if expert else "routine",
            "checklist": checklist.code if api else checklist.pk,
            "inspected_at": inspected_at.isoformat() if api else inspected_at.strftime("%Y-%m-%dT%H:%M"),
            "experts" if expert else "inspectors": [person], "subject": "scope-write-inspection"}


def _hazard_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """The source the role reports from (16号令 Art. 10): an officer's inspection, an enterprise's
    self-inspection, an expert's inspection."""
    own = {"enterprise_user": "self_inspection", "expert": "expert_inspection"}
    return {"enterprise": values["enterprise"], "description": "scope-write-hazard", "level": "ordinary",
            "category": "things", "source": own.get(role, "inspection")}


def _fresh_tip_off(cast: dict, role: str):
    """A new tip-off about the role's first inside enterprise (a tip-off is triaged once)."""
    inside = _enterprise_objects(cast, role).inside
    if not inside:
        return None
    return TipOff.objects.create(enterprise_name="scope-write-tip-off", township=inside[0].township,
                                 enterprise=inside[0], description="scope-write-tip-off")


def _triage_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """Accepting: the enterprise and the officer's own description of the hazard (issue 9)."""
    return {"accept": True if api else "1", "enterprise": values["enterprise"], "level": "ordinary",
            "description": "scope-write-triaged-hazard"}


def _send_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """Sending to the township of the enterprise named (the page's fields are prefixed with the action)."""
    enterprise = Enterprise.objects.filter(pk=values["enterprise"]).first()
    body = {"township": enterprise.township.code if enterprise else "370113107", "enterprise": values["enterprise"],
            "address": "scope-write-address", "check_request": "scope-write-check-request"}
    return body if api else {f"send-{key}": value for key, value in body.items()}


def _fresh_tip_off_to_check(cast: dict, role: str):
    """A new tip-off sent to the township of the role's first inside enterprise (it is checked once)."""
    inside = _enterprise_objects(cast, role).inside
    if not inside:
        return None
    return TipOff.objects.create(enterprise_name="scope-write-tip-off-check", township=inside[0].township,
                                 description="scope-write-tip-off-check", state="checking", sent_at=timezone.now(),
                                 check_request="scope-write-tip-off-check")


def _check_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A hazard found on site, of the enterprise named, in the officer's words."""
    return {"found": "1", "enterprise": values["enterprise"], "level": "ordinary",
            "description": "scope-write-checked-hazard"}


def _first_inside_plan(cast: dict, role: str):
    inside = _plan_objects(cast, role).inside
    return inside[0] if inside else None


def _other_township_officer(cast: dict):
    """A township officer of 孝里街道, beside the cast's one of 马山镇."""
    if "xiaoli_officer" not in cast:
        cast["xiaoli_officer"] = UserFactory(username="xiaoli_township_officer")
        member(cast["xiaoli_officer"], "township_officer", region=cast["building"].township)
    return cast["xiaoli_officer"]


def _plan_officers(cast: dict, role: str, plan) -> Objects:
    """A plan is carried out by a township officer of the plan's own township, whoever assigns it."""
    mashan, xiaoli = cast["users"]["township_officer"], _other_township_officer(cast)
    if plan.township_id == cast["inside"].township_id:
        return Objects(inside=[mashan], outside=[xiaoli])
    return Objects(inside=[xiaoli], outside=[mashan])


def _plan_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"inspections_due": 3, "officer": values["officer"], **({} if api else {"squad": ""})}


def _own_first(rows: list, own) -> list:
    """``rows`` with ``own`` (the edited enterprise's township or industry) first, so that the body with
    inside rows leaves the enterprise where it is."""
    return sorted(rows, key=lambda row: row != own)


def _placement(attr: str, limited_role: str, own: str, other: str):
    """The ``attr`` (township or industry) the role may give an enterprise: ``limited_role`` only that of the
    cast's enterprise ``own`` (a township officer its township, a department officer the industry it
    supervises); the bureau and the other officer any. An enterprise user and an expert may not move their
    enterprise at all (the form keeps the field as it was), so nothing is outside for them to try."""
    def choices(cast: dict, role: str, target) -> Objects:
        mine, theirs = getattr(cast[own], attr), getattr(cast[other], attr)
        if role == limited_role:
            return Objects(inside=[mine], outside=[theirs])
        if role == "nobody":
            return Objects(inside=[], outside=[mine, theirs])
        return Objects(inside=_own_first([mine, theirs], getattr(target, attr, None)), outside=[])
    return choices


_townships = _placement("township", "township_officer", own="inside", other="building")
_industries = _placement("industry", "department_officer", own="building", other="inside")


def _enterprise_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A new enterprise (or ``target`` as it is) with one principal, in the township and industry given."""
    grade = SupervisionGrade.objects.get(code="B")
    fields = {"name": target.name if target else "scope-write-enterprise",
              "credit_code": target.credit_code if target else credit_code(9_600_000 + api),
              "legal_representative": "赵六", "address": "scope-write-address", "longitude": "116.561000",
              "latitude": "36.516000", "township": values["township"], "industry": values["industry"],
              "scale": "small", "employees": 10, "status": "operating",
              "supervision_grade": grade.code if api else grade.pk}
    person = {"role": "principal", "name": "钱七", "phone": "13812345678"}
    if api:
        return {**fields, "people": [person]}
    return {**fields, **{f"people-0-{key}": value for key, value in person.items()},
            "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0",
            "licences-TOTAL_FORMS": "0", "licences-INITIAL_FORMS": "0"}


def _installation_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"enterprise": values["enterprise"], "name": "scope-write-installation", "kind": "tank_farm"}


def _permit_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A grade-2 hot work an hour from now (the rules may raise it at night or on a rest day)."""
    start = timezone.localtime() + timedelta(hours=1)
    times = {"planned_start": start.strftime("%Y-%m-%dT%H:%M"),
             "planned_end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    common = {"enterprise": values["enterprise"], "kind": "hot_work", "applicant_unit": "scope-write",
              "work_unit": "scope-write", "content": "scope-write-permit", "location": "scope", **times}
    if api:
        return {**common, "details": {"method": "电焊"}, "people": [{"role": "watchperson", "name": "监护人"}]}
    return {**common, "details-method": "电焊", "watchperson": "监护人"}


def _incident_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """An accident at the enterprise named, ten minutes ago."""
    occurred = (timezone.localtime() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    return {"enterprise": values["enterprise"], "title": "scope-write-incident", "kind": "accident",
            "accident_kind": "other", "occurred_at": occurred, "place": "scope", "source": "duty_phone"}


def _first_inside_enterprise(cast: dict, role: str):
    inside = _enterprise_objects(cast, role).inside
    return inside[0] if inside else None


def _gateway_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"enterprise": values["enterprise"], "code": f"scope-write-gw-{next(_WRITE_SERIAL)}",
            "name": "scope-write-gateway"}


def _monitoring_point_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    body = {"gateway": values["gateway"], "code": f"SW-{next(_WRITE_SERIAL)}", "name": "scope-write-point",
            "kind": "pressure", "unit": "MPa", "range_min": 0, "range_max": 2.5, "high": 1.6}
    if api:
        return body
    return {**body, "expected_interval_seconds": 10, "dead_band": 0, "delay_seconds": 0, "offline_after_intervals": 3,
            "stuck_after_readings": 0}


def _page_and_api(page: str, api: str, body, perm: str, fields: dict[str, ForeignKey],
                  api_fields: dict[str, ForeignKey] | None = None, target=None,
                  api_method: str = "post") -> dict[str, WriteCase]:
    """The page route (a form) and the API route (JSON) of one write, from one description of its body."""
    return {page: WriteCase(fields, partial(body, api=False), perm, target=target),
            api: WriteCase(api_fields or fields, partial(body, api=True), perm, method=api_method, target=target,
                           api=True)}


def _plan_upload_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A plan image for the enterprise named (multipart on the page and the API)."""
    return {"enterprise": values["enterprise"], "title": "scope-write-plan", "page": 1,
            "file": SimpleUploadedFile("scope-plan.png", _png(), content_type="image/png")}


def _zone_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A zone drawn on the plan named, with the risk points named placed in it."""
    return {"plan": values["plan"], "name": "scope-write-zone", "polygon": [[1, 1], [50, 1], [50, 30]],
            "risk_points": values["risk_points"]}


def _first_inside_zone(cast: dict, role: str):
    inside = _plan_zone_objects(cast, role).inside
    return inside[0] if inside else None


def _zone_points_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """The risk points placed in the zone (the page's fields are prefixed with the zone)."""
    return {"risk_points": values["risk_points"]} if api else {f"zone-{target.pk}-risk_points": values["risk_points"]}


_RISK_POINTS = {"risk_points": ForeignKey(RiskPoint, value=lambda point: [point.pk])}


_ENTERPRISE = {"enterprise": ForeignKey(Enterprise)}


def _enterprise_accounts(cast: dict, role: str, target) -> Objects:
    """A risk point's responsible account is one of its enterprise's own users (the cast's enterprise user of
    ``inside``), never an officer's."""
    own = cast["users"]["enterprise_user"]
    return Objects(inside=[own], outside=[cast["users"]["township_officer"]])


_ACCOUNT = {"responsible_user": ForeignKey(User, _enterprise_accounts)}


def _first_inside_point(cast: dict, role: str):
    inside = _risk_point_objects(cast, role).inside
    return inside[0] if inside else None


def _risk_point_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A new risk point of the role's first inside enterprise (the page's is in its URL, ``target``)."""
    body = {"code": f"SW-{'api' if api else 'page'}-{RiskPoint.objects.count()}", "name": "scope-write-point",
            "kind": "facility", "department": "生产部", "responsible_person": "张三",
            "responsible_user": values["responsible_user"]}
    if not api:
        return body
    enterprise = _first_inside_enterprise(cast, role)
    return {**body, "enterprise": enterprise.pk if enterprise else cast["inside"].pk}
_PLACE = {"township": ForeignKey(Region, _townships), "industry": ForeignKey(Industry, _industries)}
_PLACE_BY_CODE = {"township": ForeignKey(Region, _townships, attrgetter("code")),
                  "industry": ForeignKey(Industry, _industries, attrgetter("code"))}

#: Each write adds a new work area or person: names and ID numbers unique per body.
_WRITE_SERIAL = iter(range(1, 1_000_000))


def _work_area_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {**values, "name": f"scope-write-area-{next(_WRITE_SERIAL)}", "assessed_on": timezone.localdate().isoformat(), "high_risk": False,
            "assessment_reason": "scope-write-area", "people_present": 1}


def _worker_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    from shouye.core.identifiers import id_number

    body = {**values, "name": "scope-write-worker", "post": "操作工", "id_number": id_number(next(_WRITE_SERIAL))}
    if not api:
        body.update({"certificates-TOTAL_FORMS": 0, "certificates-INITIAL_FORMS": 0})
    return body
def _task_points(cast: dict, role: str, target) -> Objects:
    return _task_point_objects(cast, role)


def _task_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A daily task from now over every measure of the point named, at a post."""
    now = timezone.localtime()
    return {"all_measures": True if api else "on", "cycle": 1, "cycle_unit": "day", "work_day_type": "0",
            "investigation_type": "routine", "post": "scope-write-post",
            "starts_at": now.isoformat() if api else now.strftime("%Y-%m-%dT%H:%M"),
            ("risk_point" if api else "point"): values["risk_point" if api else "point"]}


def _whole_list_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    from shouye.risks.models import TaskFrequencyDefault
    default = TaskFrequencyDefault.objects.get(key="unit-monthly")
    now = timezone.localtime()
    return {"enterprise": values["enterprise"], "default": default.key if api else default.pk,
            "work_day_type": "0", "post": "scope-write-post",
            "starts_at": now.isoformat() if api else now.strftime("%Y-%m-%dT%H:%M")}


#: Every route that names rows of scoped models in a write, by URL name.
def _camera_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    vendor = AlarmVendor.objects.get_or_create(code="scope-vendor", defaults={
        "name": "scope-vendor", "key_id": "scope-vendor-key", "secret": "scope-vendor-secret"})[0]
    return {**values, "vendor": vendor.code if api else vendor.pk,
            "vendor_device_id": f"scope-cam-{next(_WRITE_SERIAL)}", "name": "scope-write-camera", "zone": "fuelling"}


def _duty_units(cast: dict, role: str, target) -> Objects:
    """The enterprises whose roster the role may draw up (its own enterprise's user only) and the rest."""
    everyone = [cast[name] for name in ("inside", "building", "outside")]
    inside = [cast["inside"]] if role == "enterprise_user" else []
    return Objects(inside=inside, outside=[e for e in everyone if e not in inside])


def _duty_roster_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"unit": values["unit"], "year": 2093, "month": 2 if api else 1, "duty_phone": "scope-write-roster"}


def _emergency_plan_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"enterprise": values["enterprise"], "kind": "comprehensive", "title": "scope-write-plan",
            "audience": "workforce"}


def _drill_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    """A drill of the unit named, of its plans in force (none for a unit outside: refused by the unit)."""
    _emergency_plan_objects(cast, "bureau_staff")
    plans = list(EmergencyPlan.objects.filter(unit_id=values["unit"], state="published").values_list("pk", flat=True))
    return {"unit": values["unit"], "title": "scope-write-drill", "kind": "tabletop",
            "planned_on": timezone.localdate().isoformat(), "plans": plans}


WRITES: dict[str, WriteCase] = {
    **_page_and_api("duty:roster-create", "duty-roster-list", _duty_roster_body, "duty.manage_roster",
                    {"unit": ForeignKey(Enterprise, _duty_units, lambda e: f"enterprise:{e.pk}")}),
    **_page_and_api("plans:create", "emergency-plan-list", _emergency_plan_body, "plans.manage_enterprise_plans",
                    _ENTERPRISE),
    **_page_and_api("plans:drill-create", "drill-list", _drill_body, "plans.manage_enterprise_plans",
                    {"unit": ForeignKey(PlanUnit)}),
    **_page_and_api("monitoring:gateway-create", "gateway-list", _gateway_body, "monitoring.configure_monitoring",
                    _ENTERPRISE),
    **_page_and_api("monitoring:point-create", "monitoring-point-list", _monitoring_point_body,
                    "monitoring.configure_monitoring", {"gateway": ForeignKey(Gateway)}),
    # A camera names its enterprise (and may name an installation, a scoped field the service also checks is
    # the enterprise's: tests/monitoring/test_cameras.py).
    **_page_and_api("monitoring:camera-create", "camera-list", _camera_body, "monitoring.configure_monitoring",
                    _ENTERPRISE),
    **_page_and_api("workareas:create", "workarea-list", _work_area_body, "workareas.add_workarea", _ENTERPRISE),
    **_page_and_api("workareas:worker-create", "worker-list", _worker_body, "workareas.add_worker", _ENTERPRISE),
    **_page_and_api("inspections:create", "inspection-list", _inspection_body, "inspections.add_inspection",
                    _ENTERPRISE),
    **_page_and_api("hazards:report", "hazard-list", _hazard_body, "hazards.report_hazard", _ENTERPRISE),
    **_page_and_api("hazards:tip-off", "tipoff-triage", _triage_body, "hazards.triage_tipoff", _ENTERPRISE,
                    target=_fresh_tip_off),
    **_page_and_api("hazards:tip-off-send", "tipoff-send", _send_body, "hazards.triage_tipoff", _ENTERPRISE,
                    target=_fresh_tip_off),
    "hazards:tip-off-check": WriteCase(_ENTERPRISE, partial(_check_body, api=False), "hazards.check_tipoff",
                                       target=_fresh_tip_off_to_check),
    **_page_and_api("inspections:plan-update", "inspection-plan-detail", _plan_body,
                    "inspections.change_inspectionplan", {"officer": ForeignKey(User, _plan_officers)},
                    {"officer": ForeignKey(User, _plan_officers, attrgetter("username"))},
                    target=_first_inside_plan, api_method="patch"),
    **_page_and_api("risks:task-create", "investigation-task-list", _task_body, "risks.manage_investigation_task",
                    {"point": ForeignKey(RiskPoint, _task_points)}, {"risk_point": ForeignKey(RiskPoint, _task_points)}),
    **_page_and_api("risks:task-whole-list", "investigation-task-generate-for-list", _whole_list_body,
                    "risks.manage_investigation_task", _ENTERPRISE),
    **_page_and_api("major_hazards:create", "major-hazard-installation-list", _installation_body,
                    "major_hazards.manage_installation", _ENTERPRISE),
    **_page_and_api("permits:create", "permit-list", _permit_body, "permits.issue_permit", _ENTERPRISE),
    **_page_and_api("incidents:create", "incident-list", _incident_body, "incidents.record_incident", _ENTERPRISE),
    **_page_and_api("enterprises:create", "enterprise-list", _enterprise_body, "enterprises.add_enterprise",
                    _PLACE, _PLACE_BY_CODE),
    "risks:plan-upload": WriteCase(_ENTERPRISE, partial(_plan_upload_body, api=False), "risks.manage_risk_list"),
    "floor-plan-list": WriteCase(_ENTERPRISE, partial(_plan_upload_body, api=True), "risks.manage_risk_list",
                                 api=True, format="multipart"),
    "plan-zone-list": WriteCase({"plan": ForeignKey(FloorPlan), **_RISK_POINTS}, partial(_zone_body, api=True),
                                "risks.manage_risk_list", api=True),
    **_page_and_api("risks:zone-points", "plan-zone-detail", _zone_points_body, "risks.manage_risk_list",
                    _RISK_POINTS, target=_first_inside_zone, api_method="patch"),
    "risks:point-create": WriteCase(_ACCOUNT, partial(_risk_point_body, api=False), "risks.manage_risk_list",
                                    target=_first_inside_enterprise),
    "riskpoint-list": WriteCase(_ACCOUNT, partial(_risk_point_body, api=True), "risks.manage_risk_list", api=True),
    "risks:point-edit": WriteCase(_ACCOUNT, partial(_risk_point_body, api=False), "risks.manage_risk_list",
                                  target=_first_inside_point),
    "riskpoint-detail": WriteCase(_ACCOUNT, lambda cast, role, values, target: {
        "responsible_user": values["responsible_user"]}, "risks.manage_risk_list", method="patch",
        target=_first_inside_point, api=True),
    "risk-score-list": WriteCase(_ENTERPRISE, lambda cast, role, values, target: {
        "enterprise": values["enterprise"], "score": "80", "assessed_on": timezone.localdate().isoformat()},
        "risks.record_enterprise_risk_score", api=True),
    **_page_and_api("enterprises:update", "enterprise-detail", _enterprise_body,
                    "enterprises.classify_enterprise", _PLACE, _PLACE_BY_CODE, target=_first_inside_enterprise,
                    api_method="patch"),
}

def _team_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {**values, "name": "scope-write-team", "kind": "enterprise", "duty_phone": "13800000000",
            "latitude": "36.5", "longitude": "116.7"}


def _warehouse_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {**values, "name": "scope-write-warehouse", "latitude": "36.5", "longitude": "116.7"}


def _first_inside_team(cast: dict, role: str):
    inside = _team_objects(cast, role).inside
    return inside[0] if inside else None


def _first_inside_warehouse(cast: dict, role: str):
    inside = _warehouse_objects(cast, role).inside
    return inside[0] if inside else None


def _agreement_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    today = timezone.localdate()
    return {"enterprise": values["enterprise"], "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=365)).isoformat(), "scope": "scope-write-agreement"}


def _other_warehouses(cast: dict, role: str, target) -> Objects:
    """Another warehouse the role sees (a transfer to the warehouse itself is refused for what it is)."""
    objects = _warehouse_objects(cast, role)
    return Objects(inside=[w for w in objects.inside if w != target], outside=objects.outside)


def _transfer_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    item = Item.objects.get(name="scope-item")
    return {"to_warehouse": values["to_warehouse"], "item": item.pk, "quantity": "1", "note": "scope"}


WRITES.update({
    **_page_and_api("resources:team-create", "rescue-team-list", _team_body, "resources.manage_team", _ENTERPRISE),
    **_page_and_api("resources:warehouse-create", "warehouse-list", _warehouse_body, "resources.manage_warehouse",
                    _ENTERPRISE),
    "rescue-team-add-agreement": WriteCase(_ENTERPRISE, partial(_agreement_body, api=True), "resources.manage_team",
                                           target=_first_inside_team, api=True),
    "warehouse-transfer": WriteCase({"to_warehouse": ForeignKey(Warehouse, _other_warehouses)},
                                    partial(_transfer_body, api=True), "resources.manage_warehouse",
                                    target=_first_inside_warehouse, api=True),
})


#: Routes that take a write whose body names no row of a scoped model: registering one here is a statement.
WITHOUT_FOREIGN_KEYS = frozenset({
    # The gateway or point in the URL; an installation of another enterprise is refused by the service
    # (tests/monitoring/test_gateways.py) and the field is scoped. The rule tables are the district's, no one's scope.
    "monitoring:gateway-update", "gateway-detail", "monitoring:gateway-deactivate", "gateway-deactivate",
    "monitoring:point-update", "monitoring-point-detail", "monitoring:point-deactivate", "monitoring-point-deactivate",
    "monitoring:rules", "monitoring:triggers", "monitoring:scenarios", "alarm-rule-table", "alarm-trigger-table",
    "scenario-table",
    # The video vendors name only scenarios (reference data); a camera's edit keeps its enterprise, and the
    # installation it may name is a scoped field the service checks is the camera's enterprise's.
    "alarm-vendor-list", "alarm-vendor-detail", "alarm-vendor-rotate-secret", "alarm-vendor-map-code", "camera-detail",
    "monitoring:vendor-create", "monitoring:vendor", "monitoring:vendor-update", "monitoring:vendor-map-code",
    "monitoring:vendor-rotate-secret", "monitoring:camera-update", "monitoring:camera-deactivate",
    # The points' import names gateways by code, looked up among the importer's own (tests/monitoring/
    # test_points_import.py).
    "monitoring:import",
    # The work areas, the zone and the person in the URL; a zone or area of another enterprise is refused by the
    # service (tests/workareas/test_services.py), and their fields are scoped (an out-of-scope id does not exist).
    "workareas:update", "workarea-detail", "workareas:worker-update", "worker-detail", "workareas:worker-remove",
    # The import's rows name work areas by name, looked up among the importer's enterprise's own.
    "workareas:import",
    # The risk list's import names no row: its risk points are created in the importer's own enterprise.
    "risks:tables", "risks:publish", "risks:regrade", "risks:enterprise-tables", "risks:import",
    "risks:enterprise-tables-reset", "enterprise-risk-settings-detail", "risk-settings-district",
    "risks:special-plan", "risks:source-create", "risks:point-retire", "risks:point-forced-major", "risks:source-edit",
    "risks:assess", "risks:assess-preview", "risks:measure-create", "risks:measure-edit",
    "riskpoint-retire", "riskpoint-hazard-sources", "riskpoint-special-plan", "hazardsource-assess",
    "hazardsource-measures", "riskregister-publish",
    # Deleting the hazard source or measure in the URL (a confirmation page, then a POST or DELETE without body).
    "risks:source-delete", "risks:measure-delete", "hazardsource-detail", "controlmeasure-detail",
    "accounts:logout", "api-token", "notifications:mark-all-read", "notification-read", "notification-read-all",
    "workcalendar:add", "workcalendar:import",
    # Townships and industries by id or code: public reference data, no one's scope.
    "workcalendar:period-add", "workcalendar:period-edit", "workcalendar:period-cancel",
    "special-period-list", "special-period-detail", "special-period-cancel",
    *(f"calculators:{name}" for name in ("major-hazard", "lec", "risk-matrix", "hot-work", "accident")),
    *(f"calculator-{name}" for name in CALCULATOR_RULES),
    # The import names townships and industries in its rows, checked per row (tests/enterprises/test_import.py).
    "enterprises:import",
    # The public tip-off names a township by code: public reference data, and no one's scope.
    "tip-off:form", "tipoff-list",
    # A receipt code, looked up among all tip-offs and rate-limited per address; the answer names no row.
    "tip-off:status",
    # A year; the plans are made for the caller's scope.
    "inspections:plan-generate", "inspection-plan-generate",
    # Items, hazards drafts and documents of the inspection in the URL, looked up among its own (the document a
    # delivery receipt serves too).
    "inspections:record", "inspections:finish", "inspections:documents", "inspections:document-preview",
    "inspection-record", "inspection-photos", "inspection-finish", "inspection-documents",
    "inspection-record-item", "inspection-remaining-compliant",
    # Transitions of the hazard in the URL; an extension is chosen among that hazard's own.
    *(f"hazards:{action}" for action in HAZARD_ACTIONS), *(f"hazard-{action}" for action in HAZARD_ACTIONS),
    # A score, a date, a name and the direct-red conditions of the enterprise in the URL.
    "risks:enterprise-score",
    # The task or instance in the URL; an instance's results name its own measures, looked up among them.
    "risks:task-stop", "investigation-task-stop", "risks:instance", "task-instance-complete",
    # Acts on the installation in the URL; a substance to remove is chosen among its own, a duty item is
    # reference data.
    *(f"major_hazards:{name}" for name in MHI_ACTIONS.actions),
    *(f"major-hazard-installation-{name}" for name in MHI_ACTIONS.actions),
    # A duty item's text, frequency and flags.
    "major_hazards:duty-item",
    # Acts on the permit in the URL: names, times, measures by their number on its own form.
    "permits:edit", *(f"permits:{name}" for name in PERMIT_ACTIONS.actions if name != "edit"),
    *(f"permit-{name}" for name in PERMIT_ACTIONS.actions if name != "gas-test"), "permit-gas-test",
    "permit-signatures",
    # Duty: the roster, swap, entry or handover in the URL; a roster's assignments are chosen among its own; a
    # person by account only on the bureau's roster (whose keepers see every account), by name elsewhere. The
    # log, swaps and handovers are the bureau's duty room's (no one's scope); the setup is the district's.
    *(f"duty:{name}" for name in DUTY_ROSTER_ACTIONS.actions),
    *(f"duty-roster-{name}" for name in DUTY_ROSTER_ACTIONS.actions),
    *(f"duty:{name}" for name in DUTY_SWAP_ACTIONS.actions), *(f"duty-swap-{name}" for name in DUTY_SWAP_ACTIONS.actions),
    "duty:close", "duty-log-entry-close", "duty:acknowledge", "duty-handover-acknowledge",
    "duty:entry-create", "duty-log-entry-list", "duty:handover-create", "duty-handover-list", "duty:setup",
    # Acts on the incident in the URL: figures, texts, times and clock kinds of its own (issue 14).
    *(f"incidents:{name}" for name in INCIDENT_ACTIONS.actions),
    *(f"incident-{name}" for name in INCIDENT_ACTIONS.actions),
    # Acts on the plan, the drill or the unit in the URL; a drill's problem names one of its own plans.
    *(f"plans:{name}" for name in EMERGENCY_PLAN_ACTIONS.actions),
    *(f"emergency-plan-{name}" for name in EMERGENCY_PLAN_ACTIONS.actions),
    *(f"plans:drill-{name}" for name in DRILL_ACTIONS.actions), *(f"drill-{name}" for name in DRILL_ACTIONS.actions),
    *(f"plans:{name}" for name in PLAN_UNIT_ACTIONS.actions),
    *(f"plan-unit-{name}" for name in PLAN_UNIT_ACTIONS.actions),
    # An alarm's acts name only the alarm in the URL (lifecycle).
    *(f"monitoring:{name}" for name in ALARM_ACTIONS.actions), *(f"alarm-{name}" for name in ALARM_ACTIONS.actions),
    # Warnings (issue 14): the townships a warning covers are regions (reference data); the unit acknowledging
    # and the measure ticked are looked up among the warning's own (refused otherwise, tests/warnings); the
    # seasons, readings, fire-danger scale and measure templates are the district's, no one's scope.
    "warnings:create", "early-warning-list", "warnings:seasons", "warnings:measures", "warning-season-list",
    "fire-danger-reading-list",
    *(f"warnings:{name}" for name in WARNING_ACTIONS.actions),
    *(f"early-warning-{name}" for name in WARNING_ACTIONS.actions),
})

#: Rescue forces and reserves (issue 14): the team or warehouse in the URL; members to remove among the team's own;
#: items from the catalogue (reference data); the catalogue and the team rules are the district's.
WITHOUT_FOREIGN_KEYS = WITHOUT_FOREIGN_KEYS | {
    *(f"resources:team-{name}" for name in TEAM_ACTIONS.actions if name != "add-agreement"),
    *(f"rescue-team-{name}" for name in TEAM_ACTIONS.actions if name != "add-agreement"),
    *(f"resources:warehouse-{name}" for name in WAREHOUSE_ACTIONS.actions if name != "transfer"),
    *(f"warehouse-{name}" for name in WAREHOUSE_ACTIONS.actions if name != "transfer"),
    "resources:items", "material-item-list", "resources:rule",
    # The page forms of the agreement and the transfer name their enterprise or warehouse through scoped fields
    # (an outside row is an invalid choice, 400); their API routes are tried with outside rows above.
    "resources:team-add-agreement", "resources:warehouse-transfer",
}

HOW_TO_DECLARE = (
    "Declare it in tests/scope_registry.py: add a WriteCase to WRITES naming the fields of its body that refer "
    "to rows of scoped models (ForeignKey), a body the role may send and the permission it needs, so that the "
    "scope test tries it with a row outside each role's reach; or, if its body names no such row, add its URL "
    "name to WITHOUT_FOREIGN_KEYS."
)


def undeclared_writes(specs: list[RouteSpec]) -> list[str]:
    """One line per route taking a write that is in neither WRITES nor WITHOUT_FOREIGN_KEYS, and per name in
    them that no route has (renamed or removed)."""
    writers = {spec.name: spec for spec in specs if set(spec.methods) & set(WRITE_METHODS)}
    problems = [f"route {spec.path!r} (name {name!r}) takes {', '.join(spec.methods).upper()} but declares no "
                f"foreign keys" for name, spec in writers.items() if name not in WRITES and
                name not in WITHOUT_FOREIGN_KEYS]
    problems += [f"{name!r} is declared but no route that writes has that name"
                 for name in sorted((set(WRITES) | WITHOUT_FOREIGN_KEYS) - set(writers))]
    return problems


# --- a tip-off's sender (issue 9) ------------------------------------------------------------------------

#: Who sent a tip-off, from which address, what they wrote and what their phone named its photo (also written
#: into the photo's EXIF): read only where tip-offs are triaged (``hazards.view_tipoff``), never on the hazard
#: the tip-off becomes nor anywhere else (ARCHITECTURE.md §10; 个人信息保护法).
SENDER = {"reporter_name": "甄隐名", "reporter_phone": "13700135799"}
SENDER_WORDS = "我住隔壁，亲眼看见夜里偷偷灌装液化气"
SENDER_FILE = "IMG_20260701_zhenyinming"
SENDER_ADDRESS = "203.0.113.99"
SENDER_MARKS = {SENDER["reporter_name"]: "the sender's name", SENDER["reporter_phone"]: "the sender's phone",
                SENDER_WORDS: "the sender's words", SENDER_FILE: "the name of the sender's photo file",
                SENDER_ADDRESS: "the sender's address"}
#: The hazard as the triaging officer describes it.
OFFICER_WORDS = "液化气钢瓶违规充装，充装间无人监护"


def _sender_photo() -> ContentFile:
    """A JPEG whose EXIF carries the sender's phone number and file name, as a phone's camera app may write."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (30, 90, 160))
    exif = image.getexif()
    exif[0x013B] = SENDER["reporter_phone"]  # Artist
    exif[0x010E] = SENDER_FILE  # ImageDescription
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return ContentFile(buffer.getvalue(), name=f"{SENDER_FILE}.jpg")


def triaged_tip_offs(cast: dict) -> dict[type, list]:
    """For the cast's enterprises ``inside`` and ``building``: a tip-off sent by SENDER through the public API
    with a photo, turned into a hazard by the bureau staff in their own words, and rectification ordered (which
    tells the enterprise's users). Run it capturing on-commit callbacks, so the notifications are sent.
    Returns the rows made, by model."""
    from rest_framework.test import APIClient

    staff = APIClient()
    staff.force_authenticate(cast["users"]["bureau_staff"])
    made: dict[type, list] = {TipOff: [], Hazard: [], HazardPhoto: []}
    for key in ("inside", "building"):
        enterprise = cast[key]
        sent = APIClient().post("/api/v1/tip-offs/", {
            "enterprise_name": enterprise.name, "township": enterprise.township.code, "description": SENDER_WORDS,
            "address": enterprise.address, "photo": _sender_photo(), **SENDER,
        }, format="multipart", REMOTE_ADDR=SENDER_ADDRESS)
        assert sent.status_code == 201, sent.content
        tip_off = TipOff.objects.get(receipt_code=sent.json()["receipt_code"].replace("-", ""))
        triaged = staff.post(f"/api/v1/tip-offs/{tip_off.pk}/triage/", {
            "accept": True, "enterprise": enterprise.pk, "description": OFFICER_WORDS}, format="json")
        assert triaged.status_code == 200, triaged.content
        hazard = Hazard.objects.get(pk=triaged.json()["hazard"])
        assigned = staff.post(f"/api/v1/hazards/{hazard.pk}/assign/", {
            "deadline": str(timezone.localdate() + timedelta(days=15)), "responsible_person": "企业安全员",
            "measures": "停止违规充装，设专人监护"}, format="json")
        assert assigned.status_code == 200, assigned.content
        made[TipOff].append(tip_off)
        made[Hazard].append(hazard)
        made[HazardPhoto].extend(hazard.photos.all())
    return made


# --- agreement and capacity reserves, the stock-list import (issue 14) ------------------------------------------


def _reserve_objects(cast: dict, role: str) -> Objects:
    """The agreement and capacity reserves are the bureau's: the district's own (no township), one made for
    马山镇 (the township officer's) and one for the outside enterprise's township. The district-wide roles holding
    ``resources.view_reserve`` read all three, the township officer the district's and 马山镇's; for the roles
    without the verb a reserve is beyond reach (403 whether it exists or not), so the district's counts as
    inside and the other township's as outside."""
    store = cast.setdefault("_reserves", {})
    townships = {"district": None, "own": cast["inside"].township, "other": cast["outside"].township}
    for key, township in townships.items():
        if key not in store:
            store[key] = Reserve.objects.create(
                kind="agreement", township=township, supplier=f"scope-reserve-{key}", contact_name="联系人",
                contact_phone="13800000000", latitude=36.5, longitude=116.7, response_hours=4,
                starts_on=date(2026, 1, 1), ends_on=date(2030, 12, 31))
    user = User.objects.get(pk=cast["users"][role].pk)
    if user.has_perm("resources.view_reserve") and role != "township_officer":
        return Objects(inside=[store["district"], store["own"], store["other"]], outside=[])
    if role == "township_officer":
        return Objects(inside=[store["district"], store["own"]], outside=[store["other"]])
    return Objects(inside=[store["district"]], outside=[store["other"]])


MODELS.update({
    Reserve: ScopeCase(objects=_reserve_objects, label=lambda r: r.supplier, view_perm="resources.view_reserve",
                       change_perm="resources.manage_reserve"),
    StockImportJob: ScopeCase(objects=_import_objects(StockImportJob, "stock-"), label=lambda j: j.original_name,
                              view_perm="resources.manage_warehouse", change_perm="resources.manage_warehouse"),
})

ROUTES.update({
    "resources:reserve-create": RouteSpec(PAGE, methods=("get", "post")),
    "resources:reserve-summary": RouteSpec(PAGE),
    "reserve-summary": RouteSpec(PAGE),
    **{f"resources:reserve-{name}": RouteSpec(ACTION, model=Reserve, methods=("post",),
                                              perm=RESERVE_ACTIONS.workflow.steps[name].permissions[0])
       for name in RESERVE_ACTIONS.actions},
    "resources:import": RouteSpec(PAGE, methods=("get", "post")),
    "resources:import-template": RouteSpec(PAGE),
    "resources:import-job": RouteSpec(DETAIL, model=StockImportJob),
    "resources:import-job-progress": RouteSpec(DETAIL, model=StockImportJob),
    "resources:import-job-progress-json": RouteSpec(DETAIL, model=StockImportJob),
    "resources:import-error-file": RouteSpec(DETAIL, model=StockImportJob),
})

#: A reserve's bodies name items of the catalogue only (reference data), its acts the reserve in the URL; the
#: stock-list import names warehouses by name, looked up among the importer's own (tests/resources/
#: test_imports.py).
WITHOUT_FOREIGN_KEYS = WITHOUT_FOREIGN_KEYS | {
    "resources:reserve-create", "reserve-list", "resources:import",
    *(f"resources:reserve-{name}" for name in RESERVE_ACTIONS.actions),
    *(f"reserve-{name}" for name in RESERVE_ACTIONS.actions),
}

# --- the road network of nearest dispatch (issue 14) -------------------------------------------------------------

from shouye.resources.models import RoadNetwork  # noqa: E402


def _road_network_objects(cast: dict, role: str) -> Objects:
    """The road networks are the district's, kept by the bureau's administrator
    (``resources.manage_road_network``); for every other role a network is beyond reach (403 whether it exists
    or not), so one counts as inside and another as outside. Both inactive, so nearest dispatch elsewhere in
    the walk keeps ranking by straight line."""
    store = cast.setdefault("_road_networks", {})
    for key in ("one", "two"):
        if key not in store:
            store[key] = RoadNetwork.objects.create(
                name=f"scope-road-network-{key}", graph=b"", node_count=2, edge_count=1, length_km=1.0,
                component_count=1, largest_component_share=1.0, active=False, uploaded_at=timezone.now())
    if role == "bureau_admin":
        return Objects(inside=[store["one"], store["two"]], outside=[])
    return Objects(inside=[store["one"]], outside=[store["two"]])


MODELS[RoadNetwork] = ScopeCase(objects=_road_network_objects, label=lambda n: n.name,
                                view_perm="resources.manage_road_network",
                                change_perm="resources.manage_road_network")
ROUTES.update({
    "resources:road-networks": RouteSpec(LIST, model=RoadNetwork, methods=("get", "post")),
    "resources:road-network-deactivate": RouteSpec(ACTION, model=RoadNetwork, methods=("post",),
                                                   perm="resources.manage_road_network"),
})
#: An upload names a file and a name, a deactivation the network in the URL: no scoped row.
WITHOUT_FOREIGN_KEYS = WITHOUT_FOREIGN_KEYS | {
    "resources:road-networks", "road-network-list", "resources:road-network-deactivate"}

# --- the response to an incident (issue 14): position, dispatch, return, plans ----------------------------------

from shouye.incidents.response_actions import RESPONSE as INCIDENT_RESPONSE_ACTIONS  # noqa: E402

ROUTES.update({
    f"incidents:{name}": RouteSpec(ACTION, model=Incident, methods=("post",),
                                   perm=INCIDENT_RESPONSE_ACTIONS.workflow.steps[name].permissions[0])
    for name in INCIDENT_RESPONSE_ACTIONS.actions
})


def _first_inside_incident(cast: dict, role: str):
    inside = _incident_objects(cast, role).inside
    return inside[0] if inside else None


def _incident_enterprise_plans(cast: dict, role: str, target) -> Objects:
    """Plans the role may name: the published plan of the incident's own enterprise (one that applies);
    outside: the plans of enterprises beyond the role's reach."""
    plans = _emergency_plan_objects(cast, role)
    own = [plan for plan in plans.inside if target is not None and plan.unit.enterprise_id == target.enterprise_id]
    return Objects(inside=own, outside=plans.outside)


def _dispatch_team_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"team": values["team"], "note": "scope"}


def _dispatch_items_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"warehouse": values["warehouse"], "item": Item.objects.get(name="scope-item").pk, "quantity": "1"}


def _activate_plan_body(cast: dict, role: str, values: dict, target, *, api: bool) -> dict:
    return {"plan": values["plan"]}


WRITES.update({
    "incident-response-dispatch-team": WriteCase({"team": ForeignKey(Team)}, partial(_dispatch_team_body, api=True),
                                                 "incidents.command_incident", target=_first_inside_incident,
                                                 api=True),
    "incident-response-dispatch-items": WriteCase({"warehouse": ForeignKey(Warehouse)},
                                                  partial(_dispatch_items_body, api=True),
                                                  "incidents.command_incident", target=_first_inside_incident,
                                                  api=True),
    "incident-response-activate-plan": WriteCase({"plan": ForeignKey(EmergencyPlan, _incident_enterprise_plans)},
                                                 partial(_activate_plan_body, api=True),
                                                 "incidents.command_incident", target=_first_inside_incident,
                                                 api=True),
})

#: The incident in the URL: its position is two numbers; the team returned is one of its own dispatches (the
#: field offers no other). The page forms name the team, warehouse and plan through scoped fields (an outside
#: row is an invalid choice, 400); their API routes are tried with outside rows above.
WITHOUT_FOREIGN_KEYS = WITHOUT_FOREIGN_KEYS | {
    "incidents:position", "incidents:return-team", "incident-response-return-team",
    "incidents:dispatch-team", "incidents:dispatch-items", "incidents:activate-plan",
}


def _incident_task_objects(cast: dict, role: str) -> Objects:
    """A task on each cast enterprise's incident, given to the incident's own township (so that the township's
    officers see it as they see the incident), its text the label (issue 14)."""
    incidents = {i.enterprise_id: i for i in _incident_objects(cast, "bureau_staff").inside}

    def make(enterprise, label):
        now = timezone.now()
        return IncidentTask.objects.create(incident=incidents[enterprise.pk], township=enterprise.township,
                                           text=label, due_at=now + timedelta(hours=2), assigned_at=now,
                                           assigned_by=cast["users"]["bureau_staff"])
    return _per_enterprise(cast, role, "_incident_tasks", make)


# Incident tasks and the on-site phone view (issue 14): the incident or task in the URL; the township and the
# department a task is given to are the district's (no one's scope).
MODELS[IncidentTask] = ScopeCase(objects=_incident_task_objects, label=lambda t: t.text,
                                 view_perm="incidents.view_incident", change_perm="incidents.answer_incident_task")
ROUTES.update({
    "incidents:site": RouteSpec(ACTION, model=Incident, perm="incidents.view_incident"),
    **{f"incidents:site-{name}": RouteSpec(ACTION, model=Incident, methods=("post",),
                                           perm=INCIDENT_ACTIONS.workflow.steps[name].permissions[0])
       for name in INCIDENT_SITE_ACTS},
    "incidents:tasks": RouteSpec(LIST, model=IncidentTask),
    "incidents:task": RouteSpec(DETAIL, model=IncidentTask),
    **{f"incidents:task-{name}": RouteSpec(ACTION, model=IncidentTask, methods=("post",),
                                           perm=INCIDENT_TASK_ACTIONS.workflow.steps[name].permissions[0])
       for name in INCIDENT_TASK_ACTIONS.actions},
})
WITHOUT_FOREIGN_KEYS = WITHOUT_FOREIGN_KEYS | {
    *(f"incidents:site-{name}" for name in INCIDENT_SITE_ACTS),
    *(f"incidents:task-{name}" for name in INCIDENT_TASK_ACTIONS.actions),
    *(f"incident-task-{name}" for name in INCIDENT_TASK_ACTIONS.actions),
}
