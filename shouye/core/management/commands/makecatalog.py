from django.core.management.base import BaseCommand

from shouye.core.i18n import CATALOG_LANGUAGES, missing_translations, update_catalog


class Command(BaseCommand):
    help = "Add every new msgid from our code and templates to the .po catalogues; list untranslated ones."

    def handle(self, *args, **options):
        for language in CATALOG_LANGUAGES:
            added = update_catalog(language)
            missing = missing_translations(language)
            self.stdout.write(f"{language}: {added} added, {len(missing)} untranslated")
            for context, msgid in missing:
                self.stdout.write(f"  {context + ' | ' if context else ''}{msgid}")
