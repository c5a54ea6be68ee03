"""The permits API: list, detail, creating one (filled in, or pushed by an enterprise's own system), each act as
``POST /<pk>/<act>/``, and the gas tests and signatures as sub-resources (GET the rows, POST a new one) — the
same services as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, chains, selectors, services
from ..filters import PermitFilter
from ..models import SpecialOperationPermit
from ..workflow import VIEW
from . import serializers as s

TAGS = ["permits"]
JSON = "application/json"
#: The acts served as ``POST /<pk>/<act>/``; gas tests and signatures have their own sub-resources.
API_ACTIONS = tuple(name for name in actions.PERMIT.actions if name != "gas-test")


CanView = requires(VIEW)


@extend_schema_view(
    list=extend_schema(summary="特殊作业票 The permits in the caller's scope", tags=TAGS),
    retrieve=extend_schema(summary="作业票详情 One permit with its people, measures, gas tests and signatures",
                           tags=TAGS),
    create=extend_schema(
        summary="开具或推送作业票 Fill in a permit, or push one issued by the enterprise's own system",
        description=s.PermitCreateSerializer.__doc__, request={JSON: s.PermitCreateSerializer},
        responses={201: s.PermitDetailSerializer}, tags=TAGS),
)
class PermitViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.CreateModelMixin, viewsets.GenericViewSet):
    """特殊作业票（只含本人辖区）。Special-operation permits within the caller's jurisdiction. A permit pushed by an
    enterprise's system (``source=external``) takes the same acts; what violates the rules is recorded in its
    ``problems`` instead of being refused."""

    action_set = actions.PERMIT
    api_actions = API_ACTIONS
    action_response_serializer = s.PermitDetailSerializer
    schema_tags = TAGS

    queryset = SpecialOperationPermit.objects.all()
    filterset_class = PermitFilter
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        if self.action == "list":
            return selectors.permits(self.request.user).order_by("-applied_at", "-id")
        return selectors.permit_detail(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return s.PermitListSerializer
        if self.action == "create":
            return s.PermitCreateSerializer
        return s.PermitDetailSerializer

    def detail_response(self, permit, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.permit_detail(self.request.user).get(pk=permit.pk)
        return Response(s.PermitDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.PermitCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        permit = services.create_permit(actor=request.user, **serializer.validated_data)
        return self.detail_response(permit, status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="气体分析 The permit's gas tests", filters=False,
                   responses={200: s.PermitGasTestSerializer(many=True)}, tags=TAGS)
    @extend_schema(methods=["POST"], summary="记录气体分析 Record a gas test (the verdict of GB 30871-2022 5.3, "
                                             "6.4 stored; during work it is a re-test)",
                   request={JSON: s.PermitGasTestInputSerializer}, responses={201: s.PermitGasTestSerializer}, tags=TAGS)
    @action(detail=True, methods=["get", "post"], url_path="gas-tests", pagination_class=None,
            filterset_class=None)
    def gas_test(self, request, pk=None):
        if request.method == "GET":
            return Response(s.PermitGasTestSerializer(self.get_object().gas_tests.all(), many=True).data)
        _permit, test = self.run_action(request, "gas-test")
        return Response(s.PermitGasTestSerializer(test).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="签字 The permit's signatures in the form's order", filters=False,
                   responses={200: s.PermitSignatureSerializer(many=True)}, tags=TAGS)
    @extend_schema(methods=["POST"], summary="签字 The next signature of the form's chain (sign, approve, the shift "
                                             "leader's check or the acceptance, whichever is next; in order only)",
                   request={JSON: s.PermitSignSerializer}, responses={201: s.PermitSignatureSerializer}, tags=TAGS)
    @action(detail=True, methods=["get", "post"], url_path="signatures", pagination_class=None,
            filterset_class=None)
    @error_responses(409)
    def signatures(self, request, pk=None):
        permit = self.get_object()
        if request.method == "GET":
            return Response(s.PermitSignatureSerializer(permit.signatures.all(), many=True).data)
        following = chains.next_step(permit.kind, {sig.step for sig in permit.signatures.all()})
        act = services.act_of(following) if following is not None else "accept"
        _permit, signature = self.run_action(request, act)
        return Response(s.PermitSignatureSerializer(signature).data, status=status.HTTP_201_CREATED)
