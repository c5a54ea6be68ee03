from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Notification


@login_required
@require_GET
def notification_list(request):
    page = Paginator(Notification.objects.for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page, "object_list": page.object_list})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")
