"""Fixtures of the hazards tests: hazards in any state, real photos made with Pillow, and a snapshot of
everything an act could change (to prove a refused act changed nothing)."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone
from PIL import Image

from shouye.audit.models import AuditEvent
from shouye.hazards import totals
from shouye.hazards.choices import ExtensionState, HazardLevel, HazardSource, HazardState
from shouye.hazards.models import (
    ExpertVerification,
    Extension,
    GovernancePlan,
    Hazard,
    HazardDailyTotal,
    HazardPhoto,
    ListedSupervision,
    TipOff,
)
from shouye.notifications.models import Notification
from tests.factories import UserFactory

COMPLETE_PLAN = {
    "objectives": "消除储罐区紧急切断缺失隐患", "methods": "加装紧急切断阀并接入SIS",
    "funds_and_materials": "专项资金30万元，阀门4套", "organisation": "设备部，负责人王五",
    "time_limit": "60日内完成，分两阶段", "safety_measures": "施工期间停用储罐，编制专项应急预案",
}


@pytest.fixture(autouse=True)
def _hazard_test_settings(settings):
    """Fast password hashing for the cast; a fresh cache (the tip-off rate limit counts in it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 40, 40), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    options = {}
    if orientation is not None:
        exif = image.getexif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def photo(name: str = "after.jpg", fmt: str = "JPEG", **kwargs) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


def make_hazard(enterprise, *, state=HazardState.REPORTED, level=HazardLevel.ORDINARY, deadline=None,
                found_at=None, source=HazardSource.INSPECTION, **fields) -> Hazard:
    """A hazard put directly into ``state`` (test set-up, not a business act): rectifying and later states
    have a deadline a week ahead unless one is given. Counted in the statistics' daily totals as the services
    count a hazard they write."""
    if deadline is None and state != HazardState.REPORTED:
        deadline = timezone.localdate() + timedelta(days=7)
    hazard = Hazard.objects.create(
        enterprise=enterprise, township_id=enterprise.township_id, industry_id=enterprise.industry_id,
        description=fields.pop("description", "储罐区未设置紧急切断装置"), source=source, level=level, state=state,
        found_at=found_at or timezone.now() - timedelta(days=1), deadline=deadline,
        measures="加装紧急切断" if deadline else "", responsible_person="王五" if deadline else "",
        submitted_at=fields.pop("submitted_at", timezone.now() if state in (HazardState.SUBMITTED, HazardState.CLOSED)
                                else None),
        closed_at=fields.pop("closed_at", timezone.now() if state == HazardState.CLOSED else None), **fields,
    )
    totals.hazard_reported(hazard)
    return hazard


def complete_plan(hazard, user) -> GovernancePlan:
    return GovernancePlan.objects.create(hazard=hazard, updated_by=user, **COMPLETE_PLAN)


def listed(hazard, user) -> ListedSupervision:
    return ListedSupervision.objects.create(hazard=hazard, supervising_leader="刘局长", listed_by=user)


def pending_extension(hazard, user, days: int = 30) -> Extension:
    return Extension.objects.create(hazard=hazard, requested_by=user, reason="设备到货延迟",
                                    requested_deadline=(hazard.deadline or timezone.localdate())
                                    + timedelta(days=days), state=ExtensionState.PENDING)


def snapshot(hazard=None) -> dict:
    """The hazard's row and everything hanging off it, plus the audit trail, notifications and the
    statistics' daily totals."""
    state = {
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "hazards": Hazard.objects.count(),
        "photos": HazardPhoto.objects.count(),
        "plans": list(GovernancePlan.objects.values()),
        "listings": list(ListedSupervision.objects.values()),
        "verifications": ExpertVerification.objects.count(),
        "extensions": list(Extension.objects.values()),
        "tip_offs": list(TipOff.objects.values()),
        "daily_totals": list(HazardDailyTotal.objects.order_by("id").values()),
    }
    if hazard is not None:
        fresh = Hazard.objects.get(pk=hazard.pk)
        state["row"] = {**model_to_dict(fresh), "updated_at": fresh.updated_at}
    return state


@pytest.fixture
def root(db):
    """A superuser: every permission and the whole district, so only the state can refuse an action."""
    return UserFactory(username="root", is_superuser=True, is_staff=True)
