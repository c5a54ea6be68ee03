from django.urls import path

from .views import tasks

app_name = "risks"
urlpatterns = [
    # --- investigation tasks ---
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/new/", tasks.task_create, name="task-create"),
    path("tasks/whole-list/", tasks.task_whole_list, name="task-whole-list"),
    path("tasks/<id:pk>/", tasks.task_detail, name="task"),
    path("tasks/<id:pk>/stop/", tasks.task_stop, name="task-stop"),
    path("my-tasks/", tasks.my_tasks, name="my-tasks"),
    path("instances/<id:pk>/", tasks.instance_detail, name="instance"),
]
