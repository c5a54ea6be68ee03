from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from shouye.audit.services import verify_chain


class Command(BaseCommand):
    help = ("Audit trail tools. `audit verify` seals the events committed so far into the hash chain, checks "
            "every link with the audit key and the chain against the anchors written outside the database, "
            "and reports the first broken link (docs/decisions/0006).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument(
            "--anchors", action="append", type=Path, metavar="FILE",
            help="an anchor file to check the chain against instead of SHOUYE_AUDIT_ANCHOR_FILE: an archived "
                 "copy or a syslog extract (repeat for several)")

    def handle(self, *args, action, anchors=None, **options):
        try:
            result = verify_chain(anchor_files=anchors)
        except ImproperlyConfigured as error:
            raise CommandError(f"Audit trail not verified: {error}") from error
        if result.ok:
            self.stdout.write(self.style.SUCCESS(
                f"Audit trail intact: {result.checked} events verified with the audit key."))
            newest = result.newest_anchor
            if newest is not None:
                self.stdout.write(f"{result.anchored} anchors outside the database match the chain; the newest "
                                  f"pins position {newest.seq}: {newest.line}")
            return
        if result.broken_at is not None:
            raise CommandError(f"Audit trail broken at event {result.broken_at} (position {result.position}: "
                               f"{result.reason}); {result.checked} events before it verified.")
        place = f" at position {result.position}" if result.position is not None else ""
        raise CommandError(f"Audit trail broken{place} ({result.reason}); {result.checked} events verified.")
