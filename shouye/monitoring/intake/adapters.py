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

Each is a serializer, so a malformed event answers 400 naming its fields, and the OpenAPI schema shows both.
The intake's fast path (``fastpath.py``) reads the events it answers by plain code instead
(:func:`read_event_plainly`): building and running a serializer was a third of a post's CPU, and issue 13 asks
for 1,000 alarms a second. Both build the event with the same function, and the plain reading accepts only
what the serializer accepts, read the same (``tests/monitoring/test_intake_fastpath.py`` compares them);
anything else it leaves to the serializer."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.utils.timezone import valid_datetime

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
        try:
            return _decode_snapshot(super().to_internal_value(data))
        except ValueError:
            raise serializers.ValidationError(_("The snapshot is not valid base64.")) from None


def _decode_snapshot(text: str) -> bytes | None:
    """The photo's bytes of a snapshot's text (None when blank), or ValueError when it is not base64."""
    if not text:
        return None
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(str(error)) from None


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
        return _generic_event(self.validated_data)


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
        return _gb28181_event(self.validated_data)


def _generic_event(data) -> VendorEvent:
    """The event of a generic JSON body's values (read by the serializer or plainly; optional ones may be
    absent). A blank snapshot is none."""
    return VendorEvent(event_id=data["event_id"], device_id=data["device_id"], type_code=data["type"],
                       severity=data.get("severity", ""), occurred_at=data["occurred_at"],
                       description=data.get("description", "")[:DESCRIPTION_MAX],
                       snapshot=data.get("snapshot") or None, clip_url=data.get("clip_url", ""),
                       longitude=data.get("longitude"), latitude=data.get("latitude"))


def _gb28181_event(data) -> VendorEvent:
    """The event of a GB/T 28181 notification's values, as :func:`_generic_event`."""
    method, kind = data["AlarmMethod"], data.get("AlarmType")
    at = data["AlarmTime"]
    return VendorEvent(event_id=f"{data['deviceId']}/{data['SN']}/{at:%Y%m%dT%H%M%S}",
                       device_id=data["deviceId"], type_code=f"{method}/{kind}" if kind is not None else str(method),
                       severity=str(data["AlarmPriority"]), occurred_at=at,
                       description=data.get("AlarmDescription", "")[:DESCRIPTION_MAX],
                       snapshot=data.get("snapshot") or None, clip_url=data.get("clip_url", ""),
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


# ------------------------------------------------------------------------------------------ plain reading


class _LeftToTheSerializer(Exception):
    """A value the plain reading does not take: one the serializer refuses (its answer names the field), or a
    form the plain reading does not cover (a number sent as a string, say)."""


_SURROGATE = re.compile("[\ud800-\udfff]")
_URL = URLValidator()


def _text(data: dict, name: str, field: serializers.CharField) -> str:
    """A CharField's reading: a string (or a number, as text), trimmed; blank only when optional (absent: "")."""
    if name not in data:
        if field.required:
            raise _LeftToTheSerializer
        return ""
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _LeftToTheSerializer
    value = str(value).strip()
    if ((not value and not field.allow_blank) or (field.max_length is not None and len(value) > field.max_length)
            or "\x00" in value or _SURROGATE.search(value)):
        raise _LeftToTheSerializer
    return value


def _moment(data: dict, name: str, field: serializers.DateTimeField) -> datetime:
    """A DateTimeField's reading of ISO 8601: in the current time zone, a local time taken as being in it."""
    value = data.get(name)
    if not isinstance(value, str):
        raise _LeftToTheSerializer
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            raise _LeftToTheSerializer
        zone = timezone.get_current_timezone()
        if timezone.is_aware(parsed):
            return parsed.astimezone(zone)
        moment = timezone.make_aware(parsed, zone)
    except (ValueError, TypeError, OverflowError):
        raise _LeftToTheSerializer from None
    if not valid_datetime(moment):
        raise _LeftToTheSerializer
    return moment


def _whole(data: dict, name: str, field: serializers.IntegerField) -> int | None:
    """An IntegerField's reading of a JSON integer within its bounds (absent: None when optional)."""
    if name not in data and not field.required:
        return None
    value = data.get(name)
    if type(value) is not int or not field.min_value <= value <= field.max_value:
        raise _LeftToTheSerializer
    return value


def _snapshot(data: dict, name: str, field: SnapshotField) -> bytes | None:
    """:class:`SnapshotField`'s reading."""
    try:
        return _decode_snapshot(_text(data, name, field))
    except ValueError:
        raise _LeftToTheSerializer from None


def _clip_url(data: dict, name: str, field: ClipUrlField) -> str:
    """:class:`ClipUrlField`'s reading."""
    url = _text(data, name, field)
    if url:
        try:
            _URL(url)
        except ValidationError:
            raise _LeftToTheSerializer from None
        if not url.lower().startswith(("http://", "https://")):
            raise _LeftToTheSerializer
    return url


def _degrees(data: dict, name: str, field: serializers.DecimalField) -> Decimal | None:
    """A coordinate's reading (:func:`_coordinate`) of a JSON number or null: within the field's digits,
    decimals and bounds, quantized to its decimals."""
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _LeftToTheSerializer
    number = Decimal(str(value))
    if not number.is_finite():
        raise _LeftToTheSerializer
    _sign, digits, exponent = number.as_tuple()
    places, whole = max(-exponent, 0), max(len(digits) + exponent, 0)
    if (places > field.decimal_places or whole > field.max_digits - field.decimal_places
            or not field.min_value <= number <= field.max_value):
        raise _LeftToTheSerializer
    return number.quantize(Decimal(1).scaleb(-field.decimal_places))


#: The plain reading of each kind of field the adapters declare (by exact class: a field of another kind
#: makes :func:`_plainly` fail loudly rather than read it wrongly).
_FIELD_READERS = {serializers.CharField: _text, serializers.DateTimeField: _moment, serializers.IntegerField: _whole,
                  serializers.DecimalField: _degrees, SnapshotField: _snapshot, ClipUrlField: _clip_url}


def _plainly(adapter: type[serializers.Serializer], data: dict) -> dict:
    """The adapter's declared fields read plainly — the limits are the fields' own, so there is one place to
    change one — absent optional ones as the event builders take them."""
    return {name: _FIELD_READERS[type(field)](data, name, field)
            for name, field in adapter._declared_fields.items()}


def _read_generic(data: dict) -> VendorEvent:
    return _generic_event(_plainly(GenericEventSerializer, data))


def _read_gb28181(data: dict) -> VendorEvent:
    return _gb28181_event(_plainly(GB28181EventSerializer, data))


PLAIN_READERS = {VendorProtocol.JSON: _read_generic, VendorProtocol.GB28181: _read_gb28181}


def read_event_plainly(protocol: str, data) -> VendorEvent | None:
    """The event in ``data`` exactly as :func:`read_event` reads it, without a serializer; None when the
    serializer must read it (to refuse it, naming the fields, or to read a form this leaves to it)."""
    if not isinstance(data, dict):
        return None
    try:
        return PLAIN_READERS[protocol](data)
    except _LeftToTheSerializer:
        return None
