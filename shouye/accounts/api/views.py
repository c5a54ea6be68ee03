from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.api.throttling import AddressRateThrottle

from .. import services
from .serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenThrottle(AddressRateThrottle):
    """SHOUYE_TOKEN_RATE_PER_MINUTE token requests per client address."""

    scope = "token"


class TokenView(APIView):
    """取得接口令牌 Obtain an API token for integrations. Same lock-out rules as the sign-in page: a locked
    user name answers 400 like a wrong password, a locked client address 429 with Retry-After."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        summary="取得令牌 Obtain a token",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="用户名或密码错误 bad credentials"),
                   429: OpenApiResponse(description="请求过多或登录失败过多 too many requests or failures")},
        tags=["auth"],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.sign_in(request=request._request, username=data.validated_data["username"],
                                    password=data.validated_data["password"])
        except services.AddressLocked as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                            headers={"Retry-After": str(refused.retry_after)})
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


