from django.urls import path

from .views import plans

app_name = "risks"
urlpatterns = [
    path("plans/", plans.FloorPlanListView.as_view(), name="plans"),
    path("plans/upload/", plans.plan_upload, name="plan-upload"),
    path("plans/<id:pk>/", plans.plan_detail, name="plan"),
    path("plans/<id:pk>/map.pdf", plans.plan_pdf, name="plan-pdf"),
    path("plans/zones/<id:pk>/risk-points/", plans.zone_points, name="zone-points"),
    path("notice-cards/<id:pk>/", plans.notice_cards, name="notice-cards"),
    path("notice-cards/<id:pk>/card.pdf", plans.notice_card, name="notice-card"),
]
