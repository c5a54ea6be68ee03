"""Events are hashed with an HMAC under a key kept outside the database, which each records by its id
(docs/decisions/0006).

Events sealed before this migration keep their plain SHA-256 hashes and an empty key id: rewriting them
under the key would be exactly the re-hashing the key is there to expose, and would also launder any
tampering done before. Instead, when the chain has events, this migration appends one event sealed with the
key, ``audit.keyed``, whose hash covers the last of them: from then on nobody without the key can rewrite
the earlier events (verification accepts plain SHA-256 events only as the prefix such an event vouches
for) and its anchor, written outside the database once the migration commits, pins them all. A fresh
installation has no events, so nothing is vouched for and every event is keyed from the first.

Stop the web server, the worker and beat before migrating: a process still running the previous code
would seal events without the key after this one, which verification reports. Migrating back is sound only
while no event has been sealed with a key."""

from django.db import migrations, models, transaction
from django.utils import timezone

HEAD_PK = 1


def vouch_for_unkeyed_events(apps, schema_editor):
    from shouye.audit import anchors, keys
    from shouye.audit.services import KEYED_VERB, canonical

    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditHead")
    head = head_model.objects.select_for_update().filter(pk=HEAD_PK).first()
    end = event_model.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    if end is None and (head is None or head.last_seq == 0):
        return
    # After the head, as the sealer would continue; after the chain's end should that lie beyond the head,
    # so that the voucher never takes a position already given.
    last_seq, last_hash = (head.last_seq, head.last_hash) if head is not None else end
    if end is not None and end[0] > last_seq:
        last_seq, last_hash = end
    key = keys.keyring().signing
    voucher = event_model(
        created_at=timezone.now(), actor=None, actor_name="system", ip_address=None, verb=KEYED_VERB,
        target_type="", target_id="", target_repr="", changes={"unkeyed_until": last_seq, "key_id": key.id},
        note="", seq=last_seq + 1, prev_hash=last_hash, key_id=key.id)
    voucher.hash = key.mac(canonical(voucher))
    voucher.save()
    head_model.objects.update_or_create(pk=HEAD_PK, defaults={"last_seq": voucher.seq, "last_hash": voucher.hash})
    transaction.on_commit(lambda: anchors.append(voucher.seq, voucher.hash))


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_seal_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", editable=False, max_length=16),
        ),
        migrations.RunPython(vouch_for_unkeyed_events, migrations.RunPython.noop),
    ]
