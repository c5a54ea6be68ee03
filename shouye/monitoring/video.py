"""Keeping the video-AI vendors, their type mappings and the cameras (issue 13, decision 0014).

- **Vendors** are the bureau's (``MANAGE_RULES``): the platform issues the key id and the secret
  (``secrets.token_urlsafe``) and shows the secret once, in the answer that created or rotated it; it is stored
  as issued (the HMAC needs it) but never shown again. A new vendor's severity map and type mapping start from
  its protocol's (GB/T 28181: ``defaults.GB28181_PRIORITY`` and ``GB28181_TYPES``, REGULATIONS-2 §D.1; generic
  JSON: the five-step scale of §D.2, ``defaults.FIVE_STEP_SEVERITY``, and no codes) and are edited afterwards.
  A vendor is switched off, never deleted: its alarms name it.
  A type code the vendor sent unmapped (``UnmappedTypeCode``) leaves that list once it is mapped.
- **Cameras** are kept by the enterprise's own users and the bureau (``CONFIGURE``), each within its scope: a
  camera is stamped with its enterprise, and an installation named must be that enterprise's.

Every act is one transaction with one audit event; the intake's per-process cache of the vendor is dropped
in this process (the others read it again within ``intake.auth.CACHE_SECONDS``)."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.regions.scoping import ensure_in_scope

from . import defaults
from .choices import AlarmLevel, VendorProtocol
from .intake import auth as intake_auth
from .intake import directory as intake_directory
from .models import AlarmVendor, Camera, Scenario, UnmappedTypeCode, VendorTypeMapping
from .workflow import CONFIGURE, MANAGE_RULES

#: What a form or the API may set on a camera besides whether it is in service (its enterprise, vendor and device
#: id are chosen once, on registration: the alarms it raised name them).
CAMERA_FIELDS = ["name", "zone", "installation", "longitude", "latitude"]
#: Bytes of randomness in an issued secret (``token_urlsafe``: 43 characters).
SECRET_BYTES = 32
#: The replay window a vendor may be given, in seconds: long enough for a platform whose clock drifts by a few
#: seconds and whose queue holds a post for a while, short enough that a captured post cannot be replayed later
#: (decision 0014, the intake's signature).
REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX = 30, 3600


def _ensure(actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("Your role may not do this."))


def _check_severity_map(severity_map: dict) -> dict:
    bad = sorted(str(v) for v in severity_map.values() if v not in AlarmLevel.values)
    if bad:
        raise ValidationError({"severity_map": _("Not a level: %(values)s. Use red, orange, yellow or blue.")
                               % {"values": ", ".join(bad)}})
    return {str(k): v for k, v in severity_map.items()}


def _check_replay_window(seconds: int) -> None:
    if not REPLAY_WINDOW_MIN <= seconds <= REPLAY_WINDOW_MAX:
        raise ValidationError({"replay_window_seconds": _(
            "The replay window is between %(min)s and %(max)s seconds.") % {"min": REPLAY_WINDOW_MIN,
                                                                            "max": REPLAY_WINDOW_MAX}})


def _write_mappings(vendor: AlarmVendor, mappings: dict[str, str]) -> None:
    """Replace the vendor's mapping by ``mappings`` (vendor code → scenario code), one query for the
    scenarios; the codes now mapped leave the vendor's unmapped codes."""
    if any(not str(code).strip() for code in mappings):
        raise ValidationError({"mappings": _("A vendor type code cannot be empty.")})
    scenarios = Scenario.objects.in_bulk(set(mappings.values()), field_name="code")
    unknown = sorted(code for code in set(mappings.values()) if code not in scenarios)
    if unknown:
        raise ValidationError({"mappings": _("No such scenario: %(codes)s.") % {"codes": ", ".join(unknown)}})
    VendorTypeMapping.objects.filter(vendor=vendor).delete()
    VendorTypeMapping.objects.bulk_create([VendorTypeMapping(vendor=vendor, vendor_code=code,
                                                             scenario=scenarios[scenario])
                                           for code, scenario in mappings.items()])
    UnmappedTypeCode.objects.filter(vendor=vendor, vendor_code__in=list(mappings)).delete()


def create_vendor(*, actor, code: str, name: str, protocol: str = VendorProtocol.JSON,
                  replay_window_seconds: int = 300, severity_map: dict | None = None,
                  mappings: dict[str, str] | None = None) -> tuple[AlarmVendor, str]:
    """A new vendor and its secret, which the caller shows this once."""
    _ensure(actor, MANAGE_RULES)
    gb = protocol == VendorProtocol.GB28181
    if severity_map is None:
        severity_map = dict(defaults.GB28181_PRIORITY if gb else defaults.FIVE_STEP_SEVERITY)
    if mappings is None:
        mappings = dict(defaults.GB28181_TYPES) if gb else {}
    _check_replay_window(replay_window_seconds)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with transaction.atomic():
        if AlarmVendor.objects.filter(code=code).exists():
            raise ValidationError({"code": _("A vendor with this code exists already.")})
        vendor = AlarmVendor.objects.create(
            code=code, name=name, protocol=protocol, replay_window_seconds=replay_window_seconds,
            severity_map=_check_severity_map(severity_map), key_id=f"{code}-{secrets.token_hex(4)}", secret=secret)
        _write_mappings(vendor, mappings)
        audit.record(actor=actor, verb="alarm-vendor.create", target=vendor,
                     changes={"protocol": protocol, "mappings": len(mappings)})
    intake_auth.forget(code)
    return vendor, secret


def update_vendor(*, actor, vendor: AlarmVendor, changes: dict, mappings: dict[str, str] | None = None) -> AlarmVendor:
    """Change the vendor's name, replay window, severity map or whether it is active; with ``mappings``,
    replace its type mapping."""
    _ensure(actor, MANAGE_RULES)
    with transaction.atomic():
        vendor = AlarmVendor.objects.select_for_update().get(pk=vendor.pk)
        if "severity_map" in changes:
            changes["severity_map"] = _check_severity_map(changes["severity_map"])
        if "replay_window_seconds" in changes:
            _check_replay_window(changes["replay_window_seconds"])
        changed = {field: [getattr(vendor, field), value] for field, value in changes.items()
                   if getattr(vendor, field) != value}
        for field, (_before, value) in changed.items():
            setattr(vendor, field, value)
        vendor.save()
        if mappings is not None:
            _write_mappings(vendor, mappings)
            changed["mappings"] = len(mappings)
        audit.record(actor=actor, verb="alarm-vendor.update", target=vendor, changes=changed)
    intake_auth.forget(vendor.code)
    return vendor


def map_type_code(*, actor, vendor: AlarmVendor, vendor_code: str, scenario: str) -> VendorTypeMapping:
    """Map one type code the vendor sends (typically one it sent unmapped) to a scenario, or map it anew; the
    intake accepts the code at once here, within seconds elsewhere."""
    _ensure(actor, MANAGE_RULES)
    vendor_code = vendor_code.strip()
    if not vendor_code:
        raise ValidationError({"vendor_code": _("A vendor type code cannot be empty.")})
    row = Scenario.objects.filter(code=scenario).first()
    if row is None:
        raise ValidationError({"scenario": _("No such scenario: %(codes)s.") % {"codes": scenario}})
    with transaction.atomic():
        vendor = AlarmVendor.objects.select_for_update().get(pk=vendor.pk)
        before = VendorTypeMapping.objects.filter(vendor=vendor, vendor_code=vendor_code).select_related(
            "scenario").first()
        mapping, _created = VendorTypeMapping.objects.update_or_create(
            vendor=vendor, vendor_code=vendor_code, defaults={"scenario": row})
        refused = UnmappedTypeCode.objects.filter(vendor=vendor, vendor_code=vendor_code).first()
        if refused is not None:
            refused.delete()
        audit.record(actor=actor, verb="alarm-vendor.map-code", target=vendor, changes={
            vendor_code: [before.scenario.code if before else None, row.code],
            **({"refused_before": refused.count} if refused else {})})
    intake_auth.forget(vendor.code)
    return mapping


def rotate_secret(*, actor, vendor: AlarmVendor) -> tuple[AlarmVendor, str]:
    """A new secret for the vendor (the old one stops working at once here, within seconds elsewhere)."""
    _ensure(actor, MANAGE_RULES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with transaction.atomic():
        vendor = AlarmVendor.objects.select_for_update().get(pk=vendor.pk)
        vendor.secret = secret
        vendor.save(update_fields=["secret"])
        audit.record(actor=actor, verb="alarm-vendor.rotate-secret", target=vendor)
    intake_auth.forget(vendor.code)
    return vendor, secret


def _check_installation(enterprise, installation) -> None:
    if installation is not None and installation.enterprise_id != enterprise.pk:
        raise ValidationError({"installation": _("The installation is not this enterprise's.")})


def create_camera(*, actor, enterprise, vendor: AlarmVendor, vendor_device_id: str, name: str, **fields) -> Camera:
    _ensure(actor, CONFIGURE)
    ensure_in_scope(actor, enterprise)
    _check_installation(enterprise, fields.get("installation"))
    with transaction.atomic():
        if Camera.objects.filter(vendor=vendor, vendor_device_id=vendor_device_id).exists():
            raise ValidationError({"vendor_device_id": _("This vendor already has a camera with this device id.")})
        camera = Camera(vendor=vendor, vendor_device_id=vendor_device_id, name=name, **fields)
        camera.stamp_from(enterprise)
        camera.save()
        audit.record(actor=actor, verb="camera.create", target=camera)
    return camera


def update_camera(*, actor, camera: Camera, changes: dict) -> Camera:
    """Change a camera's name, zone, installation, coordinates or whether it is active (its vendor, device id
    and enterprise stay: the alarms it raised name them)."""
    _ensure(actor, CONFIGURE)
    with transaction.atomic():
        camera = Camera.objects.select_for_update().select_related("enterprise").get(pk=camera.pk)
        ensure_in_scope(actor, camera)
        _check_installation(camera.enterprise, changes.get("installation", camera.installation))
        changed = {field: [str(getattr(camera, field)), str(value)] for field, value in changes.items()
                   if getattr(camera, field) != value}
        for field, value in changes.items():
            setattr(camera, field, value)
        camera.save()
        audit.record(actor=actor, verb="camera.update", target=camera, changes=changed)
    intake_directory.forget()
    return camera


def deactivate_camera(*, actor, camera: Camera) -> Camera:
    """Switch a camera off: the intake refuses its events from now on; its alarms stay as they are."""
    _ensure(actor, CONFIGURE)
    with transaction.atomic():
        camera = Camera.objects.select_for_update().get(pk=camera.pk)
        ensure_in_scope(actor, camera)
        if not camera.is_active:
            raise ValidationError({"is_active": _("The camera is switched off already.")})
        camera.is_active = False
        camera.save(update_fields=["is_active"])
        audit.record(actor=actor, verb="camera.deactivate", target=camera)
    intake_directory.forget()
    return camera
