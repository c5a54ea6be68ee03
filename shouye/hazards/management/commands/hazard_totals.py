"""Check the statistics' daily totals against the hazards, or rebuild them:
`manage.py hazard_totals [--rebuild]`."""

from django.core.management.base import BaseCommand, CommandError

from shouye.hazards import totals


class Command(BaseCommand):
    help = ("Compare the daily hazard totals behind the statistics with the hazards (exit 1 on any difference); "
            "--rebuild recounts them, after a bulk load or a restore.")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="replace the totals with a recount")

    def handle(self, *args, **options):
        if options["rebuild"]:
            rows = totals.rebuild()
            self.stdout.write(f"rebuilt: {rows} daily totals")
            return
        differences = totals.differences()
        for row in differences[:50]:
            self.stdout.write(f"{row['day']} township={row['township_id']} industry={row['industry_id']} "
                              f"level={row['level']}: stored {row['stored']}, counted {row['counted']}")
        if differences:
            raise CommandError(f"{len(differences)} daily totals differ from the hazards; "
                               "run `manage.py hazard_totals --rebuild`")
        self.stdout.write("the daily totals match the hazards")
