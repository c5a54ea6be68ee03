"""System checks of our own: ``manage.py check`` for settings that are wrong anywhere, ``manage.py check
--deploy`` for what a production server needs."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .request_context import trusted_proxies

PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Throttles, sign-in lock-outs and the tip-off rate limit count in the cache (shouye.core.ratelimit):
    with a per-process cache every gunicorn worker keeps its own count, and an attacker gets each limit once
    per worker (and none at all with the dummy cache). An error on a production server (DEBUG off); a
    warning on a laptop, where one process serves everything."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    hint = "Set REDIS_CACHE_URL (for example redis://127.0.0.1:6379/1) so all workers share one cache."
    if settings.DEBUG:
        return [Warning("The cache is kept per process, so throttles and lock-outs hold per process.",
                        hint=hint, id="shouye.W001")]
    return [Error("The cache is kept per process, so throttles, sign-in lock-outs and the tip-off rate limit "
                  "would hold per gunicorn worker.", hint=hint, id="shouye.E001")]


@register(Tags.security)
def trusted_proxy_entries(app_configs, **kwargs):
    """A mistyped proxy is not trusted (the client address stays the proxy's), which a bureau would only notice
    when everyone shares one lock-out; name it at once."""
    wrong = [entry for entry in settings.SHOUYE_TRUSTED_PROXIES if not trusted_proxies((entry,))]
    if not wrong:
        return []
    return [Error(f"SHOUYE_TRUSTED_PROXIES holds {', '.join(repr(e) for e in wrong)}, which is not an IP address "
                  "or network.", hint="Use addresses or networks such as 127.0.0.1,::1 or 10.0.0.0/24, "
                  "separated by commas.", id="shouye.E002")]


@register(Tags.security, deploy=True)
def trusted_proxies_set(app_configs, **kwargs):
    """Production runs behind nginx (HTTPS, static files): without SHOUYE_TRUSTED_PROXIES every request seems
    to come from nginx, so every client shares one address in the audit trail and one sign-in lock-out."""
    if settings.DEBUG or settings.SHOUYE_TRUSTED_PROXIES:
        return []
    return [Warning("SHOUYE_TRUSTED_PROXIES is empty: behind a reverse proxy every client would share the "
                    "proxy's address (audit trail, throttles, sign-in lock-out).",
                    hint="Set SHOUYE_TRUSTED_PROXIES to your reverse proxy's address, e.g. 127.0.0.1,::1.",
                    id="shouye.W002")]
