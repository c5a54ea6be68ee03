"""The acts on a roster, a swap, a log entry and a handover, declared once for the pages and the API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import ENTRY, HANDOVER, ROSTER, SWAP

ROSTER_ACTIONS = register(ActionSet(
    key="duty.roster", workflow=ROSTER, lookup=selectors.roster_detail, noun=_("duty roster"),
    detail_url=lambda roster: reverse("duty:roster", kwargs={"pk": roster.pk}),
).add(
    Action("generate", title=_("Generate from the rotation"), button=_("Generate"),
           success=_("The roster is generated from the rotation."), form=forms.GenerateForm,
           serializer=s.RosterGenerateSerializer,
           summary="按轮班生成 Fill a draft month by rotation (reinforced days, seasons, leaves): the bureau's from "
                   "its rotation lists, a township's or enterprise's from `people` (default: its previous month's)",
           perform=lambda actor, roster, data: services.generate_roster(actor=actor, roster=roster, **data)),
    Action("add-assignment", title=_("Add a person"), button=_("Add"), success=_("The person is added."),
           form=forms.AddAssignmentForm, serializer=s.AddAssignmentSerializer,
           summary="增加值班人员 Put a person on a day of a draft roster",
           perform=lambda actor, roster, data: services.add_assignment(actor=actor, roster=roster, **data)),
    Action("remove-assignment", title=_("Remove a person"), button=_("Remove"),
           success=_("The person is removed."), form=forms.RemoveAssignmentForm,
           serializer=s.RemoveAssignmentSerializer,
           summary="删除值班人员 Remove a person from a draft roster",
           perform=lambda actor, roster, data: services.remove_assignment(actor=actor, roster=roster, **data)),
    Action("publish", title=_("Publish"), button=_("Publish"), success=_("The roster is published."),
           form=forms.PublishForm, serializer=s.EmptySerializer,
           summary="发布值班表 Publish (refused with each problem: a day without its leader, a person twice, "
                   "a person on leave)",
           perform=lambda actor, roster, data: services.publish_roster(actor=actor, roster=roster)),
    Action("file", title=_("File with the bureau"), button=_("File the roster"),
           success=_("The roster is filed with the bureau."), form=forms.PublishForm, serializer=s.EmptySerializer,
           summary="报备值班表 A township or key enterprise files its roster with the bureau (refused with each "
                   "problem, as publishing)",
           perform=lambda actor, roster, data: services.file_roster(actor=actor, roster=roster)),
    Action("request-swap", title=_("Ask to swap a shift"), button=_("Ask"),
           success=_("The swap is asked; your colleague answers it."), form=forms.RequestSwapForm,
           serializer=s.RequestSwapSerializer,
           summary="申请换班 Ask a colleague to swap shifts on the published bureau roster",
           next_url=lambda request, roster, swap: reverse("duty:swap", kwargs={"pk": swap.pk}),
           perform=lambda actor, roster, data: services.request_swap(actor=actor, roster=roster, **data)),
))

SWAP_ACTIONS = register(ActionSet(
    key="duty.swap", workflow=SWAP, lookup=selectors.swaps, noun=_("duty swap"),
    detail_url=lambda swap: reverse("duty:swap", kwargs={"pk": swap.pk}),
).add(
    Action("agree", title=_("Agree"), button=_("Agree"), success=_("You agreed; a leader approves it."),
           form=forms.NoteForm, serializer=s.SwapNoteSerializer, summary="同意换班 The colleague agrees",
           perform=lambda actor, swap, data: services.answer_swap(actor=actor, swap=swap, action="agree", **data)),
    Action("decline", title=_("Decline"), button=_("Decline"), success=_("You declined the swap."),
           form=forms.NoteForm, serializer=s.SwapNoteSerializer, summary="拒绝换班 The colleague declines",
           perform=lambda actor, swap, data: services.answer_swap(actor=actor, swap=swap, action="decline",
                                                                  **data)),
    Action("approve", title=_("Approve"), button=_("Approve"), success=_("Approved: the roster is changed."),
           form=forms.NoteForm, serializer=s.SwapNoteSerializer,
           summary="批准换班 A leader approves: the two shifts are exchanged in one transaction",
           perform=lambda actor, swap, data: services.approve_swap(actor=actor, swap=swap, **data)),
    Action("reject", title=_("Reject"), button=_("Reject"), success=_("The swap is rejected."),
           form=forms.NoteForm, serializer=s.SwapNoteSerializer, summary="不批准换班 A leader rejects",
           perform=lambda actor, swap, data: services.answer_swap(actor=actor, swap=swap, action="reject",
                                                                  **data)),
))

ENTRY_ACTIONS = register(ActionSet(
    key="duty.entry", workflow=ENTRY, lookup=selectors.log_entries, noun=_("duty log entry"),
    detail_url=lambda entry: reverse("duty:entry", kwargs={"pk": entry.pk}),
).add(
    Action("close", title=_("Close"), button=_("Close"), success=_("The entry is closed."),
           form=forms.CloseEntryForm, serializer=s.CloseEntrySerializer, summary="办结 Close a log entry",
           perform=lambda actor, entry, data: services.close_entry(actor=actor, entry=entry, **data)),
))

HANDOVER_ACTIONS = register(ActionSet(
    key="duty.handover", workflow=HANDOVER, lookup=selectors.handovers, noun=_("handover"),
    detail_url=lambda handover: reverse("duty:handover", kwargs={"pk": handover.pk}),
).add(
    Action("acknowledge", title=_("Acknowledge"), button=_("Acknowledge the handover"),
           success=_("The handover is acknowledged."), form=forms.PublishForm, serializer=s.EmptySerializer,
           summary="接班确认 The next shift acknowledges the handover",
           perform=lambda actor, handover, data: services.acknowledge_handover(actor=actor, handover=handover)),
))
