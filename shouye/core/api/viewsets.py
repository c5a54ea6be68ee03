"""The base API viewset: its queryset is always the scoped one (ARCHITECTURE.md §5)."""

from rest_framework import permissions, viewsets


class RolePermissions(permissions.DjangoModelPermissions):
    """Reading needs the model's view permission too (DRF's default lets any signed-in user read)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }


class ScopedViewSetMixin:
    """Lists, details and actions see only ``Model.objects.visible_to(request.user)``. Subclasses refine
    the queryset in ``scoped_queryset(qs)`` (select_related, annotations)."""

    permission_classes = [permissions.IsAuthenticated, RolePermissions]

    def get_queryset(self):
        model = self.queryset.model
        qs = model._default_manager.visible_to(self.request.user)
        return self.scoped_queryset(qs)

    def scoped_queryset(self, qs):
        return qs


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
