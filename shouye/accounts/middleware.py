import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from .services import record_sign_out

SESSION_KEY = "shouye_last_seen"
#: The activity stamp is rewritten at most this often (seconds), so that reading pages does not write the
#: session row on every request; the timeout is therefore exact to within this interval.
TOUCH_INTERVAL = 60


class IdleTimeoutMiddleware:
    """Ends a browser session after SHOUYE_IDLE_TIMEOUT_MINUTES without a request (等保 2.0: 登录连接超时
    自动退出). Token-authenticated API calls carry no session and are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(SESSION_KEY)
            limit = settings.SHOUYE_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - last_seen > limit:
                record_sign_out(user=user, reason="idle timeout")
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= TOUCH_INTERVAL:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
