from django.urls import path

from ..running import NAMES
from .views import view_for

urlpatterns = [path(f"calculators/{name}/", view_for(name).as_view(), name=f"calculator-{name}") for name in NAMES]
