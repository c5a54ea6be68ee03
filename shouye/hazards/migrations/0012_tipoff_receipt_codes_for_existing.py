"""Every tip-off already received gets a random receipt code, each its own (a default on AddField would give
all rows the same one)."""

from django.db import migrations


def give_receipt_codes(apps, schema_editor):
    from shouye.hazards.models import new_receipt_code

    TipOff = apps.get_model("hazards", "TipOff")
    used = set(TipOff.objects.exclude(receipt_code=None).values_list("receipt_code", flat=True))
    for pk in TipOff.objects.filter(receipt_code=None).values_list("pk", flat=True).iterator():
        code = new_receipt_code()
        while code in used:
            code = new_receipt_code()
        used.add(code)
        TipOff.objects.filter(pk=pk).update(receipt_code=code)


class Migration(migrations.Migration):

    dependencies = [("hazards", "0011_tipoff_receipt_code_and_township_check")]

    operations = [migrations.RunPython(give_receipt_codes, migrations.RunPython.noop)]
