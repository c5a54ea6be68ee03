"""The response API (response.py): the forces around the incident, what was dispatched and the plans that
apply (``GET /incidents/<pk>/forces/``), and each act as ``POST /incidents/<pk>/<act>/`` — the same services
as the incident's page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import response, selectors
from ..models import Incident
from ..response_actions import RESPONSE
from ..workflow import VIEW
from . import response_serializers as s

TAGS = ["incidents"]


def forces(user, incident, *, item=None, quantity=None) -> dict:
    """The answer of ``forces/`` and of every act: the nearest forces (empty without a position), the
    dispatches and the plans that apply (activated or not)."""
    around = response.nearest_forces(user, incident, item=item, quantity=quantity)
    activated = {a.plan_id for a in response.activations(incident)}
    plans = list(response.applicable_plans(user, incident))
    for plan in plans:
        plan.activated = plan.pk in activated
    return {
        "latitude": around["latitude"] if around else None, "longitude": around["longitude"] if around else None,
        "own_position": bool(around and around["own_position"]), "ranked_by": around["ranked_by"] if around else None,
        "teams": around["teams"] if around else [], "warehouses": around["warehouses"] if around else [],
        "dispatches": response.dispatches(incident), "plans": plans,
    }


class IncidentResponseViewSet(ScopedViewSetMixin, ActionViewSetMixin, viewsets.GenericViewSet):
    """应急响应（只含本人辖区）。The response to incidents within the caller's jurisdiction."""

    action_set = RESPONSE
    api_actions = tuple(RESPONSE.actions)
    action_response_serializer = s.IncidentForcesSerializer
    schema_tags = TAGS

    queryset = Incident.objects.all()
    permission_classes = [permissions.IsAuthenticated, requires(VIEW)]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.incident_detail(self.request.user)

    def detail_response(self, incident) -> Response:
        return Response(s.IncidentForcesSerializer(forces(self.request.user, incident)).data)

    @extend_schema(summary="就近力量 The nearest ready teams and warehouses (holding ``item``), the dispatches and "
                           "the plans that apply", description=s.IncidentForcesSerializer.__doc__,
                   parameters=[OpenApiParameter("item", OpenApiTypes.INT, description="a material item looked for"),
                               OpenApiParameter("quantity", OpenApiTypes.NUMBER, description="the quantity needed")],
                   responses={200: s.IncidentForcesSerializer}, tags=TAGS)
    @action(detail=True, methods=["get"], url_path="forces")
    @error_responses(400)
    def forces(self, request, pk=None):
        incident = self.get_object()
        query = s.IncidentForcesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(s.IncidentForcesSerializer(forces(request.user, incident, **query.validated_data)).data)
