"""`shouye simulate`: the demo's gateways publishing readings (shouye.monitoring.simulator)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from shouye.monitoring import broker, simulator


def default_url() -> str:
    """The configured broker, or the embedded one of `shouye up`."""
    return settings.SHOUYE_MQTT_URL or f"mqtt://{broker.HOST}:{settings.SHOUYE_MQTT_EMBEDDED_PORT}"


class Command(BaseCommand):
    help = ("Publish plausible readings of every active monitoring point at its interval, with the occasional "
            "excursion and silent point (what `shouye up` runs for the demo).")

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="the MQTT broker, mqtt://host:port (default: "
                                                        "SHOUYE_MQTT_URL, else the embedded broker)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--excursions-per-hour", type=float, default=simulator.EXCURSIONS_PER_HOUR,
                            help="excursions past a setpoint per hour across all points")
        parser.add_argument("--outages-per-hour", type=float, default=simulator.OUTAGES_PER_HOUR,
                            help="points going silent (offline) per hour across all points")
        parser.add_argument("--client-id", default="shouye-simulator")

    def handle(self, *args, **options):
        url = options["url"] or default_url()
        self.stdout.write(f"Simulating the demo's gateways on {url} (Ctrl-C stops)")
        try:
            simulator.run(url, seed=options["seed"], excursions_per_hour=options["excursions_per_hour"],
                          outages_per_hour=options["outages_per_hour"], client_id=options["client_id"])
        except KeyboardInterrupt:
            pass
