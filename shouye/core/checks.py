"""Deployment checks of our own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """The public tip-off form's rate limit counts in the cache: with a per-process cache every gunicorn
    worker keeps its own count, and a sender gets the limit once per worker."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [Warning(
            "The cache is kept per process, so the tip-off rate limit holds per gunicorn worker.",
            hint="Set REDIS_CACHE_URL (for example redis://127.0.0.1:6379/1) so all workers share one cache.",
            id="shouye.W001",
        )]
    return []
