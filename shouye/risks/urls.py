from django.urls import path

from .views import bureau, plans

app_name = "risks"
urlpatterns = [
    # The plant plan, its zones, the four-colour map and the post risk notice cards (plan part).
    path("plans/", plans.FloorPlanListView.as_view(), name="plans"),
    path("plans/upload/", plans.plan_upload, name="plan-upload"),
    path("plans/<id:pk>/", plans.plan_detail, name="plan"),
    path("plans/<id:pk>/map.pdf", plans.plan_pdf, name="plan-pdf"),
    path("plans/zones/<id:pk>/risk-points/", plans.zone_points, name="zone-points"),
    path("notice-cards/<id:pk>/", plans.notice_cards, name="notice-cards"),
    path("notice-cards/<id:pk>/card.pdf", plans.notice_card, name="notice-card"),
    # The bureau's view (bureau part).
    path("liveness/", bureau.liveness, name="liveness"),
    path("liveness/export/", bureau.liveness_export, name="liveness-export"),
    path("statistics/", bureau.statistics, name="statistics"),
    path("enterprises/<id:pk>/score/", bureau.enterprise_score, name="enterprise-score"),
]
