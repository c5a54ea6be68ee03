from django.core.management.base import BaseCommand, CommandError

from shouye.audit.services import verify_chain


class Command(BaseCommand):
    help = ("Audit trail tools. `audit verify` seals the events committed so far into the hash chain, checks "
            "the chain and reports the first broken link.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.checked} events verified."))
            return
        if result.broken_at is None:
            raise CommandError(f"Audit trail broken ({result.reason}); {result.checked} events verified.")
        raise CommandError(
            f"Audit trail broken at event {result.broken_at} ({result.reason}); "
            f"{result.checked} events before it verified."
        )
