"""Pages of the work calendar, for the bureau administrator (``workcalendar.add_workcalendaryear``): the
years, one year's days off and make-up working days, adding a year from the official notice, and importing a
year the chinese_calendar package knows. Thin: the work is in ``services`` and ``selectors``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.audit.selectors import timeline

from . import selectors, services
from .forms import AddYearForm, line_error
from .models import WorkCalendarYear
from .package import package_version, package_years


def _require_admin(user) -> None:
    if not user.has_perm(services.PERMISSION):
        raise PermissionDenied


@login_required
@require_GET
def year_list(request):
    _require_admin(request.user)
    years = list(selectors.calendar_years())
    present = {row.year for row in years}
    return render(request, "workcalendar/list.html", {
        "years": years,
        "importable": [year for year in package_years() if year not in present],
        "package_version": package_version(),
    })


@login_required
@require_GET
def year_detail(request, year):
    _require_admin(request.user)
    calendar_year = get_object_or_404(WorkCalendarYear.objects.select_related("created_by"), year=year)
    days = list(calendar_year.days.all())
    return render(request, "workcalendar/detail.html", {
        "calendar_year": calendar_year,
        "months": selectors.year_grid(calendar_year),
        "days_off": [d for d in days if not d.is_workday],
        "makeup_days": [d for d in days if d.is_workday],
        "timeline": timeline(calendar_year),
    })


def _place_errors(form: AddYearForm, exc: ValidationError, lines: list[int]) -> None:
    """The service's messages on the form: ``days[i]`` goes to the textarea with the line it came from."""
    for key, messages_ in exc.message_dict.items():
        if key.startswith("days["):
            line = lines[int(key[5:-1])]
            form.add_error("arrangement", [line_error(line, message) for message in messages_])
        elif key == "days":
            form.add_error("arrangement", messages_)
        elif key in form.fields:
            form.add_error(key, messages_)
        else:
            form.add_error(None, messages_)


@login_required
@require_http_methods(["GET", "POST"])
def year_add(request):
    _require_admin(request.user)
    form = AddYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        days, lines = form.days()
        try:
            row = services.add_year(actor=request.user, year=form.cleaned_data["year"], days=days,
                                    announced_on=form.cleaned_data["announced_on"],
                                    note=form.cleaned_data["note"])
        except ValidationError as exc:
            _place_errors(form, exc, lines)
        else:
            messages.success(request, _("The arrangement for %(year)s is saved.") % {"year": row.year})
            return redirect("workcalendar:year", year=row.year)
    return render(request, "workcalendar/add.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def year_import(request):
    _require_admin(request.user)
    text = request.POST.get("year", "").strip()
    if not text.isdigit():
        messages.error(request, _("Enter the year to import."))
        return redirect("workcalendar:list")
    try:
        row = services.import_year_from_package(actor=request.user, year=int(text))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("workcalendar:list")
    messages.success(request, _("The arrangement for %(year)s is imported from chinese_calendar.")
                     % {"year": row.year})
    return redirect("workcalendar:year", year=row.year)
