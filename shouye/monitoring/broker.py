"""The embedded MQTT broker of the one-command run (``shouye broker``, started by ``shouye up`` when
``SHOUYE_MQTT_URL`` is empty): amqtt, an MQTT 3.1.1 broker in Python, on 127.0.0.1:``SHOUYE_MQTT_EMBEDDED_PORT``.
Production uses Mosquitto or an EMQX cluster instead (README, "Monitoring").

What the ingest's guarantee needs from it (the wire format, README): QoS 1 and a persistent session — a client
that connects with ``clean_session=False`` under a fixed client id gets, when it reconnects, the QoS 1 messages
published while it was away. amqtt keeps those only for sessions it did not mark anonymous, and its stock
anonymous plugin marks every session so; the broker listens on the loopback interface only, so
:class:`LoopbackClients` admits every local client without marking it. Sessions, their subscriptions and the
messages queued for them are written to an SQLite file under ``var/`` (amqtt's session store), so they survive a
restart of the broker too."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from amqtt.broker import Broker
from amqtt.plugins.base import BaseAuthPlugin
from amqtt.session import Session

HOST = "127.0.0.1"


class LoopbackClients(BaseAuthPlugin):
    """Admits every client of the loopback listener as a known (not anonymous) client, so that its persistent
    session keeps the QoS 1 messages published while it is disconnected."""

    @dataclass
    class Config:
        pass

    async def authenticate(self, *, session: Session) -> bool:
        return True


def config(port: int, sessions_file: Path | None) -> dict:
    """amqtt's configuration: one TCP listener on the loopback interface, the admission above, and the session
    store when a file is given (kept across a normal shutdown as well: a restarted broker still delivers what
    it had queued)."""
    plugins: dict = {f"{__name__}.LoopbackClients": {}}
    if sessions_file is not None:
        plugins["amqtt.contrib.persistence.SessionDBPlugin"] = {
            "connection": f"sqlite+aiosqlite:///{sessions_file}", "clear_on_shutdown": False}
    return {"listeners": {"default": {"type": "tcp", "bind": f"{HOST}:{port}"}}, "plugins": plugins}


async def serve(port: int, sessions_file: Path | None = None, *, ready: asyncio.Event | None = None,
                stop: asyncio.Event | None = None) -> None:
    """Run the broker until ``stop`` is set (or forever)."""
    broker = Broker(config(port, sessions_file))
    await broker.start()
    if ready is not None:
        ready.set()
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await broker.shutdown()


def run(port: int, sessions_file: Path | None) -> None:
    """Run in the foreground (the ``shouye broker`` process); a terminating signal stops it."""
    for name in ("amqtt", "transitions"):  # every session's state change is logged at INFO otherwise
        logging.getLogger(name).setLevel(logging.WARNING)
    asyncio.run(serve(port, sessions_file))
