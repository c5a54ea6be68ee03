"""The team's readiness (ready / deployed / stood down), the warehouse's acts and the reserve's, as workflows
(ARCHITECTURE.md §4): who may take each act and in which state."""

from shouye.core.workflow import Step, Workflow

from .choices import Readiness as R
from .choices import ReserveState as S
from .choices import WarehouseState as W
from .permissions import DISPATCH, MANAGE_RESERVE, MANAGE_TEAM, MANAGE_WAREHOUSE

ANY = (R.READY, R.DEPLOYED, R.STOOD_DOWN)

TEAM_WORKFLOW = Workflow(states=R, state_field="readiness", steps=[
    Step("deploy", sources=(R.READY,), target=R.DEPLOYED, permissions=(DISPATCH,)),
    Step("return", sources=(R.DEPLOYED, R.STOOD_DOWN), target=R.READY, permissions=(MANAGE_TEAM,)),
    Step("stand-down", sources=(R.READY, R.DEPLOYED), target=R.STOOD_DOWN, permissions=(MANAGE_TEAM,)),
    Step("add-member", sources=ANY, permissions=(MANAGE_TEAM,)),
    Step("remove-member", sources=ANY, permissions=(MANAGE_TEAM,)),
    Step("add-equipment", sources=ANY, permissions=(MANAGE_TEAM,)),
    Step("add-agreement", sources=ANY, permissions=(MANAGE_TEAM,)),
])

WAREHOUSE_WORKFLOW = Workflow(states=W, steps=[
    Step("stock-in", sources=(W.OPEN,), permissions=(MANAGE_WAREHOUSE,)),
    Step("stock-out", sources=(W.OPEN,), permissions=(MANAGE_WAREHOUSE,)),
    Step("transfer", sources=(W.OPEN,), permissions=(MANAGE_WAREHOUSE,)),
    Step("dispatch-items", sources=(W.OPEN,), permissions=(DISPATCH,)),
    Step("scrap", sources=(W.OPEN,), permissions=(MANAGE_WAREHOUSE,)),
    Step("set-minimum", sources=(W.OPEN,), permissions=(MANAGE_WAREHOUSE,)),
    Step("close", sources=(W.OPEN,), target=W.CLOSED, permissions=(MANAGE_WAREHOUSE,)),
])

RESERVE_WORKFLOW = Workflow(states=S, steps=[
    Step("set-item", sources=(S.ACTIVE,), permissions=(MANAGE_RESERVE,)),
    Step("terminate", sources=(S.ACTIVE,), target=S.TERMINATED, permissions=(MANAGE_RESERVE,)),
])
