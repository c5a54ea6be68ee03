from django.urls import path

from .import_views import IMPORT_PAGES
from .views import bureau, plans, register, tasks

app_name = "risks"
urlpatterns = [
    # The risk register (风险分级管控清单).
    path("", register.index, name="index"),
    path("tables/", register.district_tables, name="tables"),
    path("subcategories/", register.subcategories, name="subcategories"),
    path("enterprises/<id:pk>/", register.enterprise_risks, name="enterprise"),
    path("enterprises/<id:pk>/points/new/", register.point_create, name="point-create"),
    path("enterprises/<id:pk>/publish/", register.publish, name="publish"),
    path("enterprises/<id:pk>/regrade/", register.regrade, name="regrade"),
    path("enterprises/<id:pk>/tables/", register.enterprise_tables, name="enterprise-tables"),
    path("enterprises/<id:pk>/tables/reset/", register.enterprise_tables_reset, name="enterprise-tables-reset"),
    path("enterprises/<id:pk>/control-list/", register.control_list_export, name="control-list-export"),
    path("enterprises/<id:pk>/source-ledger/", register.ledger_export, name="source-ledger-export"),
    # Import of an existing risk list (the import kit's pages): upload, template, job, progress, error file.
    *IMPORT_PAGES.urlpatterns("import/"),
    path("points/<id:pk>/", register.point_detail, name="point"),
    path("points/<id:pk>/edit/", register.point_edit, name="point-edit"),
    path("points/<id:pk>/retire/", register.point_retire, name="point-retire"),
    path("points/<id:pk>/forced-major/", register.point_forced_major, name="point-forced-major"),
    path("points/<id:pk>/special-plan/", register.special_plan, name="special-plan"),
    path("points/<id:pk>/sources/new/", register.source_create, name="source-create"),
    path("sources/<id:pk>/edit/", register.source_edit, name="source-edit"),
    path("sources/<id:pk>/delete/", register.source_delete, name="source-delete"),
    path("sources/<id:pk>/assess/", register.assess, name="assess"),
    path("sources/<id:pk>/assess/preview/", register.assess_preview, name="assess-preview"),
    path("sources/<id:pk>/measures/new/", register.measure_create, name="measure-create"),
    path("measures/<id:pk>/edit/", register.measure_edit, name="measure-edit"),
    path("measures/<id:pk>/delete/", register.measure_delete, name="measure-delete"),
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
    # --- investigation tasks ---
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/new/", tasks.task_create, name="task-create"),
    path("tasks/whole-list/", tasks.task_whole_list, name="task-whole-list"),
    path("tasks/<id:pk>/", tasks.task_detail, name="task"),
    path("tasks/<id:pk>/stop/", tasks.task_stop, name="task-stop"),
    path("my-tasks/", tasks.my_tasks, name="my-tasks"),
    path("instances/<id:pk>/", tasks.instance_detail, name="instance"),
]
