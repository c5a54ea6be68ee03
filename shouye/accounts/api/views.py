from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .. import services
from .serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenView(APIView):
    """取得接口令牌 Obtain an API token for integrations. Same lock-out rules as the sign-in page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        summary="取得令牌 Obtain a token",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="用户名或密码错误 bad credentials")},
        tags=["auth"],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.sign_in(request=request._request, username=data.validated_data["username"],
                                    password=data.validated_data["password"])
        except services.LoginRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """当前用户、角色与权限 The signed-in user, its memberships and permissions."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="当前用户 Current user", responses=MeSerializer, tags=["auth"])
    def get(self, request):
        return Response(MeSerializer(request.user).data)


