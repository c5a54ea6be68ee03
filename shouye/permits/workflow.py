"""The permit's workflow (ARCHITECTURE.md §4), derived from the forms' signature order (REGULATIONS-2 §C.2; the
chains are in :mod:`shouye.permits.chains`): draft → risks identified (and gas analysed) → measures confirmed
(each by its confirmer) → briefed (4.4) → signed in the chain's order → approved by the approving signature (on
site, 4.11) → for hot work, checked by the shift leader (验票) → in progress under the watchperson, who may
suspend and resume it, or take the permit back on an abnormality (4.10 e, f) → accepted on completion (4.15)
→ archived. A permit whose validity ends before completion expires; a closed permit is never reopened: the
work needs a new one (4.16/4.17). Signing, approving and accepting are signature steps; a step is refused
unless it is the chain's next."""

from shouye.core.workflow import Step, Workflow

from .choices import PermitState as S

VIEW = "permits.view_specialoperationpermit"
ISSUE = "permits.issue_permit"
SIGN = "permits.sign_permit"
WATCH = "permits.watch_permit"
BOARD = "permits.view_permit_board"

#: Before the approval: what is entered may still be completed (an unsigned permit).
PREPARING = (S.DRAFT, S.IDENTIFIED, S.MEASURES_CONFIRMED, S.BRIEFED)
#: Approved and not yet closed: the work may happen within its validity.
OPEN = (S.APPROVED, S.READY, S.IN_PROGRESS, S.SUSPENDED)
#: Gas analyses are entered before work and re-tests during it (5.3.1 d, 6.3 f, 6.5).
GAS_TEST_STATES = (*PREPARING, S.SIGNING, *OPEN)

WORKFLOW = Workflow(states=S, steps=[
    Step("edit", sources=(S.DRAFT,), permissions=(ISSUE,)),
    Step("gas-test", sources=GAS_TEST_STATES, permissions=(ISSUE, WATCH)),
    Step("photo", sources=(*PREPARING, S.SIGNING, *OPEN), permissions=(ISSUE, SIGN, WATCH)),
    Step("file", sources=(*PREPARING, S.SIGNING, S.APPROVED, S.READY), permissions=(ISSUE,)),
    Step("identify", sources=(S.DRAFT,), target=S.IDENTIFIED, permissions=(ISSUE,)),
    Step("confirm-measures", sources=(S.IDENTIFIED,), target=S.MEASURES_CONFIRMED, permissions=(ISSUE, SIGN)),
    Step("brief", sources=(S.MEASURES_CONFIRMED,), target=S.BRIEFED, permissions=(ISSUE, SIGN)),
    Step("sign", sources=(S.BRIEFED, S.SIGNING), target=S.SIGNING, permissions=(SIGN,)),
    Step("approve", sources=(S.BRIEFED, S.SIGNING), target=S.APPROVED, permissions=(SIGN,)),
    Step("check", sources=(S.APPROVED,), target=S.READY, permissions=(SIGN,)),
    Step("start", sources=(S.APPROVED, S.READY), target=S.IN_PROGRESS, permissions=(WATCH,)),
    Step("suspend", sources=(S.IN_PROGRESS,), target=S.SUSPENDED, permissions=(WATCH,)),
    Step("resume", sources=(S.SUSPENDED,), target=S.IN_PROGRESS, permissions=(WATCH,)),
    Step("revoke", sources=(S.IN_PROGRESS, S.SUSPENDED), target=S.REVOKED, permissions=(WATCH,)),
    Step("accept", sources=(S.IN_PROGRESS, S.SUSPENDED), target=S.COMPLETED, permissions=(SIGN,)),
    Step("archive", sources=(S.COMPLETED,), target=S.ARCHIVED, permissions=(ISSUE,)),
    Step("cancel", sources=(*PREPARING, S.SIGNING, S.APPROVED, S.READY), target=S.CANCELLED, permissions=(ISSUE,)),
    # The validity ran out before completion: the hourly job closes the permit (it acts as the system).
    Step("expire", sources=OPEN, target=S.EXPIRED),
])
