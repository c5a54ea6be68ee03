"""A warning's workflow: issued → adjusted (any number of times) → lifted (Art. 70: lifting ends the warning
period). Units acknowledge and tick measures while it is in force, and the enterprises notified acknowledge."""

from shouye.core.workflow import Step, Workflow

from .choices import WarningState as S
from .permissions import ACKNOWLEDGE, ACKNOWLEDGE_AS_ENTERPRISE, ISSUE

IN_FORCE = (S.ISSUED, S.ADJUSTED)

WORKFLOW = Workflow(states=S, steps=[
    Step("adjust", sources=IN_FORCE, target=S.ADJUSTED, permissions=(ISSUE,)),
    Step("lift", sources=IN_FORCE, target=S.LIFTED, permissions=(ISSUE,)),
    Step("acknowledge", sources=IN_FORCE, permissions=(ACKNOWLEDGE,)),
    Step("tick", sources=IN_FORCE, permissions=(ACKNOWLEDGE,)),
    Step("enterprise-acknowledge", sources=IN_FORCE, permissions=(ACKNOWLEDGE_AS_ENTERPRISE,)),
])
