from django.core.management.base import BaseCommand, CommandError

from shouye.enterprises import demo


class Command(BaseCommand):
    help = "Load the demo district (济南市长清区) with about 300 fictional enterprises and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300)
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing (and succeed) when the database already holds data")

    def handle(self, *args, count, if_empty, **options):
        if if_empty and demo.holds_non_demo_data():
            self.stdout.write("The database holds data; the demo is not loaded.")
            return
        try:
            result = demo.load_demo(count=count)
        except demo.NotADemoDatabase as exc:
            raise CommandError(str(exc)) from exc
        if result["created"]:
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {result['created']} enterprises."))
        else:
            self.stdout.write("Demo already loaded.")
        self.stdout.write(f"Demo accounts (password {demo.DEMO_PASSWORD}):")
        for line in demo.account_lines():
            self.stdout.write(line)
