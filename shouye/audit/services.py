"""Writing, sealing and verifying the audit trail (ARCHITECTURE.md §6).

Services call :func:`record` explicitly inside their transaction; nothing is written by signals, so a
bulk operation cannot bypass the trail. The event is linked into the hash chain by :func:`seal` after
that transaction commits, so no act waits for another user's transaction (docs/decisions/0005)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from shouye.core.request_context import current_ip

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64
HEAD_PK = 1
#: Events linked per sealing transaction, which holds the chain's head meanwhile: small, so that an act
#: whose seal comes after a chunk of someone else's waits only a few milliseconds.
SEAL_CHUNK = 100
#: How long a committed event may stay unsealed before verification reports it. Every act seals its own
#: events as it commits, and Celery beat seals any left behind every minute ("audit-seal"), so an event
#: still unsealed after this long means sealing has stopped and the event is not yet protected.
SEAL_GRACE = timedelta(minutes=5)


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
    """Write one event. Must run inside the caller's transaction (so a rolled-back act leaves no event)."""
    return record_many(actor=actor, events=[(verb, target, changes, note)], ip_address=ip_address,
                       actor_name=actor_name)[0]


def record_many(*, actor, events: Iterable[tuple[str, object, dict | None, str]], ip_address: str | None = None,
                actor_name: str = "") -> list[AuditEvent]:
    """Write several events of one act by one actor — ``(verb, target, changes, note)`` each, in order —
    exactly as :func:`record` would one after the other, in one insert (an import of thousands of
    enterprises writes one event per enterprise).

    The events are inserted unsealed, without any lock on the chain, so an act never waits for another
    user's transaction; :func:`seal` links them into the chain once the caller's transaction commits
    (docs/decisions/0005). The returned events therefore carry no ``seq`` or hash yet."""
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
        AuditEvent.objects.bulk_create(rows, batch_size=1000)
        written = (rows[0].pk, rows[-1].pk)
        # Robust: a failed seal must not turn a committed act into an error; the periodic job
        # (tasks.seal_chain) seals what is left.
        transaction.on_commit(lambda: seal(written), robust=True)
    return rows


# --- sealing: linking committed events into the chain --------------------------------------------------


def seal(between: tuple[int, int] | None = None) -> int:
    """Link committed, unsealed events into the chain — those with ids ``between`` the first and the last
    an act wrote (when it commits) or all of them (the periodic job, verification) — in id order: each gets
    the next ``seq``, the previous event's hash as ``prev_hash``, and its own ``hash``; :class:`AuditHead`
    moves along. Answers how many events it sealed.

    Each SEAL_CHUNK events are a short transaction of their own that locks the head row, so two sealers
    never hand out the same position, and a sealer waits at most for one chunk of another's. An act seals
    its own events (and any committed one that took an id among them), so nobody pays for sealing another
    user's large import. Call it outside a transaction: inside one, the head stays locked until that
    transaction ends."""
    pending = AuditEvent.objects.filter(seq__isnull=True).order_by("id")
    if between is not None:
        pending = pending.filter(id__range=between)
    sealed = 0
    while True:
        count = _seal_chunk(pending)
        sealed += count
        if count < SEAL_CHUNK:
            return sealed


def _seal_chunk(pending) -> int:
    """Seal the first SEAL_CHUNK of ``pending`` in one transaction; answers how many.

    On PostgreSQL the seal commits without waiting for its WAL to reach the disk: beside a large write
    (an import) that wait is long, and the act has already committed durably. A crash can lose only the
    latest seals, whole (head and links together, and a seal that did reach the disk implies every seal
    before it did); their events are then unsealed again and sealed by the periodic job."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        head = _locked_head()
        events = list(pending[:SEAL_CHUNK])
        previous, position = head.last_hash, head.last_seq
        for event in events:
            position += 1
            event.seq, event.prev_hash = position, previous
            event.hash = previous = compute_hash(event)
        if events:
            _write_links(events)
            AuditHead.objects.filter(pk=head.pk).update(last_seq=position, last_hash=previous)
    return len(events)


def _locked_head() -> AuditHead:
    """The head row, locked until this transaction ends (waiting for another sealer's chunk). A missing
    row (a flushed database) is made from the chain's sealed end."""
    locked = AuditHead.objects.select_for_update().filter(pk=HEAD_PK)
    head = locked.first()
    if head is None:
        end = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
        last_seq, last_hash = end or (0, GENESIS)
        AuditHead.objects.bulk_create([AuditHead(pk=HEAD_PK, last_seq=last_seq, last_hash=last_hash)],
                                      ignore_conflicts=True)
        head = locked.get()
    return head


def _write_links(events: list[AuditEvent]) -> None:
    """Write the chain fields of events that have none yet — the only update of an audit event, so it
    bypasses the queryset's append-only guard; ``seq IS NULL`` keeps it from relinking a sealed one, and a
    count that differs undoes the chunk rather than leave a gap."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s AND seq IS NULL",
            [(event.seq, event.prev_hash, event.hash, event.id) for event in events])
        if cursor.rowcount != len(events):
            raise RuntimeError(f"sealing linked {cursor.rowcount} of {len(events)} audit events")


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
    """Seal what has committed, then walk the chain in ``seq`` order up to the head and report the first
    problem: a gap in the positions (an event deleted), a link or a content that does not match (an event
    edited), a chain that ends before the head (the newest events deleted), or an event that waited longer
    than SEAL_GRACE to be sealed (sealing had stopped, so nothing protected it meanwhile)."""
    late = _first_late_event()
    seal()
    head = AuditHead.objects.filter(pk=HEAD_PK).first()
    result, end_hash = _walk(head.last_seq if head else None, batch_size)
    if result.ok and head is not None:
        result = _check_head(head, result.checked, end_hash)
    if result.ok and late is not None:
        result = _reported_late(late, result.checked)
    return result


def _walk(end: int | None, batch_size: int) -> tuple[VerifyResult, str]:
    """The sealed events from position 1 to ``end`` (all when None), in batches; the result of the walk
    and the hash it ended on. Events sealed after the head was read lie beyond ``end``."""
    chain = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    if end is not None:
        chain = chain.filter(seq__lte=end)
    previous, position = GENESIS, 0
    while batch := list(chain.filter(seq__gt=position)[:batch_size]):
        for event in batch:
            problem = _link_problem(event, position + 1, previous)
            if problem:
                return VerifyResult(False, position, event.id, problem), previous
            previous, position = event.hash, event.seq
    return VerifyResult(True, position), previous


def _link_problem(event: AuditEvent, position: int, previous: str) -> str:
    """Why ``event`` cannot be the chain's ``position``-th link after the hash ``previous`` (empty if it can)."""
    if event.seq != position:
        return f"position {position} is missing from the chain before this event's {event.seq} (an event was deleted)"
    if event.prev_hash != previous:
        return "prev_hash does not match the previous event (an event was deleted or altered)"
    if compute_hash(event) != event.hash:
        return "content does not match its hash (the event was edited)"
    return ""


def _check_head(head: AuditHead, position: int, last_hash: str) -> VerifyResult:
    if head.last_seq == position and head.last_hash == last_hash:
        return VerifyResult(ok=True, checked=position)
    if head.last_seq != position:
        reason = (f"the chain ends at position {position} but position {head.last_seq} was recorded as the "
                  "newest (the newest events were deleted)")
    else:
        reason = "the newest event's hash is not the one recorded for it (the newest event was replaced)"
    return VerifyResult(False, position, None, reason)


def _first_late_event() -> AuditEvent | None:
    """The oldest committed event still unsealed SEAL_GRACE after it was written."""
    return (AuditEvent.objects.filter(seq__isnull=True, created_at__lt=timezone.now() - SEAL_GRACE)
            .order_by("id").first())


def _reported_late(event: AuditEvent, checked: int) -> VerifyResult:
    """The late event, now sealed by this verification, as a failure: until then nothing protected it.
    ``checked`` counts the chain's events before it (all of them if another sealer still holds it)."""
    position = AuditEvent.objects.filter(pk=event.pk).values_list("seq", flat=True).first()
    written = timezone.localtime(event.created_at)
    return VerifyResult(False, position - 1 if position else checked, event.id,
                        f"written at {written:%Y-%m-%d %H:%M:%S} and still not sealed into the chain "
                        f"{SEAL_GRACE.total_seconds() / 60:g} minutes later (sealing had stopped: check that "
                        "Celery beat runs audit-seal), so it was unprotected until this verification sealed it")
