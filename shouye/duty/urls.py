from django.urls import path

from shouye.core.actions import action_urls

from . import actions, views

app_name = "duty"
urlpatterns = [
    path("", views.now, name="now"),
    path("rosters/", views.RosterListView.as_view(), name="rosters"),
    path("rosters/new/", views.roster_create, name="roster-create"),
    path("rosters/<id:pk>/", views.RosterDetailView.as_view(), name="roster"),
    path("rosters/<id:pk>/export/", views.roster_export, name="roster-export"),
    path("rosters/<id:pk>/print/", views.roster_print, name="roster-print"),
    *[path(f"rosters/{p.pattern}", p.callback, name=p.name)
      for p in action_urls(actions.ROSTER_ACTIONS, actions.ROSTER_ACTIONS.actions, page=views.roster_page)],
    path("swaps/", views.swaps, name="swaps"),
    path("swaps/<id:pk>/", views.swap, name="swap"),
    *[path(f"swaps/{p.pattern}", p.callback, name=p.name)
      for p in action_urls(actions.SWAP_ACTIONS, actions.SWAP_ACTIONS.actions, page=views.swap_page)],
    path("log/", views.log, name="log"),
    path("log/new/", views.entry_create, name="entry-create"),
    path("log/<id:pk>/", views.entry, name="entry"),
    *[path(f"log/{p.pattern}", p.callback, name=p.name)
      for p in action_urls(actions.ENTRY_ACTIONS, actions.ENTRY_ACTIONS.actions, page=views.entry_page)],
    path("handovers/new/", views.handover_create, name="handover-create"),
    path("handovers/<id:pk>/", views.handover, name="handover"),
    *[path(f"handovers/{p.pattern}", p.callback, name=p.name)
      for p in action_urls(actions.HANDOVER_ACTIONS, actions.HANDOVER_ACTIONS.actions, page=views.handover_page)],
    path("setup/", views.setup, name="setup"),
]
