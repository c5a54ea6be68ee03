"""The installation's workflow (ARCHITECTURE.md §4): draft → filed (备案) → cancelled (核销); the inventory,
the persons (and so their duty tasks) change in draft and filed, never once cancelled. Enterprise users manage
their own enterprise's installations; supervisors read (issue 11)."""

from shouye.core.workflow import Step, Workflow

from .choices import InstallationState as S

VIEW = "major_hazards.view_majorhazardinstallation"
MANAGE = "major_hazards.manage_installation"
EXPORT = "major_hazards.export_installation"

LIVE = (S.DRAFT, S.FILED)

WORKFLOW = Workflow(states=S, steps=[
    Step("edit", sources=LIVE, permissions=(MANAGE,)),
    Step("add-substance", sources=LIVE, permissions=(MANAGE,)),
    Step("remove-substance", sources=LIVE, permissions=(MANAGE,)),
    Step("appoint", sources=LIVE, permissions=(MANAGE,)),
    Step("filing", sources=(S.DRAFT,), target=S.FILED, permissions=(MANAGE,)),
    Step("cancel", sources=LIVE, target=S.CANCELLED, permissions=(MANAGE,)),
])
