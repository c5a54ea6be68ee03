"""The API's permission classes that are the same in every app."""

from rest_framework import permissions


def requires(perm: str) -> type[permissions.BasePermission]:
    """A permission class that lets through the users holding ``perm`` (a role's verb, e.g. the app's view
    permission) and answers 403 to the others."""

    class Requires(permissions.BasePermission):
        def has_permission(self, request, view):
            return request.user.has_perm(perm)

    Requires.__name__ = Requires.__qualname__ = f"Requires_{perm.replace('.', '_')}"
    return Requires
