from django.urls import path

from shouye.core.actions import action_view

from . import actions, views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("new/", views.plan_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics-export"),
    path("<id:pk>/", views.PlanDetailView.as_view(), name="detail"),
    *(path(f"<id:pk>/{name}/", action_view(actions.PLAN, name, page=views.plan_page), name=name)
      for name in actions.PLAN.actions),
    path("drills/", views.DrillListView.as_view(), name="drills"),
    path("drills/new/", views.drill_create, name="drill-create"),
    path("drills/<id:pk>/", views.DrillDetailView.as_view(), name="drill"),
    *(path(f"drills/<id:pk>/{name}/", action_view(actions.DRILL, name, page=views.drill_page), name=f"drill-{name}")
      for name in actions.DRILL.actions),
    path("units/<id:pk>/", views.UnitDetailView.as_view(), name="unit"),
    *(path(f"units/<id:pk>/{name}/", action_view(actions.UNIT, name, page=views.unit_page), name=name)
      for name in actions.UNIT.actions),
]
