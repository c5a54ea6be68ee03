from django.urls import path

from . import views

app_name = "calculators"
urlpatterns = [
    path("", views.CalculatorsPage.as_view(), name="index"),
    path("major-hazard/", views.MajorHazardView.as_view(), name="major-hazard"),
    path("major-hazard/row/", views.SubstanceRowView.as_view(), name="substance-row"),
    path("substances/", views.SubstanceSearchView.as_view(), name="substances"),
    path("lec/", views.LecView.as_view(), name="lec"),
    path("risk-matrix/", views.RiskMatrixView.as_view(), name="risk-matrix"),
    path("hot-work/", views.HotWorkView.as_view(), name="hot-work"),
    path("accident/", views.AccidentView.as_view(), name="accident"),
]
