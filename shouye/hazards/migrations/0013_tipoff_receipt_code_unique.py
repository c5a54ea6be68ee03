"""The receipt code, now on every tip-off, is required and unique."""

from django.db import migrations, models

import shouye.hazards.models


class Migration(migrations.Migration):

    dependencies = [("hazards", "0012_tipoff_receipt_codes_for_existing")]

    operations = [
        migrations.AlterField(
            model_name="tipoff",
            name="receipt_code",
            field=models.CharField(default=shouye.hazards.models.new_receipt_code, editable=False, max_length=12,
                                   unique=True, verbose_name="receipt code"),
        ),
    ]
