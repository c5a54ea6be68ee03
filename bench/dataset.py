"""The benchmark's databases: where they live, how they are created, and the data in them.

Imported before Django is set up (``database_urls``, ``ensure_postgres_database``) and after it (the rest)."""

from __future__ import annotations

import time
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/shouye_bench"

#: Seed of the generator, so two runs at the same size hold the same enterprises.
SEED = 2026
#: Enterprises written per transaction: large enough for speed, small enough to stay under PostgreSQL's
#: 65,535 bind parameters per statement (3,000 people × 8 columns).
BATCH = 1000

#: The two users the list is measured for: the whole district, and one township (ARCHITECTURE.md §5).
STAFF_USERNAME = "bench_staff"
TOWNSHIP_USERNAME = "bench_mashan"
TOWNSHIP_CODE = "370113107"  # 马山镇


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def database_urls(base_url: str, big: int, small: int) -> dict[int, str]:
    """One database per size. On PostgreSQL the small one is the big one's name + ``_small``; anything
    else runs on SQLite files under bench/data/."""
    if is_postgres(base_url):
        parts = urlsplit(base_url)
        name = parts.path.lstrip("/") or "shouye_bench"
        small_url = urlunsplit(parts._replace(path=f"/{name}_small"))
        return {big: urlunsplit(parts._replace(path=f"/{name}")), small: small_url}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {size: f"sqlite:///{DATA_DIR / f'enterprise_list-{size}.sqlite3'}" for size in (big, small)}


def display_url(url: str) -> str:
    """The URL without its password, for reports."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def ensure_postgres_database(url: str) -> bool:
    """Create the database named in ``url`` when missing, connecting to the server's ``postgres``
    database. Answers whether it was created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def prepare(target: int, log) -> dict:
    """Migrate, load the reference data and the two users, and generate enterprises up to ``target``.
    Data already there is reused, so a second run only measures."""
    from django.apps import apps
    from django.core.management import call_command

    from shouye.enterprises import demo, reference_data

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    reference_data.load(apps)
    demo.load_regions()
    _ensure_users()
    created = _generate(target, log)
    if created:
        _analyze()
    return {"created": created, "prepare_seconds": round(time.perf_counter() - started, 1), **row_counts()}


def _ensure_users() -> None:
    from shouye.accounts.choices import Role
    from shouye.accounts.models import Membership, Organisation, User
    from shouye.enterprises import reference_data
    from shouye.regions.models import Region

    bureau = Organisation.objects.get(name=reference_data.BUREAU)
    township = Region.objects.get(code=TOWNSHIP_CODE)
    for username, display, role, values in [
        (STAFF_USERNAME, "基准测试·区应急局工作人员", Role.BUREAU_STAFF, {"organisation": bureau}),
        (TOWNSHIP_USERNAME, "基准测试·马山镇应急办", Role.TOWNSHIP_OFFICER, {"region": township}),
    ]:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, role=role, **values)


class NotABenchDatabase(Exception):
    pass


def _generate(target: int, log) -> int:
    """Bulk-insert enterprises, people, licences and tag links from the demo generator, one transaction
    per batch, so an interrupted run resumes where it stopped."""
    from django.db import transaction

    from shouye.enterprises.choices import Source
    from shouye.enterprises.demo import build_enterprises, save_enterprises
    from shouye.enterprises.models import Enterprise

    if Enterprise.objects.exclude(source=Source.DEMO).exists():
        raise NotABenchDatabase("This database holds enterprises that the generator did not write; "
                                "point BENCH_DATABASE_URL at a database of its own.")
    existing = Enterprise.objects.count()
    if existing >= target:
        log(f"  {existing:,} enterprises already there: reused")
        return 0
    missing = target - existing
    log(f"  generating {missing:,} enterprises (from #{existing + 1:,}) …")
    rows = build_enterprises(missing, seed=SEED + existing, start_seq=existing + 1)
    started = time.perf_counter()
    done = 0
    while chunk := list(islice(rows, BATCH)):
        with transaction.atomic():
            save_enterprises(chunk)
        done += len(chunk)
        if done % (BATCH * 10) == 0 or done == missing:
            rate = done / (time.perf_counter() - started)
            log(f"    {done:,}/{missing:,} ({rate:,.0f} enterprises/s)")
    return done


def _analyze() -> None:
    """Fresh planner statistics (and, on PostgreSQL, a visibility map for index-only counts), as a
    database that has run for a while under autovacuum would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def row_counts() -> dict:
    from shouye.enterprises.models import Enterprise, EnterprisePerson, Licence

    return {"rows": {
        "enterprises": Enterprise.objects.count(),
        "people": EnterprisePerson.objects.count(),
        "licences": Licence.objects.count(),
        "tag_links": Enterprise.tags.through.objects.count(),
    }}
