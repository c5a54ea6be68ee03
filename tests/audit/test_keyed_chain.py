"""The audit chain is verifiable against what the database's writer does not hold (issue 9, item 11;
docs/decisions/0006): each link is an HMAC under a key kept outside the database, and each seal appends the
chain's position and hash to an anchor file outside it. Whoever rewrites the database and re-hashes the
chain with plain SHA-256 or a guessed key, deletes its newest events and moves the head back, or rewrites it
with the key itself, is reported by `shouye audit verify`, naming the first position that is not as sealed —
on a fresh installation from its first event."""

import hashlib
import hmac
import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.test import APIClient

from shouye.audit import anchors, keys, tasks
from shouye.audit import services as audit
from shouye.audit.models import AuditEvent, AuditHead
from shouye.audit.services import GENESIS, KEYED_VERB, verify_chain

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TABLE = AuditEvent._meta.db_table
HEAD_TABLE = AuditHead._meta.db_table


@pytest.fixture
def history(cast, committed):
    """Five events of five acts by two users, each act sealed, and so anchored, as it commits."""
    with committed():
        for number, user in enumerate(["bureau_staff", "township_officer"] * 2 + ["bureau_staff"], 1):
            audit.record(actor=cast["users"][user], verb="test.note", note=f"第{number}条")
    return list(AuditEvent.objects.order_by("seq"))


@pytest.fixture
def anchor_file(settings) -> Path:
    return Path(settings.SHOUYE_AUDIT_ANCHOR_FILE)


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(TABLE))
                       .replace("{head}", connection.ops.quote_name(HEAD_TABLE)), params)


def verify_message(*options) -> str:
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", *options)
    return str(failed.value)


def verify_output(capsys, *options) -> str:
    call_command("audit", "verify", *options)
    return capsys.readouterr().out


# --- what someone who can write the database does ------------------------------------------------------


def content(event: AuditEvent) -> bytes:
    """The bytes the chain hashes, rebuilt from the open-source code's description as an attacker would."""
    return json.dumps({
        "created_at": event.created_at.isoformat(), "actor_id": event.actor_id, "actor_name": event.actor_name,
        "ip_address": event.ip_address, "verb": event.verb, "target_type": event.target_type,
        "target_id": event.target_id, "target_repr": event.target_repr, "changes": event.changes,
        "note": event.note, "prev_hash": event.prev_hash,
    }, sort_keys=True, ensure_ascii=False, default=str).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hmac_with(key: str):
    return lambda data: hmac.new(key.encode(), data, hashlib.sha256).hexdigest()


def rehash(start: int, hasher, *, key_id: str | None = None, end: int | None = None) -> None:
    """Re-hash the chain from position ``start`` to ``end`` (its end by default) with ``hasher`` over each
    event's current content, linking each to the rewritten previous one, optionally relabelling the key id,
    and move the head to the new end — everything the chain itself records, written with raw SQL."""
    previous = GENESIS if start == 1 else AuditEvent.objects.get(seq=start - 1).hash
    events = AuditEvent.objects.filter(seq__gte=start).order_by("seq")
    for event in events.filter(seq__lte=end) if end else events:
        event.prev_hash = previous
        previous = hasher(content(event))
        if key_id is None:
            raw("UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", [event.prev_hash, previous, event.id])
        else:
            raw("UPDATE {table} SET prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
                [event.prev_hash, previous, key_id, event.id])
        last = event.seq
    if end is None:
        raw("UPDATE {head} SET last_seq = %s, last_hash = %s", [last, previous])


def edit_note(event: AuditEvent, note: str) -> None:
    raw("UPDATE {table} SET note = %s WHERE id = %s", [note, event.id])


# --- re-hashed without the key ---------------------------------------------------------------------------


@pytest.mark.parametrize("relabel", [False, True], ids=["key id kept", "key id cleared"])
def test_an_edit_with_the_whole_chain_rehashed_with_sha256_is_reported(history, relabel):
    edit_note(history[2], "改过的备注")
    rehash(1, sha256, key_id="" if relabel else None)
    message = verify_message()
    assert f"broken at event {history[0].id} (position 1:" in message
    assert "audit key" in message and "re-hashed" in message
    assert "0 events before it verified" in message


@pytest.mark.parametrize("hasher", [
    sha256, hmac_with("dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"),
    hmac_with("shouye-audit-key-0123456789abcdefghijklmnopqrstuvwxyz"),
], ids=["sha256", "hmac with the development SECRET_KEY", "hmac with a guessed key"])
def test_an_edit_rehashed_from_the_edited_event_on_is_reported_at_that_event(history, hasher):
    edit_note(history[2], "改过的备注")
    rehash(3, hasher)
    message = verify_message()
    assert f"broken at event {history[2].id} (position 3:" in message
    assert "re-hashed by someone without the key" in message
    assert "2 events before it verified" in message


def test_plain_sha256_events_after_keyed_ones_are_reported(history):
    edit_note(history[3], "改过的备注")
    rehash(4, sha256, key_id="")
    message = verify_message()
    assert f"broken at event {history[3].id} (position 4:" in message
    assert "hashed without the audit key (plain SHA-256) after events sealed with it" in message


# --- anchors outside the database ----------------------------------------------------------------------


def test_each_seal_is_anchored_outside_the_database(history, anchor_file, capsys):
    lines = anchor_file.read_text().splitlines()
    assert [line.split(" ", 1)[1] for line in lines] == [
        f"shouye-audit-anchor seq={event.seq} hash={event.hash}" for event in history]
    output = verify_output(capsys)
    assert "Audit trail intact: 5 events verified with the audit key." in output
    assert "5 anchors outside the database match the chain; the newest pins position 5" in output


def test_a_fresh_installation_anchors_its_first_event(cast, anchor_file, committed):
    client = APIClient()
    client.force_authenticate(cast["users"]["bureau_staff"])
    with committed():
        response = client.patch(f"/api/v1/enterprises/{cast['inside'].pk}/", {"employees": 7}, format="json")
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert anchor_file.read_text().endswith(f" shouye-audit-anchor seq=1 hash={event.hash}\n")
    assert verify_chain().ok
    raw("DELETE FROM {table}")
    raw("DELETE FROM {head}")
    message = verify_message()
    assert "broken at position 1 (the chain ends at position 0, but position 1 was anchored" in message


def test_deleting_the_newest_events_and_moving_the_head_back_is_reported_against_the_anchor(history):
    raw("DELETE FROM {table} WHERE seq >= %s", [4])
    raw("UPDATE {head} SET last_seq = %s, last_hash = %s", [3, history[2].hash])
    message = verify_message()
    assert "broken at position 4 (the chain ends at position 3, but position 5 was anchored outside the database" in message
    assert "the newest events were deleted" in message
    assert "3 events verified" in message


def test_rewriting_and_rehashing_with_the_key_itself_is_reported_against_the_anchors(history, settings):
    """Someone who also holds the key (read off the application server) rewrites the chain consistently;
    the anchors, written before, do not follow."""
    edit_note(history[1], "伪造")
    rehash(2, hmac_with(settings.SHOUYE_AUDIT_KEY))
    assert verify_chain().broken_at == history[1].id
    message = verify_message()
    assert f"broken at event {history[1].id} (position 2: its hash is not the one anchored outside the database" in message
    assert "the events after position 1, the last that matches an anchor, up to this one were rewritten" in message


def test_a_chain_without_any_anchor_is_reported(history, anchor_file):
    anchor_file.unlink()
    message = verify_message()
    assert "no anchor of the chain was found" in message and str(anchor_file) in message


def test_two_different_hashes_anchored_for_one_position_are_reported(history, anchor_file):
    with anchor_file.open("a") as file:
        file.write(f"{anchors.line_for(2, 'f' * 64)}\n")
    assert "position 2 was anchored with different hashes" in verify_message()


def test_the_periodic_job_anchors_a_head_the_anchor_file_does_not_reach(history, anchor_file):
    anchor_file.rename(anchor_file.with_name("audit-anchor.log.1"))  # rotated
    tasks.seal_chain()
    assert anchor_file.read_text().endswith(f" shouye-audit-anchor seq=5 hash={history[-1].hash}\n")
    assert verify_chain().ok
    tasks.seal_chain()
    assert len(anchor_file.read_text().splitlines()) == 1


def test_verify_checks_an_archived_anchor_file(history, anchor_file, tmp_path, capsys):
    """Someone with the server too deletes the newest events and rewrites the anchor file to match; the
    bureau's archived copy still tells."""
    archived = tmp_path / "archive" / "audit-anchor-2026.log"
    archived.parent.mkdir()
    shutil.copy(anchor_file, archived)
    raw("DELETE FROM {table} WHERE seq >= %s", [4])
    raw("UPDATE {head} SET last_seq = %s, last_hash = %s", [3, history[2].hash])
    anchor_file.write_text("".join(f"{anchors.line_for(e.seq, e.hash)}\n" for e in history[:3]))
    assert "Audit trail intact: 3 events verified" in verify_output(capsys)
    message = verify_message("--anchors", str(archived))
    assert "but position 5 was anchored outside the database" in message


def test_anchor_lines_go_to_syslog_when_configured_and_a_syslog_extract_verifies(history, tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(60)  # a bound for a stuck child, not a speed target
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
               "SHOUYE_AUDIT_ANCHOR_SYSLOG": f"127.0.0.1:{receiver.getsockname()[1]}",
               "SHOUYE_AUDIT_ANCHOR_FILE": str(tmp_path / "child-anchor.log")}
        child = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from shouye.audit import anchors; "
                                   f"anchors.append({history[-1].seq}, '{history[-1].hash}')"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert child.returncode == 0, child.stderr
        message = receiver.recv(4096).decode()
    assert f"shouye-audit-anchor seq=5 hash={history[-1].hash}" in message
    extract = tmp_path / "syslog-extract.log"
    extract.write_text(f"Dec  6 15:48:47 shouye-app shouye: {message.split('>', 1)[1].strip(chr(0) + ' ')}\n"
                       "Dec  6 15:48:48 shouye-app sshd[42]: unrelated line\n")
    assert verify_chain(anchor_files=[extract]).ok
    raw("DELETE FROM {table} WHERE seq = %s", [5])
    raw("UPDATE {head} SET last_seq = %s, last_hash = %s", [4, history[3].hash])
    assert verify_chain(anchor_files=[extract]).position == 5


# --- keys ----------------------------------------------------------------------------------------------


def test_a_rotated_key_keeps_the_events_it_signed_verifiable(history, settings, tmp_path, committed, cast):
    old_key = settings.SHOUYE_AUDIT_KEY
    key_file = tmp_path / "audit-keys"
    key_file.write_text(f"# newest first\n{'n' * 40}\n{old_key}\n")
    settings.SHOUYE_AUDIT_KEY, settings.SHOUYE_AUDIT_KEY_FILE = "", str(key_file)
    with committed():
        audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="新密钥之后")
    ids = list(AuditEvent.objects.order_by("seq").values_list("key_id", flat=True))
    assert ids == [keys.key_id(old_key.encode())] * 5 + [keys.key_id(b"n" * 40)]
    assert verify_chain().ok
    key_file.write_text(f"{'n' * 40}\n")
    keys.keyring.cache_clear()  # the processes restarted after the change, as a key change requires
    message = verify_message()
    assert f"broken at event {history[0].id} (position 1: sealed with the audit key {ids[0]}, which is not configured" in message


def test_without_a_configured_key_a_development_key_is_made_once_under_var(settings, tmp_path, cast, committed):
    settings.SHOUYE_AUDIT_KEY, settings.VAR_DIR = "", tmp_path / "var"
    with committed():
        audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="开发密钥")
    key_path = tmp_path / "var" / keys.DEVELOPMENT_KEY_FILE
    assert key_path.stat().st_mode & 0o777 == 0o600
    assert AuditEvent.objects.get().key_id == keys.key_id(key_path.read_text().strip().encode())
    keys.keyring.cache_clear()
    assert verify_chain().ok
    assert [p.name for p in key_path.parent.iterdir()] == [keys.DEVELOPMENT_KEY_FILE]


# --- an installation whose chain was sealed before keys ------------------------------------------------


@pytest.fixture
def upgraded(history, anchor_file, committed):
    """The history as the previous release left it — plain SHA-256, no key ids, no anchors — then migrated:
    audit.0005 appends the keyed event that vouches for it."""
    rehash(1, sha256, key_id="")
    anchor_file.unlink()
    migration = importlib.import_module("shouye.audit.migrations.0005_keyed_chain")
    with committed():
        migration.vouch_for_unkeyed_events(django_apps, connection.schema_editor())
    return list(AuditEvent.objects.order_by("seq"))


def test_an_upgraded_chain_keeps_its_plain_events_vouched_for_by_a_keyed_one(upgraded, anchor_file, cast, committed):
    voucher = upgraded[-1]
    assert [e.key_id for e in upgraded] == [""] * 5 + [keys.keyring().signing.id]
    assert (voucher.seq, voucher.verb, voucher.prev_hash) == (6, KEYED_VERB, upgraded[4].hash)
    assert voucher.changes["unkeyed_until"] == 5
    assert anchor_file.read_text().endswith(f" shouye-audit-anchor seq=6 hash={voucher.hash}\n")
    with committed():
        audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="升级之后")
    assert AuditEvent.objects.get(seq=7).key_id == voucher.key_id
    assert verify_chain().ok


def test_a_vouched_for_plain_event_rewritten_and_rehashed_is_reported(upgraded):
    edit_note(upgraded[1], "伪造")
    rehash(2, sha256, end=5)
    message = verify_message()
    assert f"broken at event {upgraded[5].id} (position 6: prev_hash does not match" in message


def test_a_fresh_installation_has_nothing_to_vouch_for(db):
    migration = importlib.import_module("shouye.audit.migrations.0005_keyed_chain")
    migration.vouch_for_unkeyed_events(django_apps, connection.schema_editor())
    assert not AuditEvent.objects.exists()


def test_an_unreadable_key_file_is_a_clear_refusal_to_verify(history, settings, tmp_path):
    settings.SHOUYE_AUDIT_KEY, settings.SHOUYE_AUDIT_KEY_FILE = "", str(tmp_path / "no-such-key-file")
    message = verify_message()
    assert message.startswith("Audit trail not verified: SHOUYE_AUDIT_KEY_FILE")
    assert "cannot be read" in message
