from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shouye.enterprises import demo


class Command(BaseCommand):
    help = ("Load the demo district (济南市长清区): about 300 fictional enterprises, demo accounts and a year of "
            "activity through the services (each app's registered demo step).")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="enterprises (default 300)")
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED,
                            help="the same seed, count and today give the same demo")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="the demo's today, YYYY-MM-DD (default: today); the year before it is filled")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing (and succeed) when the database already holds data")

    def handle(self, *args, count, seed, today, if_empty, **options):
        if if_empty and demo.holds_non_demo_data():
            self.stdout.write("The database holds data; the demo is not loaded.")
            return
        if count < demo.MIN_COUNT:
            raise CommandError(f"--count must be at least {demo.MIN_COUNT}: one enterprise in every township.")
        try:
            result = demo.load_demo(count=count, seed=seed, today=today, report=self._report)
        except (demo.NotADemoDatabase, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if result["created"]:
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {result['created']} enterprises."))
        else:
            self.stdout.write("Demo already loaded.")
        self.stdout.write(f"Demo accounts (password {demo.DEMO_PASSWORD}):")
        for line in demo.account_lines():
            self.stdout.write(line)

    def _report(self, step, counts: dict) -> None:
        """One line per step, in English like the rest of this output."""
        with translation.override("en"):
            label = str(step.label)
        self.stdout.write(f"  {label}: " + ", ".join(f"{value} {name}" for name, value in counts.items()))
