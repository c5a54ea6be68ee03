"""The one base of the API's throttles: a rate per client address, counted in the shared cache.

DRF's own throttles name the client by ``X-Forwarded-For`` as the client sent it (a new value per request
starts a new count) and keep a list of times per client that concurrent workers overwrite. This one names
the client by :func:`shouye.core.request_context.client_ip` (the header only from a trusted proxy) and counts
with :mod:`shouye.core.ratelimit` (atomic, in Redis in production). ``tests/accounts/test_throttles.py``
fails for an API view whose throttle does not derive from it."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from shouye.core import ratelimit
from shouye.core.request_context import client_ip


class AddressRateThrottle(SimpleRateThrottle):
    """At most the scope's rate (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``, e.g. ``"30/min"``) of
    requests per client address, per clock-aligned period."""

    def get_rate(self):
        # Read at each request rather than from the class attribute DRF fills once at import.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def get_ident(self, request):
        return client_ip(request) or "unknown"

    def get_cache_key(self, request, view):
        return self.get_ident(request)

    def allow_request(self, request, view):
        self.retry_after = None
        if self.rate is None:
            return True
        count, remaining = ratelimit.count_in_window(("throttle", self.scope, self.get_cache_key(request, view)),
                                                     window=self.duration)
        if count > self.num_requests:
            self.retry_after = remaining
            return False
        return True

    def wait(self):
        return self.retry_after
