"""`shouye broker [--port N]`: the embedded MQTT broker of the one-command run (shouye.monitoring.broker)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from shouye.monitoring import broker


class Command(BaseCommand):
    help = "Run the embedded MQTT broker on 127.0.0.1 (what `shouye up` starts when SHOUYE_MQTT_URL is empty)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.SHOUYE_MQTT_EMBEDDED_PORT,
                            help="TCP port on 127.0.0.1 (default: SHOUYE_MQTT_EMBEDDED_PORT)")
        parser.add_argument("--sessions-file", default=str(Path(settings.VAR_DIR) / "mqtt-sessions.sqlite3"),
                            help="where the persistent sessions and their queued messages are kept")

    def handle(self, *args, **options):
        self.stdout.write(f"MQTT broker on {broker.HOST}:{options['port']}")
        broker.run(options["port"], Path(options["sessions_file"]))
