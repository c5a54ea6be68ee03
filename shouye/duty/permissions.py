"""The duty app's verbs per role, registered in DutyConfig.ready(). The bureau keeps its duty room (rosters,
log, handover); its leaders approve swaps; townships and key enterprises file their own rosters; the bureau's
roles see every unit's people with their phones, the others within their scope with the phones masked."""

from shouye.accounts.choices import Role

VIEW = "duty.view_roster"
MANAGE = "duty.manage_roster"
EXPORT = "duty.export_roster"
PHONES = "duty.see_duty_phones"
SETUP = "duty.manage_duty_setup"
VIEW_SWAP = "duty.view_swaprequest"
REQUEST_SWAP = "duty.request_swap"
APPROVE_SWAP = "duty.approve_swap"
VIEW_LOG = "duty.view_logentry"
KEEP_LOG = "duty.keep_duty_log"

_ROOM = {VIEW, EXPORT, PHONES, VIEW_SWAP, REQUEST_SWAP, VIEW_LOG}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_ROOM | {MANAGE, SETUP, APPROVE_SWAP, KEEP_LOG}),
    Role.BUREAU_STAFF: frozenset(_ROOM | {MANAGE, KEEP_LOG}),
    Role.LEADER: frozenset(_ROOM | {APPROVE_SWAP}),
    Role.TOWNSHIP_OFFICER: frozenset({VIEW, MANAGE, EXPORT}),
    Role.DEPARTMENT_OFFICER: frozenset({VIEW}),
    Role.ENTERPRISE_USER: frozenset({VIEW, MANAGE}),
    Role.EXPERT: frozenset(),
}
