"""Events are written without locking the chain and sealed into it after their act commits (issue 8,
defect 5; docs/decisions/0005): an act never waits for another user's open transaction; every committed
event is sealed — on commit, by the periodic job or by verification — into one gap-free chain; a
rolled-back act leaves neither an event nor a gap; and tampering, including deleting the newest events or
leaving an event unsealed too long, is reported."""

import importlib
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from shouye.audit import services as audit
from shouye.audit import tasks
from shouye.audit.models import AuditEvent, AuditHead
from shouye.audit.services import SEAL_GRACE, compute_hash, verify_chain
from shouye.enterprises import services as enterprises
from tests.concurrency import at_the_same_moment

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
#: How long a concurrency test lets a thread run before calling it stuck (a bound, not a speed target).
STUCK = 20


@pytest.fixture
def history(cast, committed):
    """Five committed, sealed events by two users."""
    with committed():
        for number, user in enumerate(["bureau_staff", "township_officer"] * 2 + ["bureau_staff"], 1):
            audit.record(actor=cast["users"][user], verb="test.note", note=f"第{number}条")
    return list(AuditEvent.objects.order_by("seq"))


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(TABLE)), params)


def positions() -> list[int | None]:
    return list(AuditEvent.objects.order_by("id").values_list("seq", flat=True))


def verify_message() -> str:
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    return str(failed.value)


# --- sealing ----------------------------------------------------------------------------------------


def test_an_event_is_written_unsealed_and_sealed_when_its_act_commits(cast, committed):
    with committed():
        with transaction.atomic():
            audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="一")
            pending = AuditEvent.objects.get()
            assert (pending.seq, pending.prev_hash, pending.hash) == (None, None, None)
    event = AuditEvent.objects.get()
    assert (event.seq, event.prev_hash, event.hash) == (1, audit.GENESIS, compute_hash(event))
    head = AuditHead.objects.get()
    assert (head.last_seq, head.last_hash) == (1, event.hash)


def test_events_whose_sealing_did_not_run_are_sealed_by_the_periodic_job(cast):
    """The process stopped between the commit and the seal (here: the test transaction never commits)."""
    audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="一")
    audit.record(actor=cast["users"]["township_officer"], verb="test.note", note="二")
    assert positions() == [None, None]
    assert tasks.seal_chain() == 2
    assert positions() == [1, 2]
    assert tasks.seal_chain() == 0
    assert verify_chain().ok
    task = PeriodicTask.objects.get(name="audit-seal")
    assert (task.task, task.crontab.minute, task.crontab.hour) == ("shouye.audit.tasks.seal_chain", "*", "*")


def test_an_act_seals_only_its_own_events(cast, committed):
    """Another act's events left unsealed (say, a large import's) are not this act's cost: the periodic job
    seals them."""
    audit.record_many(actor=cast["users"]["bureau_staff"], events=[("test.note", None, None, "")] * 3)
    with committed():
        own = audit.record(actor=cast["users"]["township_officer"], verb="test.note", note="自己的")
    assert positions() == [None, None, None, 1]
    assert AuditEvent.objects.get(seq=1).pk == own.pk
    assert tasks.seal_chain() == 3
    assert positions() == [2, 3, 4, 1] and verify_chain().ok


def test_a_large_act_is_sealed_in_chunks(cast, committed, monkeypatch):
    monkeypatch.setattr(audit, "SEAL_CHUNK", 2)
    with committed():
        audit.record_many(actor=cast["users"]["bureau_staff"], events=[("test.note", None, None, "")] * 5)
    assert positions() == [1, 2, 3, 4, 5]
    assert verify_chain().ok


def test_verify_seals_the_events_committed_since_the_last_seal(history, cast, capsys):
    audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="刚提交")
    call_command("audit", "verify")
    assert f"{len(history) + 1} events verified" in capsys.readouterr().out
    assert positions() == [1, 2, 3, 4, 5, 6]


def test_a_rolled_back_act_leaves_no_event_and_no_gap(history, cast, committed):
    with committed():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            audit.record(actor=cast["users"]["bureau_staff"], verb="test.rolled_back")
            raise ZeroDivisionError
        audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="之后")
    assert not AuditEvent.objects.filter(verb="test.rolled_back").exists()
    assert positions() == [1, 2, 3, 4, 5, 6]
    assert verify_chain().ok


def test_the_timeline_shows_an_event_that_is_not_sealed_yet(cast):
    enterprises.update_enterprise(actor=cast["users"]["bureau_staff"], enterprise=cast["inside"],
                                  data={"employees": 12})
    assert positions() == [None]
    client = Client()
    client.force_login(cast["users"]["bureau_staff"])
    page = client.get(f"/enterprises/{cast['inside'].pk}/").content.decode()
    timeline = page[page.index('id="timeline"'):]
    assert "bureau_staff" in timeline[:timeline.index("</ul>")]


# --- tampering ---------------------------------------------------------------------------------------


def test_deleting_the_newest_events_is_detected(history):
    raw("DELETE FROM {table} WHERE seq >= %s", [4])
    message = verify_message()
    assert "ends at position 3 but position 5 was recorded as the newest" in message
    assert "newest events were deleted" in message


def test_closing_the_gap_after_deleting_an_event_still_breaks_the_chain(history):
    """Renumbering the positions after a deletion hides the gap but not the broken link."""
    deleted, following = history[2], history[3]
    raw("DELETE FROM {table} WHERE id = %s", [deleted.id])
    raw("UPDATE {table} SET seq = seq - 1 WHERE seq > %s", [deleted.seq])
    raw(f"UPDATE {AuditHead._meta.db_table} SET last_seq = last_seq - 1")
    message = verify_message()
    assert f"broken at event {following.id} " in message
    assert "prev_hash does not match" in message


def test_replacing_the_newest_event_is_detected(history):
    newest = history[-1]
    newest.note = "伪造"
    raw("UPDATE {table} SET note = %s, hash = %s WHERE id = %s", ["伪造", compute_hash(newest), newest.id])
    assert "the newest event was replaced" in verify_message()


def test_an_event_left_unsealed_too_long_is_reported_once_sealed(history, cast):
    """Sealing had stopped: nothing protected the event until verification sealed it, which is reported."""
    late = audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="迟迟未封存")
    written = timezone.now() - SEAL_GRACE - timedelta(minutes=1)
    raw("UPDATE {table} SET created_at = %s WHERE id = %s", [written, late.id])
    message = verify_message()
    assert f"broken at event {late.id} " in message
    assert "still not sealed into the chain 5 minutes later" in message
    assert f"{len(history)} events before it verified" in message
    assert AuditEvent.objects.get(pk=late.pk).seq == len(history) + 1
    call_command("audit", "verify")


def test_an_event_younger_than_the_grace_is_not_reported(history, cast):
    recent = audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="刚写")
    raw("UPDATE {table} SET created_at = %s WHERE id = %s",
        [timezone.now() - SEAL_GRACE + timedelta(minutes=1), recent.id])
    assert verify_chain().ok


# --- the migration of events linked before sealing existed -------------------------------------------


def test_existing_events_take_their_order_by_id_as_their_positions(history):
    migration = importlib.import_module("shouye.audit.migrations.0003_chain_position_sealed_after_commit")
    raw("UPDATE {table} SET seq = NULL")
    raw(f"UPDATE {AuditHead._meta.db_table} SET last_seq = %s", [history[-1].id])  # the head held an id
    editor = connection.schema_editor()
    migration.number_existing_events(django_apps, editor)
    migration.head_at_position(django_apps, editor)
    assert positions() == [1, 2, 3, 4, 5]
    assert AuditHead.objects.get().last_seq == 5
    assert verify_chain().ok


def test_a_head_whose_newest_event_was_already_deleted_stays_reported(history):
    migration = importlib.import_module("shouye.audit.migrations.0003_chain_position_sealed_after_commit")
    raw("UPDATE {table} SET seq = NULL")
    raw("DELETE FROM {table} WHERE id = %s", [history[-1].id])
    raw(f"UPDATE {AuditHead._meta.db_table} SET last_seq = %s", [history[-1].id])
    editor = connection.schema_editor()
    migration.number_existing_events(django_apps, editor)
    migration.head_at_position(django_apps, editor)
    assert "newest events were deleted" in verify_message()


# --- PostgreSQL: acts beside a long import ------------------------------------------------------------


class Worker(threading.Thread):
    """Runs ``call`` in a thread with its own database connection; keeps its result or exception."""

    def __init__(self, call):
        super().__init__(daemon=True)
        self.call, self.result, self.error = call, None, None
        self.start()

    def run(self):
        try:
            self.result = self.call()
        except Exception as exc:  # noqa: BLE001  asserted on by the test
            self.error = exc
        finally:
            close_old_connections()
            connection.close()


@contextmanager
def import_held_open(actor, rows: int, *, commit: bool):
    """An import's write phase in another thread: ``rows`` events written in one transaction that stays
    open while the block runs, then commits or rolls back. Yields the importing thread."""
    written, release = threading.Event(), threading.Event()

    def run():
        with transaction.atomic():
            audit.record_many(actor=actor, events=[("enterprise.create", None, {"row": n}, "")
                                                   for n in range(rows)])
            written.set()
            if not release.wait(timeout=60):
                raise TimeoutError("the test never released the import")
            transaction.set_rollback(not commit)

    importer = Worker(run)
    try:
        assert written.wait(timeout=STUCK), importer.error
        yield importer
    finally:
        release.set()
        importer.join(timeout=60)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write transaction, so no act can run beside an import")
#: Threads need committed data, so these tests really commit. Serialized rollback leaves the tables empty
#: afterwards, not refilled by post_migrate, so that a later test that restores the migrations' rows (the
#: import's progress test) does not meet content types under other ids.
real_commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@real_commits
@postgres_only
def test_another_users_act_commits_and_is_sealed_while_the_import_is_open(cast):
    with import_held_open(cast["users"]["bureau_staff"], 3000, commit=True) as importer:
        act = Worker(lambda: audit.record(actor=cast["users"]["township_officer"], verb="test.note",
                                          note="不等导入"))
        act.join(timeout=STUCK)
        finished_while_open = not act.is_alive()
        sealed_while_open = AuditEvent.objects.filter(verb="test.note").values_list("seq", flat=True).first()
    act.join(timeout=60)
    assert finished_while_open, "the act waited for the import's transaction"
    assert act.error is None and importer.error is None
    assert sealed_while_open == 1
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert sorted(positions()) == list(range(1, 3002))
    assert verify_chain().ok


@real_commits
@postgres_only
def test_an_import_rolled_back_beside_other_acts_leaves_no_event_and_no_gap(cast):
    with import_held_open(cast["users"]["bureau_staff"], 500, commit=False):
        acts = [Worker(lambda n=n: audit.record(actor=cast["users"]["township_officer"], verb="test.note",
                                                note=str(n))) for n in range(3)]
        for act in acts:
            act.join(timeout=STUCK)
    assert all(not act.is_alive() and act.error is None for act in acts)
    assert not AuditEvent.objects.filter(verb="enterprise.create").exists()
    audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="之后")
    assert sorted(positions()) == [1, 2, 3, 4]
    assert verify_chain().ok


@real_commits
@postgres_only
def test_acts_committing_at_the_same_moment_are_all_sealed_into_one_chain(cast):
    """Sealers take turns at the chain's head, a chunk at a time: when every act has returned, every event
    is sealed, once, without gaps."""
    users = [cast["users"][name] for name in ("bureau_staff", "township_officer", "leader")] * 2
    _, errors = at_the_same_moment(*(
        lambda user=user: audit.record_many(actor=user, events=[("test.note", None, {"n": n}, "")
                                                                for n in range(50)])
        for user in users))
    assert not errors, errors
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert sorted(positions()) == list(range(1, 301))
    assert verify_chain().ok


def test_a_loader_that_defers_sealing_leaves_its_events_unsealed_until_it_ends_then_one_chain(cast, history,
                                                                                            committed):
    """The demo plays thousands of acts and seals once at the end (issue 10): inside the block the acts'
    events wait unsealed; when it ends they are in the chain, in id order, after the events before it."""
    with audit.sealing_deferred():
        for number in range(3):
            with committed():
                audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note=f"延后{number}")
        assert positions()[-3:] == [None, None, None]
    assert positions() == list(range(history[0].seq, history[0].seq + 8))
    assert verify_chain().ok


def test_an_act_after_the_deferring_block_seals_on_its_commit_again(cast, committed):
    with audit.sealing_deferred():
        pass
    with committed():
        audit.record(actor=cast["users"]["bureau_staff"], verb="test.note", note="之后")
    assert None not in positions()


def test_the_nightly_job_verifies_the_trail_and_logs_an_edited_event_as_an_error(history, caplog):
    """Nobody has to remember ``audit verify``: Celery beat runs it every night and the log says what broke."""
    task = PeriodicTask.objects.get(name="audit-verify")
    assert (task.task, task.crontab.hour, task.crontab.minute) == ("shouye.audit.tasks.verify_nightly", "2", "30")
    with caplog.at_level("INFO", logger="shouye.audit"):
        assert tasks.verify_nightly() is True
    assert "Audit trail intact: 5 events verified" in caplog.text
    edited = history[2]
    raw("UPDATE {table} SET note = %s WHERE id = %s", ["改过", edited.id])
    caplog.clear()
    assert tasks.verify_nightly() is False
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1 and f"broken at event {edited.id} " in errors[0].getMessage()
