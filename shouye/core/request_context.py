"""The client's address: the one function that says where a request comes from (:func:`client_ip`), and the
current request's address for audit events written deep inside services (:func:`current_ip`).

Throttles, lock-outs, audit events, sign-in records and tip-offs all read the address here, so it can be
forged nowhere: ``X-Forwarded-For`` is an ordinary request header that any client may send, and only the
part of it written by a proxy we run is true (ARCHITECTURE.md §10)."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

_ip: ContextVar[str | None] = ContextVar("shouye_ip", default=None)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def current_ip() -> str | None:
    return _ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)


def client_ip(request) -> str | None:
    """The address of the client that sent ``request``.

    REMOTE_ADDR, the peer of the TCP connection, unless that peer is one of SHOUYE_TRUSTED_PROXIES (nginx in
    front of gunicorn). Then ``X-Forwarded-For`` is read from the right, where each proxy appended the address
    it received the request from, skipping our own proxies: the first address that is not one of ours is
    the client. Everything to the left of it was written by the client itself and is ignored. When every
    address is one of ours, the left-most is the best we know; a value that is not an address ends the walk
    there, at the last address a trusted proxy wrote."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None or not _is_trusted(remote):
        return str(remote) if remote is not None else None
    client = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = _address(entry)
        if hop is None:
            break
        client = hop
        if not _is_trusted(hop):
            break
    return str(client)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address) -> bool:
    return any(address in network for network in trusted_proxies(tuple(settings.SHOUYE_TRUSTED_PROXIES)))


@lru_cache(maxsize=8)
def trusted_proxies(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of SHOUYE_TRUSTED_PROXIES (an address is a network of one). An entry that is neither is
    left out, so a typing error trusts nothing more; ``manage.py check`` names it (shouye.E002)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)
