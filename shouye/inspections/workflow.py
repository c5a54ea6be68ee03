"""The inspection's transition table (ARCHITECTURE.md §4): ``(state, action) → new state``. An inspection is
recorded while it is in progress; finishing it turns its non-compliant items into hazards and freezes the
record; documents are issued from a finished record only (they quote its results)."""

from shouye.core.exceptions import InvalidTransition

from .choices import InspectionState as S

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.IN_PROGRESS, "record"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "add-photos"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "finish"): S.FINISHED,
    (S.FINISHED, "issue-document"): S.FINISHED,
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
