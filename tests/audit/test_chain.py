"""The audit trail (ARCHITECTURE.md §6; issue 2): services append hash-chained events; `audit verify`
passes on an intact chain and names the first broken link when an event is edited or deleted behind the
application's back; the application itself cannot update or delete events; detail pages show timelines.

Events are linked into the chain ("sealed") when their act commits (issue 8, docs/decisions/0005); a test
transaction never commits, so the fixtures run the commit callbacks as a real commit would."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from shouye.audit import services as audit
from shouye.audit.models import AuditEvent
from shouye.audit.services import GENESIS, compute_hash, verify_chain
from shouye.core.identifiers import credit_code
from shouye.enterprises import services

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def history(cast, committed):
    """A few real acts by the services, committed and so sealed: three updates of two enterprises by two
    users, and two notes."""
    staff, officer = cast["users"]["bureau_staff"], cast["users"]["township_officer"]
    with committed():
        services.update_enterprise(actor=staff, enterprise=cast["inside"], data={"employees": 10})
        services.update_enterprise(actor=officer, enterprise=cast["inside"], data={"address": "马山镇新址1号"})
        services.update_enterprise(actor=staff, enterprise=cast["outside"], data={"employees": 99})
        audit.record(actor=staff, verb="test.note", note="第四条")
        audit.record(actor=officer, verb="test.note", note="第五条")
    return list(AuditEvent.objects.order_by("id"))


def raw(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(TABLE)), params)


def verify_message() -> str:
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    return str(failed.value)


# --- the chain --------------------------------------------------------------------------------------


def test_services_append_hash_chained_events(history):
    assert [e.verb for e in history] == ["enterprise.update"] * 3 + ["test.note"] * 2
    assert [e.seq for e in history] == [1, 2, 3, 4, 5]
    assert history[0].prev_hash == GENESIS
    for previous, event in zip(history, history[1:], strict=False):
        assert event.prev_hash == previous.hash
    for event in history:
        assert event.hash == compute_hash(event)
    assert len({e.hash for e in history}) == len(history)


def test_many_events_of_one_act_continue_the_chain_in_order(history, cast, committed):
    staff = cast["users"]["bureau_staff"]
    with committed():
        written = audit.record_many(actor=staff, events=[
            ("enterprise.create", cast["inside"], {"people": 1}, ""),
            ("enterprise.create", cast["outside"], {"people": 2}, "第二家"),
            ("test.note", None, None, "第三条"),
        ])
    events = list(AuditEvent.objects.order_by("id"))
    written = events[len(history):]
    assert events[:len(history)] == history and events[len(history):] == written
    assert [(e.verb, e.target_id, e.changes, e.note) for e in written] == [
        ("enterprise.create", str(cast["inside"].pk), {"people": 1}, ""),
        ("enterprise.create", str(cast["outside"].pk), {"people": 2}, "第二家"),
        ("test.note", "", {}, "第三条")]
    assert written[0].prev_hash == history[-1].hash and [e.seq for e in written] == [6, 7, 8]
    assert [e.prev_hash for e in written[1:]] == [e.hash for e in written[:-1]]
    assert all(e.actor == staff and e.hash == compute_hash(e) for e in written)
    assert verify_chain().ok
    assert audit.record_many(actor=staff, events=[]) == []
    assert AuditEvent.objects.count() == len(events)


def test_an_event_records_who_what_and_the_changed_fields(history, cast):
    event = history[1]
    assert event.actor == cast["users"]["township_officer"] and event.actor_name == "township_officer"
    assert event.target_type == "enterprises.enterprise" and event.target_id == str(cast["inside"].pk)
    assert event.target_repr == "马山内测化工有限公司"
    assert event.changes["fields"] == {"address": ["济南市长清区测试路1号", "马山镇新址1号"]}


def test_the_client_address_is_recorded(cast):
    client = Client(REMOTE_ADDR="10.20.30.40")
    client.force_login(cast["users"]["township_officer"])
    client.patch(f"/api/v1/enterprises/{cast['inside'].pk}/", {"employees": 5},
                 content_type="application/json")
    assert AuditEvent.objects.get(verb="enterprise.update").ip_address == "10.20.30.40"


def test_verify_passes_on_an_intact_chain(history, capsys):
    call_command("audit", "verify")
    assert f"{len(history)} events verified" in capsys.readouterr().out


def test_verify_passes_on_an_empty_trail(db):
    assert verify_chain().ok


def test_a_refused_act_leaves_no_event(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        services.update_enterprise(actor=cast["users"]["leader"], enterprise=cast["inside"], data={"name": "x"})
    with pytest.raises(Exception):  # noqa: B017
        services.update_enterprise(actor=cast["users"]["bureau_staff"], enterprise=cast["inside"],
                                   data={"credit_code": "123"})
    assert AuditEvent.objects.count() == before
    call_command("audit", "verify")


def test_an_event_written_in_a_rolled_back_transaction_disappears_with_it(history):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=None, actor_name="system", verb="test.rolled_back")
        raise ZeroDivisionError
    assert not AuditEvent.objects.filter(verb="test.rolled_back").exists()
    call_command("audit", "verify")


# --- tampering behind the application's back ---------------------------------------------------------


def test_editing_a_note_with_raw_sql_breaks_the_chain_at_that_event(history):
    target = history[3]
    raw("UPDATE {table} SET note = %s WHERE id = %s", ["改过的备注", target.id])
    message = verify_message()
    assert f"broken at event {target.id} " in message
    assert "edited" in message
    assert f"{3} events before it verified" in message


@pytest.mark.parametrize("column, value", [("verb", "enterprise.create"), ("actor_name", "someone"),
                                           ("target_id", "999"), ("created_at", "2020-01-01 00:00:00")])
def test_editing_any_recorded_field_is_detected(history, column, value):
    target = history[2]
    raw(f"UPDATE {{table}} SET {column} = %s WHERE id = %s", [value, target.id])
    assert verify_chain().broken_at == target.id


def test_editing_the_changes_is_detected(history):
    target = history[0]
    raw("UPDATE {table} SET changes = %s WHERE id = %s", ['{"fields": {"employees": ["0", "1"]}}', target.id])
    assert f"broken at event {target.id} " in verify_message()


def test_deleting_an_event_with_raw_sql_breaks_the_chain_at_the_next_one(history):
    deleted, following = history[2], history[3]
    raw("DELETE FROM {table} WHERE id = %s", [deleted.id])
    message = verify_message()
    assert f"broken at event {following.id} " in message
    assert "deleted" in message


def test_rehashing_an_edited_event_still_breaks_the_link_to_the_next(history):
    """An attacker who also recomputes the edited event's own hash is caught by the following event."""
    target, following = history[1], history[2]
    target.note = "伪造"
    forged = compute_hash(target)
    raw("UPDATE {table} SET note = %s, hash = %s WHERE id = %s", ["伪造", forged, target.id])
    assert f"broken at event {following.id} " in verify_message()


def test_verify_reads_the_chain_in_batches(history):
    raw("UPDATE {table} SET note = %s WHERE id = %s", ["x", history[4].id])
    result = verify_chain(batch_size=2)
    assert (result.ok, result.broken_at, result.checked) == (False, history[4].id, 4)


# --- the application cannot rewrite history ----------------------------------------------------------


def test_the_orm_refuses_to_update_or_delete_events(history):
    event = history[0]
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuntimeError):
        event.delete()
    event.note = "x"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["note"])
    assert AuditEvent.objects.count() == len(history)
    call_command("audit", "verify")


def test_deleting_an_audited_user_is_refused(history, cast):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        cast["users"]["township_officer"].delete()


# --- timelines --------------------------------------------------------------------------------------


def timeline_entries(html: str) -> list[str]:
    """The entries of the page's timeline card, newest first, as text."""
    card = html[html.index('id="timeline"'):]
    card = card[:card.index("</ul>")] if "</ul>" in card else ""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", card, re.S)]


def test_every_enterprise_detail_page_shows_its_own_timeline(history, cast):
    client = Client()
    client.force_login(cast["users"]["bureau_staff"])
    entries = {}
    for key in ("inside", "outside", "building"):
        response = client.get(f"/enterprises/{cast[key].pk}/")
        assert response.status_code == 200
        entries[key] = timeline_entries(response.content.decode())
    assert len(entries["inside"]) == 2 and len(entries["outside"]) == 1 and entries["building"] == []
    assert "township_officer" in entries["inside"][0] and "bureau_staff" in entries["inside"][1]
    assert "bureau_staff" in entries["outside"][0]
    assert not any("第四条" in entry for entry in entries["inside"] + entries["outside"])


def test_a_new_enterprise_starts_its_timeline_with_its_creation(cast):
    staff = cast["users"]["bureau_staff"]
    enterprise = services.create_enterprise(actor=staff, data={
        "name": "时间线测试有限公司", "credit_code": credit_code(4_242_424), "legal_representative": "甲",
        "township": cast["inside"].township, "industry": cast["inside"].industry,
        "supervision_grade": cast["inside"].supervision_grade,
    })
    client = Client()
    client.force_login(cast["users"]["township_officer"])
    entries = timeline_entries(client.get(f"/enterprises/{enterprise.pk}/").content.decode())
    assert len(entries) == 1 and "bureau_staff" in entries[0]
    assert entries[0][:10] == AuditEvent.objects.get(verb="enterprise.create").created_at.astimezone(
        ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")
