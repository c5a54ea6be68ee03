"""Input and output shapes of the duty API (field validation only; the services decide)."""

from rest_framework import serializers

from shouye.accounts.models import User
from shouye.core.api.fields import ChoiceLabelField, ListSerializer, PrimaryKeyRelatedField, SlugRelatedField
from shouye.rules.identifiers import mask_phone

from ..choices import EntryState, HandoverState, LogKind, ReportStage, RosterState, SwapState, UnitKind
from ..models import Assignment, DutyPosition, Handover, LogEntry, Roster, SwapRequest
from ..permissions import PHONES


def phone_for(context, phone: str) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    return phone if user is not None and user.has_perm(PHONES) else mask_phone(phone)


class AssignmentSerializer(serializers.ModelSerializer):
    """一个班次 One person on one day's shift; the phone masked for roles that do not need it."""

    position = serializers.SlugRelatedField(slug_field="code", read_only=True)
    position_name = serializers.CharField(source="position.name", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "day", "position", "position_name", "name", "phone", "reason"]

    def get_phone(self, row) -> str:
        return phone_for(self.context, row.phone)


class RosterSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(read_only=True)
    unit_kind_display = ChoiceLabelField(UnitKind.choices, source="unit_kind")
    state_display = ChoiceLabelField(RosterState.choices, source="state")

    class Meta:
        model = Roster
        fields = ["id", "unit_kind", "unit_kind_display", "unit_name", "township", "enterprise", "year", "month",
                  "state", "state_display", "duty_phone", "published_at"]


class RosterDetailSerializer(RosterSerializer):
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta(RosterSerializer.Meta):
        fields = [*RosterSerializer.Meta.fields, "assignments"]


class RosterCreateSerializer(serializers.Serializer):
    """新建值班表 The unit: ``bureau``, ``township:<id>`` or ``enterprise:<id>`` (one's own)."""

    unit = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    duty_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class EmptySerializer(serializers.Serializer):
    pass


class DutyPersonSerializer(serializers.Serializer):
    """一名值班人员 A person of a township's or enterprise's rotation."""

    position = SlugRelatedField(slug_field="code", queryset=DutyPosition.objects.all())
    name = serializers.CharField(max_length=60)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class RosterGenerateSerializer(serializers.Serializer):
    """A township's or enterprise's people in rotation order (none: those of its previous month); the bureau's
    roster takes none (its rotation lists)."""

    people = ListSerializer(child=DutyPersonSerializer(), required=False, max_length=200)

    def validate(self, attrs):
        return {"people": attrs.get("people") or []}


def _roster_rows(serializer):
    return serializer.context["obj"].assignments.all()


class AddAssignmentSerializer(serializers.Serializer):
    day = serializers.DateField()
    position = SlugRelatedField(slug_field="code", queryset=DutyPosition.objects.all())
    user = PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False, allow_null=True)
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class RosterAssignmentField(PrimaryKeyRelatedField):
    """An assignment of the roster acted on."""

    def get_queryset(self):
        obj = self.parent.context.get("obj")
        return obj.assignments.all() if obj is not None else Assignment.objects.none()


class RemoveAssignmentSerializer(serializers.Serializer):
    assignment = RosterAssignmentField(queryset=Assignment.objects.all())


class RequestSwapSerializer(serializers.Serializer):
    mine = RosterAssignmentField(queryset=Assignment.objects.all())
    theirs = RosterAssignmentField(queryset=Assignment.objects.all())
    reason = serializers.CharField(max_length=200)


class SwapNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SwapSerializer(serializers.ModelSerializer):
    mine = AssignmentSerializer(read_only=True)
    theirs = AssignmentSerializer(read_only=True)
    requested_by = serializers.StringRelatedField()
    colleague = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()
    state_display = ChoiceLabelField(SwapState.choices, source="state")

    class Meta:
        model = SwapRequest
        fields = ["id", "roster", "mine", "theirs", "requested_by", "colleague", "reason", "state",
                  "state_display", "created_at", "decided_by", "decided_at", "note"]


class LogEntrySerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()
    kind_display = ChoiceLabelField(LogKind.choices, source="kind")
    state_display = ChoiceLabelField(EntryState.choices, source="state")

    class Meta:
        model = LogEntry
        fields = ["id", "kind", "kind_display", "occurred_at", "shift_day", "counterpart", "phone", "content",
                  "report_stage", "follows", "reference", "state", "state_display", "outcome", "recorded_by",
                  "recorded_at"]


class LogEntryCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LogKind.choices)
    occurred_at = serializers.DateTimeField()
    counterpart = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=4000)
    report_stage = serializers.ChoiceField(choices=ReportStage.choices, required=False, allow_blank=True,
                                           default="")
    follows = PrimaryKeyRelatedField(queryset=LogEntry.objects.all(), required=False, allow_null=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class CloseEntrySerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=200)


class HandoverSerializer(serializers.ModelSerializer):
    handed_over_by = serializers.StringRelatedField()
    acknowledged_by = serializers.StringRelatedField()
    state_display = ChoiceLabelField(HandoverState.choices, source="state")
    open_entries = LogEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Handover
        fields = ["id", "shift_day", "notes", "state", "state_display", "handed_over_by", "handed_over_at",
                  "acknowledged_by", "acknowledged_at", "open_entries"]


class HandoverCreateSerializer(serializers.Serializer):
    shift_day = serializers.DateField()
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class OnDutyUnitSerializer(serializers.Serializer):
    """一个单位当前值班 One unit's people on the current shift."""

    roster = serializers.IntegerField(source="roster.pk")
    unit_kind = serializers.CharField(source="roster.unit_kind")
    unit_name = serializers.CharField(source="roster.unit_name")
    duty_phone = serializers.CharField(source="roster.duty_phone")
    people = ListSerializer(child=AssignmentSerializer())


class NotFiledUnitSerializer(serializers.Serializer):
    """一个未报备本月值班表的单位 A township or key enterprise without a filed roster for the month."""

    kind = serializers.CharField(help_text="township | enterprise")
    kind_display = serializers.CharField()
    id = serializers.IntegerField(source="pk", help_text="The township's region id or the enterprise's id.")
    name = serializers.CharField()
    township = serializers.CharField(source="township.name", allow_null=True)
