from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))

    def update(self, **kwargs):  # noqa: D401 - a guard, not an API
        raise RuntimeError("Audit events are append-only")

    def delete(self):
        raise RuntimeError("Audit events are append-only")


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail (ARCHITECTURE.md §6; 等保 2.0 security audit).

    ``hash`` covers this event's fields and the previous event's hash, so editing or deleting any event
    breaks the chain at that point (``shouye audit verify``); it is an HMAC under a key kept outside the
    database, and the chain's end is anchored outside it too (docs/decisions/0006). The event is written in its act's transaction
    with ``seq``, ``prev_hash`` and ``hash`` empty and linked into the chain ("sealed") just after that
    transaction commits, so that no act waits for another's transaction (docs/decisions/0005)."""

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    verb = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    #: The position in the chain (1, 2, 3 … without gaps); empty until the event is sealed.
    seq = models.BigIntegerField(null=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, null=True, editable=False)
    hash = models.CharField(max_length=64, null=True, unique=True, editable=False)
    #: The id of the key whose HMAC ``hash`` is (shouye.audit.keys); empty for an event sealed before keys,
    #: whose hash is plain SHA-256 (docs/decisions/0006).
    key_id = models.CharField(max_length=16, blank=True, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "id"]),
            # The sealer's work list: the few events written but not yet linked into the chain.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_event_unsealed"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only")


class AuditHead(models.Model):
    """The newest sealed event's position and hash, kept apart from the chain: deleting the newest events
    leaves every remaining link intact, so verification also compares the chain's end with this row. The
    sealer locks this one row while it links events, so two sealers never give out the same position."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"{self.last_seq}:{self.last_hash[:12]}"
