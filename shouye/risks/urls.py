from django.urls import path

app_name = "risks"
urlpatterns: list = []
