"""Tip-offs get a receipt code (filled for the ones already received by the next migration, then made
unique), a reply to the sender, and what the township's check needs: its state, who sent it when, what to
check, the result. Township officers get the permission to check (issue 10)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0010_tip_off_hazards_found_by_the_officer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TipOffCheck",
            fields=[],
            options={
                "verbose_name": "tip-off to check",
                "verbose_name_plural": "tip-offs to check",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("hazards.tipoff",),
        ),
        migrations.AlterModelOptions(
            name="hazard",
            options={"ordering": ["-id"], "permissions": [
                ("report_hazard", "Can report hazards"),
                ("rectify_hazard", "Can rectify hazards of one's own enterprise"),
                ("assign_hazard", "Can order rectification and approve extensions"),
                ("verify_hazard", "Can re-inspect and close hazards"),
                ("expert_verify_hazard", "Can give the expert verification of a major hazard"),
                ("export_hazard", "Can export the hazard ledger"),
                ("triage_tipoff", "Can triage tip-offs"),
                ("check_tipoff", "Can check tip-offs sent to one's township"),
            ], "verbose_name": "hazard", "verbose_name_plural": "hazards"},
        ),
        migrations.AddField(
            model_name="tipoff",
            name="check_request",
            field=models.TextField(blank=True, verbose_name="what to check"),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="check_result",
            field=models.TextField(blank=True, verbose_name="result of the check"),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="checked at"),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="checked_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="public_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="reply to the sender"),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="receipt_code",
            field=models.CharField(editable=False, max_length=12, null=True, verbose_name="receipt code"),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent to the township at"),
        ),
        migrations.AddField(
            model_name="tipoff",
            name="sent_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="tipoff",
            name="state",
            field=models.CharField(choices=[("new", "New"), ("checking", "Sent to the township to check"),
                                            ("accepted", "Turned into a hazard"), ("dismissed", "Dismissed")],
                                   default="new", max_length=10, verbose_name="state"),
        ),
        migrations.AddIndex(
            model_name="tipoff",
            index=models.Index(fields=["township", "state"], name="hazards_tipoff_township_state"),
        ),
    ]
