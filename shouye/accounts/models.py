from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import SUPERVISING_ROLES, OrganisationKind, Role


class Organisation(models.Model):
    """The bureau and its sections and squads, industry departments, township offices, expert pools."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in. What they see and do comes from their memberships."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    #: 执法证号: printed beside the inspector's name on every enforcement document (《安全生产执法程序规定》
    #: requires inspectors to show their enforcement certificates), offered when inspectors are picked.
    enforcement_certificate_no = models.CharField(_("enforcement certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    def active_memberships(self) -> list["Membership"]:
        """The user's active memberships, read once per request (roles, permissions and scope use them)."""
        cached = getattr(self, "_shouye_memberships", None)
        if cached is None:
            cached = list(self.memberships.filter(active=True).select_related("organisation"))
            self._shouye_memberships = cached
        return cached

    def active_roles(self) -> set[str]:
        return {membership.role for membership in self.active_memberships()}

    def has_role(self, *roles: str) -> bool:
        return bool(self.active_roles() & set(roles))

    def supervises(self) -> bool:
        """Whether the user supervises enterprises (a bureau, township or department role, or a superuser)."""
        return self.is_superuser or self.has_role(*SUPERVISING_ROLES)


class Membership(models.Model):
    """User × role × (region | organisation | enterprise). A user may hold several."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="memberships")
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="memberships")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="memberships")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="township_officer_has_region",
                condition=~models.Q(role=Role.TOWNSHIP_OFFICER) | models.Q(region__isnull=False),
            ),
            models.CheckConstraint(
                name="department_officer_has_organisation",
                condition=~models.Q(role=Role.DEPARTMENT_OFFICER) | models.Q(organisation__isnull=False),
            ),
            models.CheckConstraint(
                name="enterprise_user_has_enterprise",
                condition=~models.Q(role=Role.ENTERPRISE_USER) | models.Q(enterprise__isnull=False),
            ),
        ]

    def __str__(self):
        target = self.region or self.organisation or self.enterprise or ""
        return f"{self.user} · {self.get_role_display()} · {target}"
