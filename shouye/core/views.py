"""Base HTML views. Their queryset is the scoped one; lists share the API's FilterSet."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from shouye.core.filters import filtered, status_for
from shouye.core.registry import home_panels


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


@require_GET
def home(request):
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    panels = [(panel, panel.context(request)) for panel in home_panels.ordered()]
    return render(request, "core/home.html", {"panels": panels})


__all__ = ["ScopedListView", "ScopedDetailView", "ScopedMixin", "home"]
