from django.core.management.base import BaseCommand

from shouye.core.i18n import compile_catalogs


class Command(BaseCommand):
    help = "Compile the .po catalogues to .mo with polib (no GNU gettext needed)."

    def handle(self, *args, **options):
        for path in compile_catalogs():
            self.stdout.write(f"compiled {path}")
