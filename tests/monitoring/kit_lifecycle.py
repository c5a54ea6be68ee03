"""What the lifecycle tests share: an installation of the cast's ``inside`` enterprise with a responsible person
who has an account, a gateway, a pressure point and a camera, the state an alarm of each kind is left in, and
reading an alarm's row to show that a refused act changed nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone
from PIL import Image

from shouye.audit.models import AuditEvent
from shouye.major_hazards.models import MajorHazardInstallation, ResponsiblePerson
from shouye.monitoring.choices import AlarmState, Condition
from shouye.monitoring.models import Alarm, PointStatus
from tests.factories import UserFactory

from . import kit


@dataclass
class Site:
    installation: MajorHazardInstallation
    responsible: object
    point: object
    camera: object


def site(cast) -> Site:
    enterprise = cast["inside"]
    installation = MajorHazardInstallation.objects.create(
        enterprise=enterprise, township_id=enterprise.township_id, industry_id=enterprise.industry_id,
        name="一号罐区", kind="tank_farm")
    # An account of its own, without a membership: told as the installation's responsible person only.
    responsible = UserFactory(username="tank-farm-principal")
    ResponsiblePerson.objects.create(installation=installation, role="principal", name="王主任", post="厂长",
                                     phone="13800000000", appointed_on=timezone.localdate(), user=responsible)
    gw = kit.gateway(enterprise, installation=installation)
    return Site(installation=installation, responsible=responsible, point=kit.point(gw),
                camera=kit.camera(kit.vendor(), enterprise, installation=installation))


def out_of_limits(point, condition=Condition.HIGH_HIGH, value=2.1) -> None:
    PointStatus.objects.filter(point=point).update(value=value, condition=condition)


def back_to_normal(point) -> None:
    PointStatus.objects.filter(point=point).update(value=1.0, condition=Condition.NORMAL)


def snapshot(alarm: Alarm) -> tuple[dict, int]:
    """The alarm's row and the number of audit events: what a refused act must leave as it was."""
    row = Alarm.objects.get(pk=alarm.pk)
    return model_to_dict(row), AuditEvent.objects.count()


def jpeg(name: str = "现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


#: Every state an alarm can be in, and the acts of its lifecycle.
STATES = [state.value for state in AlarmState]
ACTS = ("acknowledge", "handle", "record", "clear", "close", "report-hazard")
