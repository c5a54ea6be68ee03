"""Form fields shared by the apps' pages."""

from django import forms


class ScopedModelChoiceField(forms.ModelChoiceField):
    """A choice among the rows of ``queryset`` (of a scoped model: ordered, filtered as the page needs)
    that ``user`` may see (ARCHITECTURE.md §5: nobody attaches a record to what they cannot see). A row
    outside the scope is refused as an invalid choice, like an unknown one."""

    def __init__(self, queryset, *, user, **kwargs):
        super().__init__(queryset=queryset.visible_to(user), **kwargs)
