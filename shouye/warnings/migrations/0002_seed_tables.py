"""Seed the measure templates (突发事件应对法 2024 Art. 66 for levels 3–4, Art. 66 + 67 for levels 1–2) and
the fire-danger scale (REGULATIONS-2.md §E.7; colours mapping (a) 黄=3, 橙=4, 红=5 — the sources disagree, so
the bureau edits them). No seasons: Jinan's dates are not in the sources ([U])."""

from django.db import migrations

from shouye.rules.data.early_warnings import (
    ARTICLE_MEASURES,
    FIRE_DANGER_COLOURS,
    FIRE_DANGER_LEVELS,
    LEVEL_ARTICLES,
)


def seed(apps, schema_editor):
    MeasureTemplate = apps.get_model("warnings", "MeasureTemplate")
    FireDangerLevel = apps.get_model("warnings", "FireDangerLevel")
    MeasureTemplate.objects.bulk_create([
        MeasureTemplate(level=level, article=article, position=position, text=text)
        for level, articles in LEVEL_ARTICLES.items() for article in articles
        for position, text in enumerate(ARTICLE_MEASURES[article], start=1)])
    FireDangerLevel.objects.bulk_create([
        FireDangerLevel(level=level, name=name, action=action, colour=FIRE_DANGER_COLOURS[level])
        for level, (name, action) in FIRE_DANGER_LEVELS.items()])


def unseed(apps, schema_editor):
    apps.get_model("warnings", "MeasureTemplate").objects.all().delete()
    apps.get_model("warnings", "FireDangerLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("warnings", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
