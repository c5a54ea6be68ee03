"""The hazard's transition table (ARCHITECTURE.md §4): ``(state, action) → new state``. Guards that depend
on more than the state (a major hazard's governance plan, listed supervision and expert verification) live
in the services; this table only says which actions a state allows."""

from shouye.core.exceptions import InvalidTransition

from .choices import HazardState as S

#: 16号令 Art. 10–16: report → order rectification → rectify → re-inspect → close out (销号).
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.REPORTED, "assign"): S.RECTIFYING,
    (S.REPORTED, "close-on-spot"): S.CLOSED,
    (S.RECTIFYING, "submit"): S.SUBMITTED,
    (S.RECTIFYING, "request-extension"): S.RECTIFYING,
    (S.RECTIFYING, "approve-extension"): S.RECTIFYING,
    (S.SUBMITTED, "expert-verify"): S.SUBMITTED,
    (S.SUBMITTED, "verify"): S.CLOSED,
    (S.SUBMITTED, "reject"): S.RECTIFYING,
}

ACTIONS = sorted({action for _state, action in TRANSITIONS})


def allowed_actions(state: str) -> list[str]:
    return sorted(action for (from_state, action) in TRANSITIONS if from_state == state)


def ensure_allowed(state: str, action: str) -> str:
    """The state after ``action``; raises InvalidTransition (answered 409) naming the allowed actions."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(state=str(state), action=action, allowed=allowed_actions(state)) from None
