"""The current request's client address, for audit events written deep inside services."""

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("shouye_ip", default=None)


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
    """REMOTE_ADDR; behind nginx, the first address of X-Forwarded-For (trusted only when configured)."""
    from django.conf import settings

    if getattr(settings, "SHOUYE_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
