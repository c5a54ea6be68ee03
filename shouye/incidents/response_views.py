"""The incident page's "Response" panel (issue 14): where the incident is (or a form to say so), the nearest
ready teams and the warehouses holding the material looked for, each with its dispatch button, what was
dispatched (teams with their return button), and the plans that apply with their "activate" button. The
acts themselves are the action set's (response_actions.py), served by shouye.core.actions."""

from __future__ import annotations

from django.urls import reverse

from shouye.core.actions import FIRST_VIEW, PageState

from . import response, response_forms
from .models import Incident
from .response_actions import RESPONSE


def panel(request, incident: Incident, state: PageState = FIRST_VIEW) -> dict:
    """The panel's context; a refused response act shows its form's errors here."""
    available = set(RESPONSE.available(request.user, incident))
    search = response_forms.NearestForm(request.GET or None)
    item = quantity = None
    if search.is_bound and search.is_valid():
        item, quantity = search.cleaned_data["item"], search.cleaned_data["quantity"]
    forces = response.nearest_forces(request.user, incident, item=item, quantity=quantity)
    activated = {a.plan_id: a for a in response.activations(incident)}
    plans = list(response.applicable_plans(request.user, incident))
    for plan in plans:
        plan.activation = activated.get(plan.pk)
    errors = []
    if state.form is not None and state.action in RESPONSE.actions:
        errors = [str(message) for messages in state.form.errors.values() for message in messages]
    return {
        "response": {
            "can": available, "forces": forces, "search": search, "item": item,
            "quantity": quantity or 1, "dispatches": response.dispatches(incident), "plans": plans,
            "errors": errors,
            "urls": {name.replace("-", "_"): reverse(f"incidents:{name}", kwargs={"pk": incident.pk}) for name in RESPONSE.actions},
        },
    }
