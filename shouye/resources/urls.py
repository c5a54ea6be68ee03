from django.urls import path

from shouye.core.actions import action_view

from . import actions, import_views, views

app_name = "resources"
urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="teams"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<id:pk>/", views.TeamDetailView.as_view(), name="team"),
    *(path(f"teams/<id:pk>/{name}/", action_view(actions.TEAM, name, page=views.team_page), name=f"team-{name}")
      for name in actions.TEAM.actions),
    path("warehouses/", views.WarehouseListView.as_view(), name="warehouses"),
    path("warehouses/new/", views.warehouse_create, name="warehouse-create"),
    path("warehouses/<id:pk>/", views.WarehouseDetailView.as_view(), name="warehouse"),
    *(path(f"warehouses/<id:pk>/{name}/", action_view(actions.WAREHOUSE, name, page=views.warehouse_page),
           name=f"warehouse-{name}") for name in actions.WAREHOUSE.actions),
    path("items/", views.items, name="items"),
    path("team-rules/", views.rules, name="rules"),
    path("team-rules/<id:pk>/", views.rule, name="rule"),
    path("reserves/", views.ReserveListView.as_view(), name="reserves"),
    path("reserves/new/", views.reserve_create, name="reserve-create"),
    path("reserves/summary/", views.reserve_summary, name="reserve-summary"),
    path("reserves/<id:pk>/", views.ReserveDetailView.as_view(), name="reserve"),
    *(path(f"reserves/<id:pk>/{name}/", action_view(actions.RESERVE, name, page=views.reserve_page),
           name=f"reserve-{name}") for name in actions.RESERVE.actions),
    *import_views.IMPORT_PAGES.urlpatterns("warehouses/import/"),
    path("nearest/", views.nearest_page, name="nearest"),
    path("road-networks/", views.road_networks, name="road-networks"),
    path("road-networks/<id:pk>/deactivate/", views.road_network_deactivate, name="road-network-deactivate"),
]
