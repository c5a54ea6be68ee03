"""Writing and verifying the audit trail (ARCHITECTURE.md §6).

Services call :func:`record` explicitly inside their transaction; nothing is written by signals, so a
bulk operation cannot bypass the trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from shouye.core.request_context import current_ip

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x5348_5559  # "SHUY": serialises appends to the chain on PostgreSQL


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "ip_address": event.ip_address,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "changes": event.changes,
        "note": event.note,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _json_safe(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def record(*, actor, verb: str, target=None, changes: dict | None = None, note: str = "",
           ip_address: str | None = None, actor_name: str = "") -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (so a rolled-back act leaves no event)."""
    return record_many(actor=actor, events=[(verb, target, changes, note)], ip_address=ip_address,
                       actor_name=actor_name)[0]


def record_many(*, actor, events: Iterable[tuple[str, object, dict | None, str]], ip_address: str | None = None,
                actor_name: str = "") -> list[AuditEvent]:
    """Append several events of one act by one actor — ``(verb, target, changes, note)`` each, in order —
    exactly as :func:`record` would one after the other, with one lock, one read of the chain's end and one
    insert (an import of thousands of enterprises writes one event per enterprise)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    common = {"created_at": now, "actor": user, "actor_name": actor_name or (user.get_username() if user else ""),
              "ip_address": ip_address or current_ip()}
    rows = [AuditEvent(verb=verb, target_type=target._meta.label_lower if target is not None else "",
                       target_id=str(target.pk) if target is not None else "",
                       target_repr=str(target)[:255] if target is not None else "",
                       changes=_json_safe(changes or {}), note=note, **common)
            for verb, target, changes, note in events]
    if not rows:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        for event in rows:
            event.prev_hash = previous
            event.hash = previous = compute_hash(event)
        AuditEvent.objects.bulk_create(rows, batch_size=1000)
        AuditHead.objects.update_or_create(pk=1, defaults={"last_id": rows[-1].pk, "last_hash": previous})
    return rows


def record_files_removed(verb: str, target, names: list[str]) -> AuditEvent:
    """The retention job removed ``target``'s files (shouye.core.retention): an event by the system."""
    return record(actor=None, actor_name="system", verb=verb, target=target, changes={"files": names})


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the whole chain in id order; report the first event whose link or content does not match."""
    previous = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return _check_head(previous, last_id, checked)
        for event in batch:
            if event.prev_hash != previous:
                return VerifyResult(False, checked, event.id,
                                    "prev_hash does not match the previous event (an event was deleted or altered)")
            if compute_hash(event) != event.hash:
                return VerifyResult(False, checked, event.id, "content does not match its hash (the event was edited)")
            previous = event.hash
            checked += 1
            last_id = event.id


def _check_head(last_hash: str, last_id: int, checked: int) -> VerifyResult:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or (head.last_id == last_id and head.last_hash == last_hash):
        return VerifyResult(ok=True, checked=checked)
    return VerifyResult(False, checked, head.last_id,
                        f"the chain ends at event {last_id or 'none'} but event {head.last_id} was recorded as the "
                        "newest (the newest events were deleted)")
