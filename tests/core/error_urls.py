"""The project's URLs with two views that fail, for the 500 tests (tests/core/test_error_pages.py)."""

from django.urls import path

from config.urls import handler403, handler404, handler500, urlpatterns


def fail(request):
    raise RuntimeError("a fault the 500 page must hide")


urlpatterns = [*urlpatterns, path("fails/", fail), path("api/v1/fails/", fail)]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
