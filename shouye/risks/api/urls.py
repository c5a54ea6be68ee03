from django.urls import path

from . import bureau

urlpatterns = [
    # The bureau's view (bureau part).
    path("risk-liveness/", bureau.LivenessView.as_view(), name="risk-liveness"),
    path("risk-exchange/", bureau.ExchangeView.as_view(), name="risk-exchange"),
]
