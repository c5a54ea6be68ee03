"""Writing, sealing and verifying the audit trail (ARCHITECTURE.md §6).

Services call :func:`record` explicitly inside their transaction; nothing is written by signals, so a
bulk operation cannot bypass the trail. The event is linked into the hash chain by :func:`seal` after
that transaction commits, so no act waits for another user's transaction (docs/decisions/0005). Each link
is an HMAC under a key kept outside the database, and each seal is anchored outside it, so that whoever can
write the database cannot rewrite the chain unseen (docs/decisions/0006)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from shouye.core.request_context import current_ip

from . import anchors, keys
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
#: The verb of the event with which an installation upgraded to keyed sealing vouches for the events sealed
#: before it with plain SHA-256 (migration audit.0005): its keyed hash covers the last of them.
KEYED_VERB = "audit.keyed"


def canonical(event: AuditEvent) -> bytes:
    """The bytes an event's hash covers: its recorded fields and the previous event's hash (not its
    position or key id: renumbering or relabelling breaks a link or the hash anyway)."""
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
    """The hash the chain expects for ``event``: the HMAC-SHA256 under the key its ``key_id`` names, or,
    for an event sealed before keys existed (no key id), plain SHA-256. KeyError for a key not configured."""
    if not event.key_id:
        return hashlib.sha256(canonical(event)).hexdigest()
    return keys.keyring().by_id[event.key_id].mac(canonical(event))


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
        if not getattr(_deferred, "active", False):
            transaction.on_commit(lambda: seal(written), robust=True)
    return rows


_deferred = threading.local()


@contextmanager
def sealing_elsewhere() -> Iterator[None]:
    """Record events in the block without sealing them when they commit: the caller seals them itself, off
    its own path — the monitoring ingest, whose next batch must not wait for a chain seal (issue 13) — and
    the periodic job (``tasks.seal_chain``) seals whatever it did not."""
    outer = getattr(_deferred, "active", False)
    _deferred.active = True
    try:
        yield
    finally:
        _deferred.active = outer


@contextmanager
def sealing_deferred() -> Iterator[None]:
    """Seal once when the block ends instead of when each act commits: for a loader that plays thousands of
    acts in one process (``shouye demo``, issue 10), where a seal per act was a quarter of its statements.
    The events are linked into the chain in id order all the same; if the block fails half-way, what it
    committed is sealed on the way out (and anything left by the periodic job, ``tasks.seal_chain``)."""
    outer = getattr(_deferred, "active", False)
    try:
        with sealing_elsewhere():
            yield
    finally:
        if not outer:
            seal()


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
    before it did); their events are then unsealed again and sealed by the periodic job.

    Once committed, the chunk's end is anchored outside the database (docs/decisions/0006)."""
    key = keys.keyring().signing
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        head = _locked_head()
        events = list(pending[:SEAL_CHUNK])
        previous, position = head.last_hash, head.last_seq
        for event in events:
            position += 1
            event.seq, event.prev_hash, event.key_id = position, previous, key.id
            event.hash = previous = key.mac(canonical(event))
        if events:
            _write_links(events)
            AuditHead.objects.filter(pk=head.pk).update(last_seq=position, last_hash=previous)
    if events:
        anchors.append(position, previous)
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
            f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s, key_id = %s WHERE id = %s AND seq IS NULL",
            [(event.seq, event.prev_hash, event.hash, event.key_id, event.id) for event in events])
        if cursor.rowcount != len(events):
            raise RuntimeError(f"sealing linked {cursor.rowcount} of {len(events)} audit events")


def anchor_head() -> bool:
    """Anchor the chain's head when the anchor file does not reach it yet — an anchor write failed, the
    process stopped between a seal and its anchor, or the file was rotated. Answers whether it wrote one.
    An anchor written here never hides an earlier one: verification checks every anchor it finds."""
    head = AuditHead.objects.filter(pk=HEAD_PK).values_list("last_seq", "last_hash").first()
    if head is None or head[0] <= anchors.newest_anchored_position():
        return False
    anchors.append(*head)
    return True


def record_files_removed(verb: str, target, names: list[str]) -> AuditEvent:
    """The retention job removed ``target``'s files (shouye.core.retention): an event by the system."""
    return record(actor=None, actor_name="system", verb=verb, target=target, changes={"files": names})


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    #: Events verified before the first problem (all of them when ``ok``).
    checked: int
    #: The id of the event at which the chain breaks, when there is one.
    broken_at: int | None = None
    reason: str = ""
    #: The first position (``seq``) that is not as sealed, when one can be named.
    position: int | None = None
    #: Anchors found outside the database that match the chain, and the newest anchor found.
    anchored: int = 0
    newest_anchor: anchors.Anchor | None = None


def verify_chain(batch_size: int = 5000, anchor_files: list[Path] | None = None) -> VerifyResult:
    """Seal what has committed, then walk the chain in ``seq`` order up to the head, checking each link
    with the audit key and each anchor written outside the database (``anchor_files``, by default the
    configured anchor file), and report the first problem: a gap in the positions (an event deleted), a
    link or a content that does not match (an event edited), a hash not made with the key (the chain
    re-hashed by someone without it), a chain that ends before the head (the newest events deleted), a hash
    that differs from its anchor (the chain rewritten by someone holding the key), a chain that ends
    before its newest anchor (the newest events deleted, head included), a chain with no anchor at all, or
    an event that waited longer than SEAL_GRACE to be sealed (sealing had stopped, so nothing protected it
    meanwhile).

    The anchors are read before the head: every anchor read was written after its seal committed, so it
    lies at or before the head, and seals running beside the verification are not mistaken for deletions."""
    late = _first_late_event()
    seal()
    found = anchors.read(anchor_files)
    head = AuditHead.objects.filter(pk=HEAD_PK).first()
    walk = _Walk(keys.keyring(), found)
    result = walk.run(head.last_seq if head else None, batch_size)
    if result.ok and head is not None:
        result = _check_head(head, result.checked, walk.previous)
    if result.ok:
        result = walk.against_anchors()
    if result.ok and late is not None:
        result = _reported_late(late, result.checked)
    return replace(result, anchored=walk.matched, newest_anchor=found.newest)


class _Walk:
    """One walk along the sealed chain, in batches, with the keys and the anchors found."""

    def __init__(self, keyring: keys.Keyring, found: anchors.Anchors):
        self.keyring, self.anchors = keyring, found
        self.previous, self.position = GENESIS, 0
        #: The first event hashed without a key while no keyed event has been seen: such events are sound
        #: only as the prefix an upgraded installation sealed before keys, vouched for by a KEYED_VERB event.
        self.unkeyed_from: AuditEvent | None = None
        self.keyed = False
        #: The first event whose hash differs from its anchor; the last position before it that matched
        #: one; how many anchors matched.
        self.anchor_mismatch: AuditEvent | None = None
        self.last_matching_anchor = 0
        self.matched = 0

    def run(self, end: int | None, batch_size: int) -> VerifyResult:
        """The sealed events from position 1 to ``end`` (all when None). Events sealed after the head was
        read lie beyond ``end``."""
        chain = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
        if end is not None:
            chain = chain.filter(seq__lte=end)
        while batch := list(chain.filter(seq__gt=self.position)[:batch_size]):
            for event in batch:
                if problem := self._step(event):
                    return self._broken(*problem)
        if self.unkeyed_from is not None and not self.keyed:
            return self._broken(self.unkeyed_from, self.unkeyed_from.seq, UNVOUCHED)
        return VerifyResult(True, self.position)

    def _step(self, event: AuditEvent) -> tuple[AuditEvent, int, str] | None:
        """Why ``event`` cannot be the chain's next link (the event and position to name, and the reason),
        or None when it can; it then becomes the chain's end."""
        position = self.position + 1
        if event.seq != position:
            return event, position, (f"position {position} is missing from the chain before this event's "
                                     f"{event.seq} (an event was deleted)")
        if event.prev_hash != self.previous:
            return event, position, "prev_hash does not match the previous event (an event was deleted or altered)"
        if event.key_id and event.key_id not in self.keyring.by_id:
            return event, position, (f"sealed with the audit key {event.key_id}, which is not configured (keep "
                                     "retired keys in SHOUYE_AUDIT_KEY_FILE), or its key id was altered")
        if not event.key_id and self.keyed:
            return event, position, UNKEYED_AFTER_KEYED
        if compute_hash(event) != event.hash:
            if not event.key_id:
                return event, position, "content does not match its hash (the event was edited)"
            return event, position, (f"content does not match its hash under the audit key {event.key_id} "
                                     "(the event was edited, or the chain re-hashed by someone without the key)")
        if event.key_id:
            if self.unkeyed_from is not None and not self.keyed and event.verb != KEYED_VERB:
                return self.unkeyed_from, self.unkeyed_from.seq, UNVOUCHED
            self.keyed = True
        elif self.unkeyed_from is None:
            self.unkeyed_from = event
        self._compare_with_anchor(event)
        self.previous, self.position = event.hash, event.seq
        return None

    def _compare_with_anchor(self, event: AuditEvent) -> None:
        anchored = self.anchors.by_seq.get(event.seq)
        if anchored is None:
            return
        if anchored == bytes.fromhex(event.hash):
            self.matched += 1
            if self.anchor_mismatch is None:
                self.last_matching_anchor = event.seq
        elif self.anchor_mismatch is None:
            self.anchor_mismatch = event

    def _broken(self, event: AuditEvent, position: int, reason: str) -> VerifyResult:
        return VerifyResult(False, position - 1, event.id, reason, position)

    def against_anchors(self) -> VerifyResult:
        """After a sound walk: the first anchor the chain does not match, a position anchored twice with
        different hashes, an anchor beyond the chain's end, or no anchor at all for a chain that has events."""
        files = ", ".join(str(path) for path in self.anchors.files)
        if self.anchor_mismatch is not None:
            event = self.anchor_mismatch
            return VerifyResult(
                False, self.last_matching_anchor, event.id,
                f"its hash is not the one anchored outside the database ({self.anchors.lines_of(event.seq)[0]}): "
                f"the events after "
                f"position {self.last_matching_anchor}, the last that matches an anchor, up to this one were "
                "rewritten and re-hashed with the audit key — or this database is not the one the anchor file "
                "belongs to", self.last_matching_anchor + 1)
        if self.anchors.conflicts:
            seq = self.anchors.conflicts[0]
            return VerifyResult(
                False, seq - 1, None,
                f"position {seq} was anchored with different hashes ({' / '.join(self.anchors.lines_of(seq))}): "
                "it was sealed twice — after a database crash lost its newest seals, see docs/decisions/0006 — "
                "or an anchor was forged", seq)
        newest = self.anchors.newest
        if newest is not None and newest.seq > self.position:
            return VerifyResult(
                False, self.position, None,
                f"the chain ends at position {self.position}, but position {newest.seq} was anchored outside the "
                f"database ({newest.line}): the newest events were deleted, and the head moved back to hide it",
                self.position + 1)
        if newest is None and self.position > 0:
            return VerifyResult(
                False, self.position, None,
                f"no anchor of the chain was found in {files}: nothing outside the database confirms it (the "
                "anchor file was removed or replaced, or SHOUYE_AUDIT_ANCHOR_FILE points elsewhere)")
        return VerifyResult(True, self.position)


UNKEYED_AFTER_KEYED = ("hashed without the audit key (plain SHA-256) after events sealed with it: the chain was "
                       "re-hashed from here by someone who does not hold the key")
UNVOUCHED = ("hashed without the audit key (plain SHA-256), and no event sealed with the key vouches for it (only "
             "the upgrade to keyed sealing, migration audit.0005, vouches for the events sealed before it): the "
             "chain was re-hashed from here by someone who does not hold the key")


def _check_head(head: AuditHead, position: int, last_hash: str) -> VerifyResult:
    if head.last_seq == position and head.last_hash == last_hash:
        return VerifyResult(ok=True, checked=position)
    if head.last_seq != position:
        reason = (f"the chain ends at position {position} but position {head.last_seq} was recorded as the "
                  "newest (the newest events were deleted)")
    else:
        reason = "the newest event's hash is not the one recorded for it (the newest event was replaced)"
    return VerifyResult(False, position, None, reason, position + 1 if head.last_seq != position else position)


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
                        "Celery beat runs audit-seal), so it was unprotected until this verification sealed it",
                        position)
