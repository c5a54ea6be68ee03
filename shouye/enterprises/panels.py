"""The registry's panels on the home page: counts by township, industry and grade, licence warnings."""

from django.utils.translation import gettext_lazy as _

from shouye.accounts.models import User
from shouye.core.registry import Panel, home_panels

from . import selectors


def _counts_context(request):
    user = request.user
    return {
        "by_township": selectors.counts_by(user, "township__code", "township__name"),
        "by_industry": selectors.counts_by(user, "industry__code", "industry__name"),
        "by_grade": selectors.counts_by(user, "supervision_grade__code", "supervision_grade__name"),
    }


def _licence_context(request):
    return selectors.licence_warnings(request.user)


home_panels.register(Panel(key="enterprise-counts", title=_("Enterprises"),
                           template="enterprises/panels/home_counts.html", context=_counts_context, order=10,
                           condition=User.supervises))
home_panels.register(Panel(key="licence-warnings", title=_("Licence expiry warnings"),
                           template="enterprises/panels/home_licences.html", context=_licence_context, order=20,
                           condition=User.supervises))
