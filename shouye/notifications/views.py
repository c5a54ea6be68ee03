from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Notification


@login_required
@require_GET
def notification_list(request):
    page = Paginator(Notification.objects.for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page, "object_list": page.object_list})


def in_site(link: str) -> bool:
    """Whether ``link`` is a path of this site ("/hazards/12/"): never another host ("//evil.example",
    "https://…", "/\\evil.example"), a scheme ("javascript:") or a path relative to the current page."""
    return link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=set())


@login_required
@require_GET
def notification_open(request, pk: int):
    """Opening a notification marks it read and leads to what it is about; one of another user is a 404. Only a
    link inside the site is followed (no open redirect); otherwise, or without a link, the list."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(notification.link if in_site(notification.link) else "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:list")
