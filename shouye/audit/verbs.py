"""Human labels for audit verbs, shown on every object's timeline. Apps register their verbs in
AppConfig.ready(); the audit app hands the table to core's timeline (``core.registry.verb_label_providers``),
and an unregistered verb is shown as it is."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "auth.login": _("signed in"),
    "auth.logout": _("signed out"),
    "auth.login_failed": _("failed to sign in"),
    "auth.lockout": _("was locked out"),
    "auth.login_refused_locked": _("tried to sign in while locked out"),
    "auth.address_lockout": _("had its network address locked out after too many failed sign-ins"),
    "auth.login_refused_address_locked": _("tried to sign in from a locked-out network address"),
    "demo.load": _("loaded the demo"),
    "audit.keyed": _("began sealing the audit trail with its key"),
}


def register(verb: str, label) -> None:
    LABELS[verb] = label
