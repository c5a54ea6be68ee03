"""The default investigation frequencies offered when a task is set up (TaskFrequencyDefault, editable data),
and the Celery beat entries of the task engine.

Frequencies of hazardous-chemical enterprises from 《危险化学品企业安全风险隐患排查治理导则》 (应急〔2019〕78号),
REGULATIONS-2 §A.5, known only from a re-worded copy [P], so they are rows an administrator may edit, each with
its basis and marker; the 包保 technical responsible person's quarterly investigation from 应急厅〔2021〕12号
Art. 5 (REGULATIONS-2 §B.2) [C]. "≥ 2 professional checks a day" is offered as a 12-hour cycle, "once a
quarter" and "every half-year" as 3 and 6 months.

Celery beat: "risk-tasks-daily" creates the instances up to the end of tomorrow and records missed ones
(00:20 Asia/Shanghai); "risk-tasks-missed" records missed instances every hour at :05, so an hourly window
that closed shows as missed within the hour."""

from django.db import migrations

from shouye.core.schedules import crontab_task, daily_task

_78 = "《危险化学品企业安全风险隐患排查治理导则》（应急〔2019〕78号）"
DEFAULTS = [
    ("operator-patrol-1h", "“两重点一重大”装置操作人员现场巡检", "routine", 1, "hour",
     f"{_78}：操作人员现场巡检间隔1小时 [P]（转述本，原文措辞待核）"),
    ("workshop-professional-12h", "基层车间工艺、设备技术人员及电气、仪表人员专业检查", "professional", 12, "hour",
     f"{_78}：每天至少2次专业性排查 [P]"),
    ("unit-monthly", "基层单位（厂）排查", "routine", 1, "month",
     f"{_78}：基层单位（厂）每月至少1次，可与岗位责任制检查结合 [P]"),
    ("enterprise-seasonal-quarterly", "企业季节性排查", "seasonal", 3, "month",
     f"{_78}：企业每季度1次季节性排查 [P]"),
    ("enterprise-comprehensive-half-year", "企业综合性排查", "comprehensive", 6, "month",
     f"{_78}：企业综合性排查和专业性排查每半年不少于1次 [P]"),
    ("enterprise-professional-half-year", "企业专业性排查", "professional", 6, "month",
     f"{_78}：企业综合性排查和专业性排查每半年不少于1次 [P]"),
    ("unit-comprehensive-quarterly", "基层单位综合性排查", "comprehensive", 3, "month",
     f"{_78}：基层单位综合性排查和专业性排查每季度不少于1次 [P]"),
    ("unit-professional-quarterly", "基层单位专业性排查", "professional", 3, "month",
     f"{_78}：基层单位综合性排查和专业性排查每季度不少于1次 [P]"),
    ("mhi-technical-quarterly", "重大危险源技术负责人针对性排查", "professional", 3, "month",
     "《危险化学品重大危险源安全包保责任制办法（试行）》（应急厅〔2021〕12号）第5条：每季度至少1次 [C]"),
]


def seed(apps, schema_editor):
    model = apps.get_model("risks", "TaskFrequencyDefault")
    for order, (key, label, kind, cycle, unit, basis) in enumerate(DEFAULTS, start=1):
        model.objects.update_or_create(key=key, defaults={
            "label": label, "investigation_type": kind, "cycle": cycle, "cycle_unit": unit, "basis": basis,
            "order": order * 10})


def unseed(apps, schema_editor):
    apps.get_model("risks", "TaskFrequencyDefault").objects.filter(key__in=[row[0] for row in DEFAULTS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("risks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        daily_task("risk-tasks-daily", "shouye.risks.tasks.generate_instances", hour=0, minute=20,
                   description="排查任务实例生成与漏检记录 Investigation task instances and missed ones"),
        crontab_task("risk-tasks-missed", "shouye.risks.tasks.mark_missed", hour="*", minute="5",
                     description="排查任务漏检记录 Missed investigation task instances"),
    ]
