"""The one map's routes. Each registered layer has its own URL (``/map/layers/enterprises/``), named
``map:layer-<key>``, so a layer is a route like any other (the scope test walks it)."""

from django.urls import path

from shouye.core.registry import map_layers

from . import views

app_name = "map"

urlpatterns = [
    path("", views.map_page, name="index"),
    path("townships/", views.townships, name="townships"),
    *[path(f"layers/{layer.key}/", views.layer_data, {"key": layer.key}, name=f"layer-{layer.key}")
      for layer in map_layers.ordered()],
]
