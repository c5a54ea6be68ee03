"""Our system checks. ``manage.py check --deploy`` errs when the cache is per process on a production server
(throttles, sign-in lock-outs and the tip-off rate limit would hold per gunicorn worker), warns on a laptop,
and is quiet with a shared one; it warns when no trusted proxy is set; ``manage.py check`` names a
SHOUYE_TRUSTED_PROXIES entry that is not an address."""

import pytest
from django.core.checks import run_checks

REDIS = "django.core.cache.backends.redis.RedisCache"


def ours(settings, backend: str = REDIS, location: str = "redis://127.0.0.1:6379/1", *, debug: bool,
         proxies=("127.0.0.1",), deploy: bool = True) -> list[str]:
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": location}}
    settings.DEBUG = debug
    settings.SHOUYE_TRUSTED_PROXIES = list(proxies)
    return [message.id for message in run_checks(include_deployment_checks=deploy)
            if message.id.startswith("shouye")]


@pytest.mark.parametrize("backend", ["django.core.cache.backends.locmem.LocMemCache",
                                     "django.core.cache.backends.dummy.DummyCache"])
def test_a_per_process_cache_is_an_error_on_a_production_server(settings, backend):
    assert ours(settings, backend, "", debug=False) == ["shouye.E001"]


def test_a_per_process_cache_is_only_reported_on_a_laptop(settings):
    assert ours(settings, "django.core.cache.backends.locmem.LocMemCache", "", debug=True) == ["shouye.W001"]


def test_a_shared_cache_passes(settings):
    assert ours(settings, debug=False) == []


def test_a_production_server_without_a_trusted_proxy_is_warned(settings):
    assert ours(settings, debug=False, proxies=()) == ["shouye.W002"]


def test_an_entry_that_is_not_an_address_is_named(settings):
    assert ours(settings, debug=True, proxies=("127.0.0.1", "10.0.0.0/8", "nginx"), deploy=False) == ["shouye.E002"]
    settings.SHOUYE_TRUSTED_PROXIES = ["127.0.0.1", "nginx"]
    message = next(m for m in run_checks() if m.id == "shouye.E002")
    assert "'nginx'" in message.msg and "'127.0.0.1'" not in message.msg
