"""``POST /api/v1/alarms/intake/<vendor code>/``: where a video-AI platform posts its alarms (issue 13).

No session or token: the vendor signs each request with its own secret (``auth.py``). The body is read raw —
the signature covers its exact bytes — bounded in size (``SHOUYE_VIDEO_INTAKE_MAX_BYTES``) before it is
read and in depth before it is parsed (ARCHITECTURE.md §10), then read by the vendor's adapter. Every refusal
is in the API's one error shape and writes nothing (apart from counting an unmapped type code). An event
that passes is written to the inbox (one row, committed) and answered 202 at once: the processor makes it an
alarm within moments (``services.py``), so a post costs a fraction of what raising the alarm costs (issue 13:
1,000 alarms a second, p99 ≤ 100 ms). Served by ``config/wsgi.py``, the posts that pass are answered ahead of
Django's request handling by the fast path (``fastpath.py``), with this module's :func:`parse_body` and
:func:`answer`; this view answers every refusal, and every post that does not come through ``config/wsgi.py``
(Django's test client, ``config/asgi.py``)."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, PolymorphicProxySerializer, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json
from rest_framework.views import APIView

from shouye.core.api.parsers import MAX_JSON_DEPTH, JSONParser, nested_deeper_than
from shouye.core.api.schema import error_responses

from . import adapters, auth, services


class IntakeAnswerSerializer(serializers.Serializer):
    event = serializers.IntegerField(help_text="接收编号 The platform's number of the received event")
    received_as = serializers.ChoiceField(
        choices=services.RECEIPTS,
        help_text="accepted: 已接收，稍后生成或计入告警 received, the alarm follows within moments (202); "
                  "duplicate: 同一事件重复投递 the event was received before (200)")
    alarm = serializers.IntegerField(
        allow_null=True,
        help_text="告警编号 For a duplicate, the alarm the event raised or repeated, once made; null before")
    repeat_count = serializers.IntegerField(
        allow_null=True, help_text="该告警已出现的次数 Times that alarm has been seen; null before it is made")


def _header(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, required=True, description=description)


class AlarmIntakeView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []
    parser_classes = [JSONParser]

    def get_authenticate_header(self, request):
        """A refused signature is 401 (not 403) and names the scheme the vendor must use."""
        return 'Shouye-HMAC realm="api"'

    @extend_schema(
        operation_id="alarm_intake",
        summary="视频智能分析告警接入 A video-AI vendor posts an alarm",
        description=(
            "厂商以自己的密钥签名每个请求 The vendor signs each request with its own secret: `X-Shouye-Signature` = hex "
            "HMAC-SHA256(secret, `<X-Shouye-Timestamp>` + `\\n` + raw body). The body is the vendor protocol's "
            "event: generic JSON or GB/T 28181 alarm fields. 202: 已接收 the event is stored and becomes an alarm "
            "(or counts on the open alarm of its scene) within moments. Replaying an event answers 200 "
            "`duplicate`, with the alarm it made once it is made."),
        request=PolymorphicProxySerializer(component_name="VideoAlarmEvent", resource_type_field_name=None,
                                           serializers=[adapters.GenericEventSerializer,
                                                        adapters.GB28181EventSerializer]),
        parameters=[_header(auth.KEY_HEADER, "厂商密钥编号 The vendor's key id"),
                    _header(auth.TIMESTAMP_HEADER, "发送时间（Unix 秒）Time of sending, epoch seconds"),
                    _header(auth.SIGNATURE_HEADER, "签名 Hex HMAC-SHA256 of timestamp, newline and body")],
        responses={202: IntakeAnswerSerializer, 200: IntakeAnswerSerializer},
        auth=[],
    )
    @error_responses(401, 403)
    def post(self, request, vendor: str):
        body = auth.read_body(request._request)
        credentials = auth.verify_signed_request(vendor, request.headers, body)
        event = adapters.read_event(credentials.protocol, parse_body(body))
        return answer(services.accept_event(vendor=credentials, event=event))


def answer(receipt: services.Receipt) -> JsonResponse:
    """What the intake answers for an event it took (this view and the fast path, ``fastpath.py``)."""
    return JsonResponse({"event": receipt.event, "received_as": receipt.received_as, "alarm": receipt.alarm_id,
                         "repeat_count": receipt.repeat_count},
                        status=202 if receipt.received_as == services.ACCEPTED else 200)


def parse_body(body: bytes):
    """The body's JSON, or ParseError (400): not UTF-8, nested too deep, not JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(_("The body is not text in %(encoding)s.") % {"encoding": "utf-8"}) from exc
    if nested_deeper_than(text, MAX_JSON_DEPTH):
        raise ParseError(_("The JSON is nested more than %(max)d levels deep.") % {"max": MAX_JSON_DEPTH})
    try:
        return json.loads(text, parse_constant=json.strict_constant)
    except ValueError as exc:
        raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc
