from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .forms import SignInForm


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


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user)
    logout(request)
    return redirect("accounts:login")
