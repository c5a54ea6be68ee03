"""Fixtures of the major hazard installation tests: an installation of the cast's enterprise ``inside`` with
its inventory and three persons, and a snapshot of everything an act could change."""

from datetime import date, timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.major_hazards import services
from shouye.major_hazards.choices import InstallationKind, PersonRole
from shouye.major_hazards.models import (
    DutyTask,
    InstallationSubstance,
    MajorHazardInstallation,
    ResponsiblePerson,
)
from shouye.risks.models import InvestigationTask, TaskCheck, TaskInstance


@pytest.fixture
def owner(cast):
    return cast["users"]["enterprise_user"]


def make_installation(actor, enterprise, *, substances=({"name": "液氯", "quantity_t": "8"},), population=35,
                      **fields):
    """REGULATIONS.md §1.6 example 3 by default: 液氯 8 t, 35 residents → S = 1.6, R = 7.68, 四级."""
    return services.create_installation(
        actor=actor, enterprise=enterprise, name=fields.pop("name", "液氯储罐区"),
        kind=fields.pop("kind", InstallationKind.TANK_FARM), exposed_population=population,
        substances=list(substances), **fields)


def appoint_all(actor, installation, on: date | None = None, user=None):
    on = on or timezone.localdate() - timedelta(days=30)
    return {role: services.appoint_person(actor=actor, installation=installation, role=role, name=f"{role}人",
                                          post="岗位", phone="13812345678", appointed_on=on, user=user)
            for role in PersonRole.values}


@pytest.fixture
def installation(owner, cast):
    return make_installation(owner, cast["inside"])


def snapshot() -> dict:
    return {
        "installations": [model_to_dict(i) for i in MajorHazardInstallation.objects.order_by("pk")],
        "substances": [model_to_dict(s) for s in InstallationSubstance.objects.order_by("pk")],
        "persons": [model_to_dict(p) for p in ResponsiblePerson.objects.order_by("pk")],
        "duty_tasks": DutyTask.objects.count(),
        "tasks": [model_to_dict(t, exclude=["measures"]) for t in InvestigationTask.objects.order_by("pk")],
        "instances": [model_to_dict(i) for i in TaskInstance.objects.order_by("pk")],
        "checks": TaskCheck.objects.count(),
        "events": AuditEvent.objects.count(),
    }
