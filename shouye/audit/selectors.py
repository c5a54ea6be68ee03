from .models import AuditEvent


def timeline(obj, limit: int = 200):
    """The audit events of one object, newest first."""
    return AuditEvent.objects.for_object(obj).select_related("actor").order_by("-id")[:limit]
