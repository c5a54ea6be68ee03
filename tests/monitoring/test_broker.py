"""The embedded broker of `make run` (shouye.monitoring.broker) carries what the ingest relies on: QoS 1
delivery, and a persistent session (fixed client id, clean_session=False) that receives, when it reconnects,
what was published while it was away (the wire format, README "Monitoring")."""

import asyncio
import socket
import threading
import time

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from shouye.monitoring import broker

TOPIC = "shouye/v1/gw-1/readings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((broker.HOST, 0))
        return sock.getsockname()[1]


class RunningBroker:
    """The broker in a thread of its own, as `shouye broker` runs it in a process of its own."""

    def __init__(self, port: int, sessions_file):
        self.port, self.sessions_file = port, sessions_file
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self._thread.start()
        assert self._ready.wait(15), "the broker did not start"

    async def _main(self):
        self._loop, self._stop, ready = asyncio.get_running_loop(), asyncio.Event(), asyncio.Event()
        serving = asyncio.create_task(broker.serve(self.port, self.sessions_file, ready=ready, stop=self._stop))
        await ready.wait()
        self._ready.set()
        await serving

    def close(self):
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)


class Subscriber:
    """The ingest's way of connecting: fixed client id, persistent session, manual acknowledgement."""

    def __init__(self, port: int):
        self.received: list[bytes] = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="shouye-ingest-test", clean_session=False,
                                  manual_ack=True)
        self.client.on_message = self._on_message
        self.client.connect(broker.HOST, port)
        self.client.subscribe("shouye/v1/+/readings", qos=1)
        self.client.loop_start()

    def _on_message(self, client, userdata, message):
        self.received.append(message.payload)
        client.ack(message.mid, message.qos)

    def wait_for(self, count: int, seconds: float = 10) -> list[bytes]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def publish(port: int, payloads: list[bytes]) -> None:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="gateway-test")
    client.connect(broker.HOST, port)
    client.loop_start()
    for payload in payloads:
        client.publish(TOPIC, payload, qos=1).wait_for_publish(timeout=10)
    client.disconnect()
    client.loop_stop()


@pytest.fixture
def running(tmp_path):
    port = free_port()
    running = RunningBroker(port, tmp_path / "sessions.sqlite3")
    yield running
    running.close()


def test_a_persistent_session_receives_what_was_published_while_it_was_away(running):
    live = Subscriber(running.port)
    publish(running.port, [b'{"r": [["PT-101", 1, 1.0]]}'])
    assert live.wait_for(1) == [b'{"r": [["PT-101", 1, 1.0]]}']
    live.close()

    away = [f'{{"r": [["PT-101", {n}, 1.5]]}}'.encode() for n in range(2, 7)]
    publish(running.port, away)
    back = Subscriber(running.port)
    assert back.wait_for(len(away)) == away
    back.close()

