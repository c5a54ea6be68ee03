"""Events are linked into the chain after their act commits (docs/decisions/0005): a chain position
``seq``, empty chain fields until sealed, and the head keeps the newest position instead of an id.

Existing events were linked in id order, so their positions are their order by id; the head's newest id
becomes that event's position (or one past the chain's end if that event is gone, so that verification
keeps reporting the deletion)."""

from django.db import migrations, models


def number_existing_events(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    schema_editor.execute(
        f"UPDATE {table} SET seq = numbered.position FROM "
        f"(SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position FROM {table}) AS numbered "
        f"WHERE {table}.id = numbered.id")


def head_at_position(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    for head in apps.get_model("audit", "AuditHead").objects.all():
        position = event_model.objects.filter(pk=head.last_seq).values_list("seq", flat=True).first()
        if position is None:
            position = (event_model.objects.aggregate(end=models.Max("seq"))["end"] or 0) + 1
        head.last_seq = position
        head.save(update_fields=["last_seq"])


def head_at_id(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    for head in apps.get_model("audit", "AuditHead").objects.all():
        head.last_seq = event_model.objects.filter(seq=head.last_seq).values_list("pk", flat=True).first() or 0
        head.save(update_fields=["last_seq"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_audit_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(number_existing_events, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"],
                               name="audit_event_unsealed"),
        ),
        migrations.RenameField(model_name="audithead", old_name="last_id", new_name="last_seq"),
        migrations.RunPython(head_at_position, head_at_id),
    ]
