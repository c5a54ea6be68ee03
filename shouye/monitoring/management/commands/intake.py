"""``shouye intake``: the video intake's processor (issue 13, decision 0014). Makes alarms of the events the
intake accepted into its inbox (``shouye.monitoring.intake.services.drain_inbox``) as they arrive: batch after
batch while events wait, a look every ``--idle`` seconds when none do. Runs in the foreground until SIGTERM or
SIGINT, finishing the batch in hand; several may run (each batch skips the rows another holds), and Celery
beat drains what is left every minute when none runs."""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from shouye.monitoring.intake import services

logger = logging.getLogger("shouye.monitoring.intake")

#: Seconds between two looks at an empty inbox: half of it is the mean wait an event adds to the alarm's
#: reaching the board (issue 13's reading-to-board budget is seconds), and a look is one indexed query.
IDLE_SECONDS = 0.05

#: Seconds to wait after the database failed before trying again.
RETRY_SECONDS = 2.0


class Command(BaseCommand):
    help = "Make alarms of the video events the intake accepted, as they arrive."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=services.BATCH, help="events per transaction")
        parser.add_argument("--idle", type=float, default=IDLE_SECONDS,
                            help="seconds between looks at an empty inbox")
        parser.add_argument("--once", action="store_true", help="drain what waits now, then stop")

    def handle(self, *args, **options):
        if options["once"]:
            self.stdout.write(f"{services.drain_all(options['batch'])}")
            return
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, stop)
        while not stopping:
            try:
                done = services.drain_inbox(options["batch"])
            except DatabaseError:
                logger.exception("the video inbox could not be drained; trying again in %s s", RETRY_SECONDS)
                close_old_connections()
                time.sleep(RETRY_SECONDS)
                continue
            if done < options["batch"]:
                time.sleep(options["idle"])
