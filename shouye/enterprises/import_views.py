from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import ImportForm


@login_required
def import_page(request):
    return render(request, "enterprises/import.html", {"form": ImportForm()})
