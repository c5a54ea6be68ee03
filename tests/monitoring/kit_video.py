"""Posting to the video intake as a vendor would: a signed body (``X-Shouye-*`` headers), an event in the
generic JSON form, a small real JPEG as the snapshot; and draining the inbox as the processor would."""

from __future__ import annotations

import base64
import io
import json
import time
from itertools import count

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shouye.monitoring.intake import auth, services
from shouye.monitoring.models import VideoEvent, VideoInbox

_ids = count(1)


def jpeg(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def event(device_id="cam-1", type_code="smoking", **fields) -> dict:
    body = {"event_id": f"ev-{next(_ids)}", "device_id": device_id, "type": type_code,
            "occurred_at": timezone.now().isoformat(), "description": "加油区有人吸烟"}
    body.update(fields)
    return body


def snapshot_b64() -> str:
    return base64.b64encode(jpeg()).decode()


def post(vendor_row, payload, *, at: float | None = None, secret: str | None = None, key: str | None = None,
         raw: bytes | None = None, code: str | None = None, client: Client | None = None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time() if at is None else at))
    headers = {auth.KEY_HEADER: key or vendor_row.key_id, auth.TIMESTAMP_HEADER: timestamp,
               auth.SIGNATURE_HEADER: auth.signature(secret or vendor_row.secret, timestamp, body)}
    return (client or Client()).post(reverse("alarm-intake", args=[code or vendor_row.code]), body,
                                     content_type="application/json", headers=headers)


def drain() -> int:
    """What the processor does as events arrive (``shouye intake``): every waiting event made an alarm."""
    return services.drain_all()


def alarm_of(answer) -> int | None:
    """The alarm the accepted event became, once the inbox is drained."""
    drain()
    row = VideoInbox.objects.get(pk=answer.json()["event"])
    return VideoEvent.objects.filter(vendor_id=row.vendor_id, event_id=row.event_id).values_list(
        "alarm_id", flat=True).first()
