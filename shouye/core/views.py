"""Base HTML views. Their queryset is the scoped one; lists share the API's FilterSet."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from shouye.core.filters import filtered, status_for
from shouye.core.registry import TodoProvider, home_panels, todo_providers


class ScopedMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Every object a view shows comes from ``visible_to(request.user)``; anything else is a 404."""

    raise_exception = False

    def get_permission_required(self):
        if self.permission_required:
            return super().get_permission_required()
        meta = self.model._meta
        return (f"{meta.app_label}.view_{meta.model_name}",)

    def handle_no_permission(self):
        from django.core.exceptions import PermissionDenied

        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()

    def get_queryset(self):
        qs = self.model._default_manager.visible_to(self.request.user)
        return self.scoped_queryset(qs)

    def scoped_queryset(self, qs):
        return qs


class ScopedListView(ScopedMixin, ListView):
    """A list page: filter bar (the FilterSet the API uses, its invalid values shown as errors with no rows),
    sort, pagination, counts."""

    filterset_class = None
    paginate_by = 20
    ordering_options: dict[str, str] = {}
    default_ordering = "-id"

    def get_queryset(self):
        qs = super().get_queryset()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        qs = filtered(self.filterset)
        sort = self.request.GET.get("sort", "")
        self.current_sort = sort if sort.lstrip("-") in self.ordering_options else ""
        if self.current_sort:
            field = self.ordering_options[self.current_sort.lstrip("-")]
            prefix = "-" if self.current_sort.startswith("-") else ""
            return qs.order_by(f"{prefix}{field}", "-id")
        return qs.order_by(self.default_ordering)

    def render_to_response(self, context, **kwargs):
        """An invalid filter shows the filter bar's errors and no rows, answered 400 (ARCHITECTURE.md §10)."""
        kwargs.setdefault("status", status_for(self.filterset))
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filterset=self.filterset, current_sort=self.current_sort, querystring=query.urlencode())
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    pass


#: Items a to-do card shows; its "all" link leads to the full list.
CARD_ITEMS = 5


@dataclass(frozen=True)
class TodoCard:
    provider: TodoProvider
    count: int
    items: list
    url: str


def todo_cards(user) -> list[TodoCard]:
    """The user's to-do cards (我的待办, issue 10): each registered provider shown to the user, with its count,
    its first CARD_ITEMS items and the link to the full list, the empty cards last. Each provider runs a fixed
    number of queries (the registry's contract), so the workbench does too whatever the data size; the items
    are not read for an empty card."""
    cards = []
    for provider in todo_providers.for_user(user):
        count = provider.count(user)
        url = reverse(provider.url_name) if provider.url_name else ""
        if url and provider.query:
            url = f"{url}?{provider.query}"
        cards.append(TodoCard(provider=provider, count=count,
                              items=provider.items(user, CARD_ITEMS) if count else [], url=url))
    # What is waiting first, the cards with nothing after them (a phone shows one card at a time).
    return sorted(cards, key=lambda card: card.count == 0)


@require_GET
def home(request):
    """The workbench: the user's to-dos, and below them the panels its role is shown (the supervisors'
    statistics; an enterprise user and an expert see only their to-dos)."""
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    panels = [(panel, panel.context(request)) for panel in home_panels.for_user(request.user)]
    return render(request, "core/home.html", {"cards": todo_cards(request.user), "panels": panels})


@login_required
@require_GET
def todo_total(request):
    """The navigation bar's to-do badge, loaded after the page (htmx) so that no page pays for the count of
    every provider: the sum of the counts the total includes (not the unread notifications, which the bell
    counts)."""
    total = sum(provider.count(request.user) for provider in todo_providers.for_user(request.user)
                if provider.in_total)
    return render(request, "core/_todo_total.html", {"total": total})


__all__ = ["ScopedListView", "ScopedDetailView", "ScopedMixin", "home", "todo_total"]
