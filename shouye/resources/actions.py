"""The acts on a team, a warehouse and a reserve, declared once for the pages and the API (shouye/core/actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import RESERVE_WORKFLOW, TEAM_WORKFLOW, WAREHOUSE_WORKFLOW

TEAM = register(ActionSet(
    key="resources.team", workflow=TEAM_WORKFLOW, lookup=selectors.team_detail, noun=_("rescue team"),
    detail_url=lambda team: reverse("resources:team", kwargs={"pk": team.pk}),
).add(
    Action("deploy", title=_("Dispatch the team"), button=_("Dispatch"), success=_("The team is dispatched."),
           form=forms.DispatchTeamForm, serializer=s.DispatchTeamSerializer,
           summary="派出队伍 Dispatch a ready team (ready → deployed), optionally to an incident",
           perform=lambda actor, team, data: services.dispatch_team(
               actor=actor, team=team, note=data["note"], incident=data.get("incident") or None)),
    Action("return", title=_("Back and ready"), button=_("Ready again"), success=_("The team is ready."),
           form=forms.ReturnForm, serializer=s.OptionalNoteSerializer,
           summary="归队待命 The team is back and ready",
           perform=lambda actor, team, data: services.return_team(actor=actor, team=team, note=data["note"])),
    Action("stand-down", title=_("Stand the team down"), button=_("Stand down"),
           success=_("The team is stood down."), form=forms.NoteForm, serializer=s.NoteSerializer,
           summary="暂停待命 Stand the team down (not available)",
           perform=lambda actor, team, data: services.stand_down_team(actor=actor, team=team, note=data["note"])),
    Action("add-member", title=_("Add a member"), button=_("Add"), success=_("The member is added."),
           form=forms.AddMemberForm, serializer=s.MemberInputSerializer, summary="增加队员 Add a member",
           perform=lambda actor, team, data: services.add_member(actor=actor, team=team, **data)),
    Action("remove-member", title=_("Remove a member"), button=_("Remove"), success=_("The member is removed."),
           form=forms.RemoveMemberForm, serializer=s.RemoveMemberSerializer, summary="移除队员 Remove a member",
           perform=lambda actor, team, data: services.remove_member(actor=actor, team=team, member=data["member"])),
    Action("add-equipment", title=_("Add equipment"), button=_("Add"), success=_("The equipment is added."),
           form=forms.AddEquipmentForm, serializer=s.EquipmentInputSerializer, summary="增加装备 Add equipment",
           perform=lambda actor, team, data: services.add_equipment(actor=actor, team=team, **data)),
    Action("add-agreement", title=_("Record a rescue agreement"), button=_("Record"),
           success=_("The agreement is recorded."), form=forms.AddAgreementForm, serializer=s.AgreementInputSerializer,
           summary="救援协议 Record an agreement binding the team to the district or an enterprise (708号令 Art. 10)",
           perform=lambda actor, team, data: services.add_agreement(actor=actor, team=team, **data)),
))


def _moved(service):
    return lambda actor, warehouse, data: service(actor=actor, warehouse=warehouse, **data)


WAREHOUSE = register(ActionSet(
    key="resources.warehouse", workflow=WAREHOUSE_WORKFLOW, lookup=selectors.warehouse_detail,
    noun=_("warehouse"), detail_url=lambda warehouse: reverse("resources:warehouse", kwargs={"pk": warehouse.pk}),
).add(
    Action("stock-in", title=_("Stock in"), button=_("Stock in"), success=_("The stock is received."),
           form=forms.StockInForm, serializer=s.StockInSerializer, summary="入库 Receive stock (a batch and its expiry)",
           perform=_moved(services.stock_in)),
    Action("stock-out", title=_("Stock out"), button=_("Stock out"), success=_("The stock is issued."),
           form=forms.StockOutForm, serializer=s.StockOutSerializer, summary="出库 Issue stock",
           perform=_moved(services.stock_out)),
    Action("dispatch-items", title=_("Dispatch to an incident"), button=_("Dispatch"),
           success=_("The materials are dispatched."), form=forms.DispatchItemsForm,
           serializer=s.DispatchItemsSerializer, summary="调拨应急 Dispatch materials to an incident",
           perform=lambda actor, warehouse, data: services.dispatch_items(
               actor=actor, warehouse=warehouse, item=data["item"], quantity=data["quantity"], note=data["note"],
               incident=data.get("incident") or None)),
    Action("transfer", title=_("Transfer to another warehouse"), button=_("Transfer"),
           success=_("The stock is transferred."), form=forms.TransferForm, serializer=s.TransferSerializer,
           summary="调库 Transfer stock to another warehouse", perform=_moved(services.transfer_stock)),
    Action("scrap", title=_("Scrap"), button=_("Scrap"), success=_("The stock is scrapped."),
           form=forms.StockOutForm, serializer=s.StockOutSerializer,
           summary="报废 Scrap stock at or past expiry (Shandong 应急保障条例 Art. 43)",
           perform=_moved(services.scrap_stock)),
    Action("set-minimum", title=_("Set the minimum stock"), button=_("Save"), success=_("The minimum is saved."),
           form=forms.SetMinimumForm, serializer=s.SetMinimumSerializer, summary="最低库存 Set an item's minimum stock",
           perform=_moved(services.set_minimum)),
    Action("close", title=_("Close the warehouse"), button=_("Close"), success=_("The warehouse is closed."),
           form=forms.NoteForm, serializer=s.NoteSerializer, summary="停用仓库 Close an empty warehouse",
           perform=lambda actor, warehouse, data: services.close_warehouse(
               actor=actor, warehouse=warehouse, note=data["note"])),
))

RESERVE = register(ActionSet(
    key="resources.reserve", workflow=RESERVE_WORKFLOW, lookup=selectors.reserve_detail,
    noun=_("reserve agreement"), detail_url=lambda reserve: reverse("resources:reserve", kwargs={"pk": reserve.pk}),
).add(
    Action("set-item", title=_("Set an item's quantity"), button=_("Save"), success=_("The item is saved."),
           form=forms.SetReserveItemForm, serializer=s.SetReserveItemSerializer,
           summary="储备品种 Set the quantity of an item of the reserve (per day for a capacity reserve; 0 takes "
                   "it off)",
           perform=lambda actor, reserve, data: services.set_reserve_item(actor=actor, reserve=reserve, **data)),
    Action("terminate", title=_("Terminate the agreement"), button=_("Terminate"),
           success=_("The agreement is terminated."), form=forms.NoteForm, serializer=s.NoteSerializer,
           summary="终止协议 End the agreement before its term (it stops counting at once)",
           perform=lambda actor, reserve, data: services.terminate_reserve(actor=actor, reserve=reserve,
                                                                           note=data["note"])),
))
