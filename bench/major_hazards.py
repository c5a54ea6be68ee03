"""Major hazard installations at the district's scale (issue 11): a third of 10,000 enterprises with an
installation each, three responsible persons whose duties are investigation tasks (9 + 9 + 10 a person) with a
year of instances (done, missed, and the open ones); then the bureau's list, its filter by grade, the Excel
export, the API list, an installation's page and the overdue-duties count that the to-do badge and the
cockpit read (one SQL aggregate over the task instances), timed and with their queries counted.

    .venv/bin/python bench/major_hazards.py        # PostgreSQL, database shouye_mhi_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/major_hazards.py

The enterprises come from the enterprise benchmark's generator (bench/dataset.py); the installations are
bulk-inserted here (a benchmark measures reads, the services are tested elsewhere; the instances' records
and the daily totals are left out: nothing measured reads them), so a database that holds them already is
reused. Writes bench/results/major_hazards-<time>.json."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import display_url, ensure_postgres_database  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shouye_mhi_bench"
#: Targets of ARCHITECTURE.md §9 for a list page and an export of a few thousand rows.
LIST_P95_MAX_MS = 300.0
EXPORT_P95_MAX_MS = 2000.0
BADGE_P95_MAX_MS = 300.0
SEED = 11


def log(message: str) -> None:
    print(message, flush=True)


def generate(share: int, missed_share: float) -> int:
    """One installation for every ``share``-th enterprise, with substances, three persons appointed a year
    ago, their duty tasks and the tasks' windows of that year: done, or missed (``missed_share`` of them), and
    the current one due."""
    from django.db import transaction
    from django.utils import timezone

    from shouye.accounts.models import User
    from shouye.enterprises.models import Enterprise
    from shouye.major_hazards.duties import WORK_TYPES
    from shouye.major_hazards.models import (
        DutyItem,
        DutyTask,
        InstallationSubstance,
        MajorHazardInstallation,
        ResponsiblePerson,
    )
    from shouye.risks.generation import local_midnight
    from shouye.risks.models import InvestigationTask, TaskInstance

    if MajorHazardInstallation.objects.exists():
        log(f"  {MajorHazardInstallation.objects.count():,} installations already there: reused")
        return 0
    rng = random.Random(SEED)
    staff = User.objects.get(username="bench_staff")
    items = {role: list(DutyItem.objects.filter(role=role, active=True)) for role in WORK_TYPES}
    today = timezone.localdate()
    now = timezone.now()
    appointed = today - timedelta(days=365)
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "township_id", "industry_id")[::share])
    made = 0
    for start in range(0, len(enterprises), 200):
        chunk = enterprises[start:start + 200]
        with transaction.atomic():
            rows = MajorHazardInstallation.objects.bulk_create(MajorHazardInstallation(
                enterprise_id=pk, township_id=township, industry_id=industry, name=f"储罐区{pk}", kind="tank_farm",
                state=rng.choice(["draft", "filed", "filed"]), ratio_sum=Decimal("2.4"), is_major=True,
                alpha=Decimal("1.5"), r_value=Decimal(rng.choice(["5.4", "28.8", "72", "120"])),
                grade=rng.choice([1, 2, 3, 4]), basis="GB 18218-2018", inputs={"substances": []},
                next_assessment_due=today + timedelta(days=rng.randint(-30, 700)), computed_at=timezone.now())
                for pk, township, industry in chunk)
            InstallationSubstance.objects.bulk_create(InstallationSubstance(
                installation=row, name="甲醇", quantity_t=Decimal(1200), critical_quantity_t=Decimal(500),
                beta=Decimal(1)) for row in rows)
            persons = ResponsiblePerson.objects.bulk_create(ResponsiblePerson(
                installation=row, role=role, name="张三", post="岗位", phone="13812345678",
                appointed_on=appointed) for row in rows for role in items)
            pairs = [(person, item) for person in persons for item in items[person.role]]
            tasks = InvestigationTask.objects.bulk_create(InvestigationTask(
                enterprise_id=person.installation.enterprise_id, township_id=person.installation.township_id,
                industry_id=person.installation.industry_id, title=item.text[:200], work_type=WORK_TYPES[person.role],
                task_number=item.number, cycle=item.frequency_days, cycle_unit="day",
                starts_at=local_midnight(appointed), post=person.post, before_key_periods=item.before_key_periods,
                created_by=staff, generated_until=local_midnight(today + timedelta(days=2)))
                for person, item in pairs)
            DutyTask.objects.bulk_create(DutyTask(person=person, item=item, task=task)
                                         for (person, item), task in zip(pairs, tasks, strict=True))
            instances = []
            for task in tasks:
                opens = appointed
                while opens <= today:
                    closes = opens + timedelta(days=task.cycle)
                    due_from, due_by = local_midnight(opens), local_midnight(closes)
                    if due_by > now:
                        state, done_at, missed_at = "due", None, None
                    elif rng.random() < missed_share:
                        state, done_at, missed_at = "missed", None, due_by
                    else:
                        state, done_at, missed_at = "done", due_from + timedelta(hours=rng.randint(8, 40)), None
                    instances.append(TaskInstance(
                        enterprise_id=task.enterprise_id, township_id=task.township_id,
                        industry_id=task.industry_id, task=task, due_from=due_from, due_by=due_by, state=state,
                        done_at=done_at, done_by=staff if done_at else None, missed_at=missed_at))
                    opens = closes
            TaskInstance.objects.bulk_create(instances, batch_size=5000)
        made += len(rows)
        log(f"  {made:,} installations …")
    return made


def measure(iterations: int, warmup: int) -> dict:
    from django.test import Client

    from bench.measure import count_queries, summary, time_request
    from shouye.accounts.models import User
    from shouye.core.registry import cockpit_panels, todo_providers
    from shouye.major_hazards.models import MajorHazardInstallation

    staff = User.objects.get(username="bench_staff")
    client = Client()
    client.force_login(staff)
    first = MajorHazardInstallation.objects.order_by("pk").first()
    urls = {"list": "/major-hazards/", "list_grade_1": "/major-hazards/?grade=1",
            "api_list": "/api/v1/major-hazard-installations/", "detail": f"/major-hazards/{first.pk}/",
            "export": "/major-hazards/export/"}
    cases = {}
    for name, url in urls.items():
        cases[name] = {**time_request(client, url, iterations, warmup), **count_queries(client, url)}
        log(f"  {name}: p95 {cases[name]['p95_ms']} ms, {cases[name].get('queries')} queries")
    provider = todo_providers.providers["major-hazards-overdue-duties"]
    panel = cockpit_panels.panels["major-hazards-by-grade"]
    for name, call in (("overdue_count", lambda: provider.count(staff)),
                       ("overdue_items", lambda: provider.items(staff, 5)), ("cockpit", lambda: panel.data(staff))):
        samples = []
        for _ in range(warmup):
            call()
        for _ in range(iterations):
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        cases[name] = summary(samples)
        log(f"  {name}: p95 {cases[name]['p95_ms']} ms")
    cases["overdue_count"]["value"] = provider.count(staff)
    return cases


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="enterprises")
    parser.add_argument("--share", type=int, default=3, help="one installation per this many enterprises")
    parser.add_argument("--missed", type=float, default=0.1, help="share of the closed duty windows missed")
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    load_at_start = load_average()
    ensure_postgres_database(url)
    from bench.hazard_ledger import setup_django

    setup_django(url)
    from bench import dataset
    from shouye.major_hazards.models import MajorHazardInstallation
    from shouye.risks.models import TaskInstance

    log(f"Preparing {display_url(url)} …")
    prepared = dataset.prepare(args.count, log)
    made = generate(args.share, args.missed)
    if made:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    duty_instances = TaskInstance.objects.filter(task__duty__isnull=False).count()
    log(f"  {MajorHazardInstallation.objects.count():,} installations, {duty_instances:,} duty task instances")
    cases = measure(args.iterations, args.warmup)
    targets = [
        {"name": "installations list p95 (ms)", "value": cases["list"]["p95_ms"], "max": LIST_P95_MAX_MS,
         "pass": cases["list"]["p95_ms"] <= LIST_P95_MAX_MS},
        {"name": "Excel export of the district p95 (ms)", "value": cases["export"]["p95_ms"],
         "max": EXPORT_P95_MAX_MS, "pass": cases["export"]["p95_ms"] <= EXPORT_P95_MAX_MS},
        {"name": "overdue-duties count p95 (ms)", "value": cases["overdue_count"]["p95_ms"], "max": BADGE_P95_MAX_MS,
         "pass": cases["overdue_count"]["p95_ms"] <= BADGE_P95_MAX_MS},
    ]
    report = write_report("major_hazards", load_at_start=load_at_start, targets=targets, body={
        "settings": vars(args) | {"database": display_url(url)}, "prepared": prepared,
        "installations": MajorHazardInstallation.objects.count(), "duty_task_instances": duty_instances,
        "cases": cases})
    for target in targets:
        log(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['value']}")
    log(f"Report: {', '.join(report['files'])}")


if __name__ == "__main__":
    main()
