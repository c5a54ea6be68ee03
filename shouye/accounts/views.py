from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import SignInForm


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(request=request, username=form.cleaned_data["username"],
                                    password=form.cleaned_data["password"])
        except services.LoginRefused as refused:
            error = str(refused)
            status = 429 if isinstance(refused, services.AddressLocked) else 401
        else:
            login(request, user, backend="shouye.accounts.roles.AuthenticationBackend")
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("core:home")
            return redirect(target)
    return render(request, "accounts/login.html", {"form": form, "error": error,
                                                   "next": request.GET.get("next", "")},
                  status=status)


def admin_sign_in(request, extra_context=None):
    """Replaces the admin site's own sign-in form, which checks passwords with neither lock-out nor audit:
    everyone signs in on the one page (sign_in above), then returns to the admin."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user)
    logout(request)
    return redirect("accounts:login")
