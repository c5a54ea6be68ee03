"""Reading a vendor's body into one :class:`VendorEvent`, per the vendor's protocol (``AlarmVendor.protocol``).

- **Generic JSON** — the union of the vendors' typical payloads (REGULATIONS-2 §D.2 [P], not a standard): event
  id, device (channel) id, type code, severity, time, description, the snapshot inline as base64 JPEG/PNG, a
  clip link and optional coordinates.
- **GB/T 28181** — the alarm notification's fields (§D.1 [C2]): ``deviceId``, ``SN``, ``AlarmMethod`` and
  ``AlarmType`` (read together as the type code ``"method/type"``, the form of ``defaults.GB28181_TYPES``),
  ``AlarmPriority`` 1–4 as the severity (mapped by the vendor's severity map, which starts from
  ``defaults.GB28181_PRIORITY``), ``AlarmTime`` (local time, as the standard's devices send it),
  ``AlarmDescription``, ``Longitude``/``Latitude``; a platform in front of the devices may add ``snapshot``
  and ``clip_url``. The standard has no event id: a device numbers its notifications with ``SN``, so the
  event is (device, SN, time) — the same notification resent is recognised, a counter that wraps is not
  mistaken for it.

Each is a serializer, so a malformed event answers 400 naming its fields, and the OpenAPI schema shows both."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from shouye.monitoring.choices import VendorProtocol

#: The longest text the alarm keeps of a vendor's description (``Alarm.description``).
DESCRIPTION_MAX = 200


@dataclass(frozen=True)
class VendorEvent:
    event_id: str
    device_id: str
    type_code: str
    severity: str
    occurred_at: datetime
    description: str
    snapshot: bytes | None
    clip_url: str
    longitude: Decimal | None
    latitude: Decimal | None


class SnapshotField(serializers.CharField):
    """A photo sent inline as base64 (standard alphabet; a ``data:image/…;base64,`` prefix is accepted); its
    type and size are checked by content when it is stored (``shouye.core.attachments.check_photos``)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, trim_whitespace=True,
                         help_text=gettext_lazy("The snapshot, a JPEG or PNG photo encoded as base64."), **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if not text:
            return None
        if text.startswith("data:") and "," in text:
            text = text.split(",", 1)[1]
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(_("The snapshot is not valid base64.")) from None


class ClipUrlField(serializers.URLField):
    """A link to the clip: http or https only (a ``file:`` or ``javascript:`` link would be shown to the duty
    person as a link)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, max_length=500, **kwargs)

    def to_internal_value(self, data):
        url = super().to_internal_value(data)
        if url and not url.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("The clip link must be an http or https address."))
        return url


def _coordinate(limit: int):
    return serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-limit, max_value=limit,
                                    required=False, allow_null=True, coerce_to_string=False)


class GenericEventSerializer(serializers.Serializer):
    """A video-AI vendor's event in the generic JSON form."""

    event_id = serializers.CharField(max_length=100, help_text=gettext_lazy("The vendor's id of this event."))
    device_id = serializers.CharField(max_length=64,
                                      help_text=gettext_lazy("The camera's or channel's id at the vendor."))
    type = serializers.CharField(max_length=40, help_text=gettext_lazy("The vendor's type code of the scene."))
    severity = serializers.CharField(max_length=16, required=False, allow_blank=True,
                                     help_text=gettext_lazy("The vendor's severity (e.g. 5 严重 … 1 通知)."))
    occurred_at = serializers.DateTimeField(help_text=gettext_lazy("When the scene was detected (ISO 8601)."))
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    snapshot = SnapshotField()
    clip_url = ClipUrlField()
    longitude = _coordinate(180)
    latitude = _coordinate(90)

    def event(self) -> VendorEvent:
        data = self.validated_data
        return VendorEvent(event_id=data["event_id"], device_id=data["device_id"], type_code=data["type"],
                           severity=data.get("severity", ""), occurred_at=data["occurred_at"],
                           description=data.get("description", "")[:DESCRIPTION_MAX],
                           snapshot=data.get("snapshot"), clip_url=data.get("clip_url", ""),
                           longitude=data.get("longitude"), latitude=data.get("latitude"))


class GB28181EventSerializer(serializers.Serializer):
    """A GB/T 28181 alarm notification (REGULATIONS-2 §D.1), as JSON."""

    deviceId = serializers.CharField(max_length=64)
    SN = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    AlarmMethod = serializers.IntegerField(min_value=1, max_value=7)
    AlarmType = serializers.IntegerField(min_value=0, max_value=999, required=False)
    AlarmPriority = serializers.IntegerField(min_value=1, max_value=4)
    AlarmTime = serializers.DateTimeField()
    AlarmDescription = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    Longitude = _coordinate(180)
    Latitude = _coordinate(90)
    snapshot = SnapshotField()
    clip_url = ClipUrlField()

    def event(self) -> VendorEvent:
        data = self.validated_data
        method, kind = data["AlarmMethod"], data.get("AlarmType")
        at = data["AlarmTime"]
        return VendorEvent(event_id=f"{data['deviceId']}/{data['SN']}/{at:%Y%m%dT%H%M%S}",
                           device_id=data["deviceId"], type_code=f"{method}/{kind}" if kind is not None else str(method),
                           severity=str(data["AlarmPriority"]), occurred_at=at,
                           description=data.get("AlarmDescription", "")[:DESCRIPTION_MAX],
                           snapshot=data.get("snapshot"), clip_url=data.get("clip_url", ""),
                           longitude=data.get("Longitude"), latitude=data.get("Latitude"))


ADAPTERS = {VendorProtocol.JSON: GenericEventSerializer, VendorProtocol.GB28181: GB28181EventSerializer}


def read_event(protocol: str, data) -> VendorEvent:
    """The event in ``data`` (parsed JSON) as the vendor's protocol reads it; ValidationError (400) naming the
    fields otherwise."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": [_("The body must be one JSON object.")]})
    serializer = ADAPTERS[protocol](data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.event()
