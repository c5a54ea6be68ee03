"""Who is posting to the video intake: the vendor's own credentials, not a user's session or token (issue 13,
decision 0014).

A vendor signs each request: ``X-Shouye-Key`` names its key id, ``X-Shouye-Timestamp`` is the time of sending
in epoch seconds, and ``X-Shouye-Signature`` is the hex HMAC-SHA256, under the vendor's secret, of
``"<timestamp>\\n"`` followed by the raw body. The signature is compared in constant time; a timestamp further
than the vendor's ``replay_window_seconds`` from our clock (either way) is refused, so a captured request
cannot be played again later. An unknown vendor, a key of another vendor, a bad signature and a stale
timestamp all answer 401 alike; a vendor the bureau switched off answers 403, and nothing is written.

The intake must carry 1,000 alarms a second (issue 13's benchmark), so each process keeps a vendor's
credentials and type mapping for :data:`CACHE_SECONDS` instead of reading them per request: a secret the
bureau rotates, a vendor it switches off or a mapping it edits is in force within that time in every process
(at once in the process that saved it, which calls :func:`forget`)."""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from shouye.core.api.errors import PayloadTooLarge

#: How long a process keeps a vendor's credentials and mapping.
CACHE_SECONDS = 5.0

KEY_HEADER = "X-Shouye-Key"
TIMESTAMP_HEADER = "X-Shouye-Timestamp"
SIGNATURE_HEADER = "X-Shouye-Signature"


@dataclass(frozen=True)
class ScenarioRef:
    """What the intake needs of a scenario: its level unless the vendor's severity says otherwise, and the
    window in which the same scene on the same camera repeats the open alarm."""

    id: int
    code: str
    name: str
    default_level: str
    dedupe_minutes: int


@dataclass(frozen=True)
class VendorCredentials:
    id: int
    code: str
    name: str
    key_id: str
    secret: bytes = field(repr=False)
    replay_window_seconds: int
    protocol: str
    severity_map: dict
    is_active: bool
    #: vendor type code → scenario, active scenarios only.
    scenarios: dict[str, ScenarioRef]


_cache: dict[str, tuple[float, VendorCredentials | None]] = {}


def forget(code: str | None = None) -> None:
    """Read a vendor (or every vendor, and every camera: ``directory.py``) afresh at its next request: after the
    bureau saved it, and in tests."""
    if code is None:
        from . import directory

        _cache.clear()
        directory.forget()
    else:
        _cache.pop(code, None)


def vendor_by_code(code: str) -> VendorCredentials | None:
    now = time.monotonic()
    cached = _cache.get(code)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    from shouye.monitoring.models import AlarmVendor, VendorTypeMapping

    row = AlarmVendor.objects.filter(code=code).first()
    credentials = None
    if row is not None:
        mappings = (VendorTypeMapping.objects.filter(vendor=row, scenario__is_active=True)
                    .select_related("scenario"))
        credentials = VendorCredentials(
            id=row.pk, code=row.code, name=row.name, key_id=row.key_id, secret=row.secret.encode(),
            replay_window_seconds=row.replay_window_seconds, protocol=row.protocol,
            severity_map={str(k): v for k, v in (row.severity_map or {}).items()}, is_active=row.is_active,
            scenarios={m.vendor_code: ScenarioRef(m.scenario.pk, m.scenario.code, m.scenario.name,
                                                  m.scenario.default_level, m.scenario.dedupe_minutes)
                       for m in mappings})
    _cache[code] = (now, credentials)
    return credentials


def signature(secret: bytes | str, timestamp: str | int, body: bytes) -> str:
    """The hex HMAC-SHA256 a vendor sends: under its secret, over ``"<timestamp>\\n"`` and the raw body."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"{timestamp}\n".encode() + body, hashlib.sha256).hexdigest()


def read_body(request) -> bytes:
    """The raw body, or 413 when it is larger than ``SHOUYE_VIDEO_INTAKE_MAX_BYTES`` (declared or read),
    without reading more than the limit."""
    limit = settings.SHOUYE_VIDEO_INTAKE_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise PayloadTooLarge(limit)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    return body


def verify_signed_request(code: str, headers, body: bytes, now: float | None = None) -> VendorCredentials:
    """The vendor that signed this request for the intake of ``code``, or AuthenticationFailed (401) /
    PermissionDenied (403) saying why."""
    key, timestamp, sent = (headers.get(KEY_HEADER), headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER))
    if not (key and timestamp and sent):
        raise AuthenticationFailed(_("The request is not signed: send the %(headers)s headers.")
                                   % {"headers": ", ".join((KEY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER))})
    vendor = vendor_by_code(code)
    if vendor is None or not hmac.compare_digest(vendor.key_id.encode(), key.encode()):
        raise AuthenticationFailed(_("Unknown vendor or key."))
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise AuthenticationFailed(_("The timestamp is not a whole number of seconds since 1970.")) from None
    expected = signature(vendor.secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), sent.strip().lower().encode()):
        raise AuthenticationFailed(_("The signature does not match the body."))
    if abs(int(time.time() if now is None else now) - sent_at) > vendor.replay_window_seconds:
        raise AuthenticationFailed(_("The timestamp is more than %(seconds)d seconds away from the platform's "
                                     "clock: the request is refused as a possible replay.")
                                   % {"seconds": vendor.replay_window_seconds})
    if not vendor.is_active:
        raise PermissionDenied(_("This vendor has been switched off by the bureau."))
    return vendor
