from django.urls import path

from .views import bureau

app_name = "risks"

urlpatterns = [
    # The bureau's view (bureau part).
    path("liveness/", bureau.liveness, name="liveness"),
    path("liveness/export/", bureau.liveness_export, name="liveness-export"),
    path("statistics/", bureau.statistics, name="statistics"),
    path("enterprises/<id:pk>/score/", bureau.enterprise_score, name="enterprise-score"),
]
