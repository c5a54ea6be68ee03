"""The board's API route, included by config/api_urls.py before the permits' other routes."""

from django.urls import path

from .board import BoardView

urlpatterns = [
    path("permits/board/", BoardView.as_view(), name="api-permit-board"),
]
