"""``shouye ingest``: the MQTT ingest of monitoring readings (issue 13, ``shouye/monitoring/ingest/``). Runs in
the foreground until SIGTERM or SIGINT, then writes and acknowledges the batch in hand and disconnects."""

import logging
import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from shouye.monitoring.ingest.runner import Ingest


class Command(BaseCommand):
    help = "Receive monitoring readings from the MQTT broker, write them and raise the sensor alarms."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.SHOUYE_MQTT_URL,
                            help="mqtt://host:port of the broker (default SHOUYE_MQTT_URL; empty: the embedded one)")
        parser.add_argument("--client-id", default="shouye-ingest",
                            help="the fixed MQTT client id of this process (its persistent session); give each "
                                 "process of a shared subscription its own")
        parser.add_argument("--topic", default=settings.SHOUYE_MQTT_TOPIC,
                            help="the topic filter to subscribe (default SHOUYE_MQTT_TOPIC)")
        parser.add_argument("--status-file", default=None, help="write the counters as JSON to this file")

    def handle(self, *args, **options):
        if not logging.getLogger("shouye.monitoring.ingest").hasHandlers():
            handler = logging.StreamHandler(self.stderr._out)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logger = logging.getLogger("shouye.monitoring.ingest")
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
        ingest = Ingest(url=options["url"], client_id=options["client_id"], topic=options["topic"],
                        status_file=options["status_file"])
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: ingest.stop())
        ingest.run()
