"""Page inputs of the alarm's acts (input shapes only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import ActionForm
from shouye.core.bounds import MAX_PHOTOS
from shouye.core.forms import MultipleFileField, MultipleFileInput
from shouye.hazards.forms import style

from .choices import Disposition

TEXTAREA = forms.Textarea(attrs={"rows": 2})
#: On a phone the photo input opens the camera.
CAMERA = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})


class _Styled(ActionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class NoteForm(_Styled):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class HandlingForm(_Styled):
    cause = forms.CharField(label=_("Cause"), max_length=2000, required=False, widget=TEXTAREA)
    measures = forms.CharField(label=_("Measures taken"), max_length=2000, required=False, widget=TEXTAREA)
    photos = MultipleFileField(label=_("Photos"), max_items=MAX_PHOTOS, widget=CAMERA)


class CloseForm(_Styled):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=[("", "---------"), *Disposition.choices],
                                    required=False)
    note = forms.CharField(label=_("Closing note"), max_length=2000, required=False, widget=TEXTAREA)


class ReportHazardForm(_Styled):
    note = forms.CharField(label=_("Add to the description"), max_length=2000, required=False, widget=TEXTAREA)
