"""Every special plan already kept gets the topics its title names, by the words the incidents' response matched
titles with before plans had topics (so each plan applies to the same incidents as before), and a hazardous
chemicals plan (危险化学品, 危化) also that topic, which the same incidents (accidents) are matched with. A special
plan whose title names none of them is given "other", as a special plan names at least one topic. The bureau
corrects them on the plan's page. Comprehensive and on-site plans keep none."""

from django.db import migrations

#: The topic of each group of title words (the response's former TOPIC_WORDS, incident kind → plan topic).
WORDS = (
    ("hazardous_chemicals", ("危险化学品", "危化")),
    ("production_safety", ("安全生产", "生产安全", "事故")),
    ("forest_fire", ("森林", "火灾", "防火")),
    ("flood_drought", ("防汛", "洪", "汛")),
)
#: Plans written per query.
BATCH = 500


def topics_of(title: str) -> list[str]:
    return [topic for topic, words in WORDS if any(word in title for word in words)] or ["other"]


def fill_topics(apps, schema_editor):
    EmergencyPlan = apps.get_model("plans", "EmergencyPlan")
    changed = []
    for plan in EmergencyPlan.objects.filter(kind="special").only("pk", "title").iterator(chunk_size=BATCH):
        plan.topics = topics_of(plan.title)
        changed.append(plan)
    EmergencyPlan.objects.bulk_update(changed, ["topics"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [("plans", "0003_emergencyplan_topics")]

    operations = [migrations.RunPython(fill_topics, migrations.RunPython.noop)]
