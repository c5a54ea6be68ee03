"""`manage.py check --deploy` warns when the cache is per process (the tip-off rate limit would hold per
gunicorn worker) and is quiet with a shared one."""

from django.core.checks import run_checks


def warnings_of(settings, backend: str, location: str = "") -> list[str]:
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": location}}
    return [message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("shouye")]


def test_a_per_process_cache_is_reported(settings):
    assert warnings_of(settings, "django.core.cache.backends.locmem.LocMemCache") == ["shouye.W001"]


def test_a_shared_cache_passes(settings):
    assert warnings_of(settings, "django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/1") == []
