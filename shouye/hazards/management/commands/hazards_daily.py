"""Run the daily deadline job by hand: `manage.py hazards_daily [--date YYYY-MM-DD]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shouye.hazards import services


class Command(BaseCommand):
    help = "Mark overdue hazards, escalate old ones and send deadline reminders (what Celery beat runs daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today in Asia/Shanghai)")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        counts = services.mark_overdue_and_notify(today=today)
        self.stdout.write(
            f"{today.isoformat()}: {counts['overdue']} newly overdue, {counts['escalated']} escalated, "
            f"{counts['reminded']} reminded, {counts['notifications']} notifications sent"
        )
