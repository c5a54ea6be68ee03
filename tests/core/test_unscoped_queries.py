"""A source check behind the generic scope test (ARCHITECTURE.md §4, §5; issue 8): the views, the API's views
and serializers, the forms and the panels read rows only through ``visible_to(user)``.

Every ``<Model>.objects`` and ``_default_manager`` in those modules (found with ``ast``, so comments and
strings do not count) must go on to a scoped entry point (:data:`SCOPED_ENTRY_POINTS`), be the queryset
handed to a ``Scoped…`` form or serializer field or the placeholder of a scoped viewset (each applies
``visible_to`` to it), or name reference data (:data:`REFERENCE_DATA`) or an allowed use (:data:`ALLOWED`),
each with its reason.
Related managers (``inspection.items.all()``) are not checked: they start from a row that was scoped."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The modules checked, relative to the repository: a package ``views/`` counts like a ``views.py``.
PATTERNS = ("shouye/**/views.py", "shouye/**/*_views.py", "shouye/**/views/*.py", "shouye/**/panels.py",
            "shouye/**/forms.py", "shouye/**/api/serializers.py")
MANAGERS = ("objects", "_default_manager")

#: What may follow ``Model.objects``: the scoped queryset, a user's own rows, or nothing at all.
SCOPED_ENTRY_POINTS = {
    "visible_to": "the one scope filter (regions/scoping.py)",
    "for_user": "the signed-in user's own rows (its notifications)",
    "none": "an empty placeholder, replaced in __init__ by a scoped queryset",
}

#: Models every signed-in user reads: they belong to no one's scope.
REFERENCE_DATA = {
    "Region": "administrative divisions, public reference data (UNSCOPED in tests/scope_registry.py)",
    "Industry": "the industry catalogue, reference data",
    "SupervisionGrade": "the supervision grades A–D, reference data",
    "Tag": "the enterprise tags, reference data",
    "Checklist": "the checklist library, reference data every signed-in user reads (UNSCOPED)",
    "SpecialPeriod": "the bureau's special periods, public notices every signed-in user reads (UNSCOPED)",
    "Organisation": "the bureau's organisations (the squads a plan is assigned to), reference data",
    "TaskFrequencyDefault": "the default investigation frequencies of 应急〔2019〕78号 offered to every enterprise, "
                            "reference data",
    "DutyItem": "the responsible persons' task lists of major hazard installations, reference data the bureau "
                "edits (UNSCOPED)",
    "AlarmRule": "the district's alarm rule per level ([U], REGULATIONS-2 §B.5): read with monitoring.view_alarm, "
                 "edited by the bureau",
    "AlarmTrigger": "the district's table of alarm levels per condition and point kind, as AlarmRule",
    "Scenario": "the video-AI scenarios every vendor's codes map to, reference data the bureau edits",
    "DutyPosition": "the positions of a duty shift and their numbers (REGULATIONS.md §8 [P]), reference data the "
                    "bureau edits",
    "Item": "the district's catalogue of emergency materials, reference data (UNSCOPED in tests/scope_registry.py)",
    "TeamKindRule": "the minimum members per kind of rescue team, the district's rule table the bureau edits",
    "Season": "the district's flood and fire seasons, public notices every signed-in user reads (UNSCOPED)",
    "FireDangerReading": "the district's daily fire-danger level, a public notice (UNSCOPED)",
    "FireDangerLevel": "the fire-danger scale (level, action, warning colour), reference data the bureau edits",
    "MeasureTemplate": "the warning checklists' measures per level (Art. 66, 67), reference data the bureau edits",
}

_PEOPLE = ("inspectors, experts and a plan's officer are chosen among the district's people; the services "
           "check each one's jurisdiction over the enterprise (inspections/services.py _check_people, "
           "update_plan)")
_DUTY_ROOM = ("the bureau's duty room's own rows (no township, industry or enterprise): reading them needs "
              "duty.view_logentry or duty.view_swaprequest, which only the district-wide roles hold")
_DUTY_PEOPLE = ("a person on the bureau's own roster, chosen among the district's accounts by the bureau's roster "
                "keepers (district-wide roles); the service refuses an account on any other unit's roster")
_DUTY_ASSIGNMENTS = "names the model; the field reads the assignments of the roster acted on (obj.assignments)"
#: Other reads without a scope, by file and model, each with its reason.
ALLOWED = {
    ("shouye/duty/api/views.py", "SwapRequest"): _DUTY_ROOM,
    ("shouye/duty/api/views.py", "LogEntry"): _DUTY_ROOM,
    ("shouye/duty/api/views.py", "Handover"): _DUTY_ROOM,
    ("shouye/duty/api/serializers.py", "LogEntry"): _DUTY_ROOM,
    ("shouye/duty/forms.py", "LogEntry"): _DUTY_ROOM,
    ("shouye/duty/api/serializers.py", "User"): _DUTY_PEOPLE,
    ("shouye/duty/forms.py", "User"): _DUTY_PEOPLE,
    ("shouye/duty/api/serializers.py", "Assignment"): _DUTY_ASSIGNMENTS,
    ("shouye/accounts/api/views.py", "Token"): "the API token of the user who has just signed in",
    ("shouye/workcalendar/views.py", "WorkCalendarYear"): "one calendar for the whole district; the view needs "
                                                         "the administrator's permission",
    ("shouye/hazards/api/serializers.py", "Extension"): "the extensions of the hazard acted on, which came "
                                                        "through the scoped selector",
    ("shouye/inspections/forms.py", "User"): _PEOPLE,
    ("shouye/inspections/api/serializers.py", "User"): _PEOPLE,
    ("shouye/notifications/api/views.py", "Notification"): "names the model for the schema; get_queryset reads "
                                                           "the signed-in user's own notifications only",
    ("shouye/inspections/forms.py", "Document"): "the documents of the inspection the form acts on, which came "
                                                 "through the scoped selector (the one a delivery receipt serves)",
}

#: Base classes whose ``queryset`` attribute only names the model: their get_queryset applies visible_to.
SCOPED_BASES = ("ScopedViewSetMixin", "ScopedModelViewSet")


def checked_files() -> list[Path]:
    return sorted({path for pattern in PATTERNS for path in ROOT.glob(pattern)})


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _follows(node: ast.Attribute, parents) -> str:
    """The method called on the manager (``filter`` in ``Model.objects.filter(...)``), or ''."""
    parent = parents.get(node)
    return parent.attr if isinstance(parent, ast.Attribute) else ""


def _chain(node: ast.AST, parents) -> tuple[ast.AST, ast.AST | None]:
    """The whole method chain that starts at ``node`` (``Model.objects.filter(...).order_by(...)``), and the
    node that holds it."""
    while True:
        parent = parents.get(node)
        if (isinstance(parent, ast.Attribute) and parent.value is node) or \
                (isinstance(parent, ast.Call) and parent.func is node):
            node = parent
        else:
            return node, parent


def _enclosing_class(node: ast.AST, parents) -> ast.ClassDef | None:
    while node is not None and not isinstance(node, ast.ClassDef):
        node = parents.get(node)
    return node


def _is_scoped_call(node, parents) -> bool:
    """A call of a ``Scoped…`` class, or of ``super().__init__`` in a class derived from one."""
    if not isinstance(node, ast.Call):
        return False
    name = ast.unparse(node.func)
    if name == "super().__init__":
        owner = _enclosing_class(node, parents)
        return owner is not None and any(ast.unparse(base).startswith("Scoped") for base in owner.bases)
    return name.split(".")[-1].startswith("Scoped")


def _is_placeholder(node: ast.Attribute, parents) -> bool:
    """The queryset given to a ``Scoped…`` form or serializer field, or the ``queryset`` attribute of a scoped
    viewset: each applies visible_to to it."""
    chain, holder = _chain(node, parents)
    if _is_scoped_call(holder, parents) and chain in holder.args:
        return True
    if isinstance(holder, ast.keyword) and holder.arg == "queryset":
        return _is_scoped_call(parents.get(holder), parents)
    if isinstance(holder, ast.Assign) and [ast.unparse(target) for target in holder.targets] == ["queryset"]:
        owner = parents.get(holder)
        return isinstance(owner, ast.ClassDef) and any(ast.unparse(base) in SCOPED_BASES for base in owner.bases)
    return False


def _model(node: ast.Attribute) -> str:
    """``Hazard`` in ``Hazard.objects``; the expression before ``_default_manager`` otherwise."""
    return ast.unparse(node.value)


def unscoped_reads(relative: str, source: str) -> list[tuple[int, str, str]]:
    """(line number, model, the line) of each read in ``source`` (the file ``relative``) that the rules above
    refuse."""
    tree = ast.parse(source)
    lines = source.splitlines()
    parents = _parents(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        model = _model(node)
        if (_follows(node, parents) in SCOPED_ENTRY_POINTS or _is_placeholder(node, parents)
                or model in REFERENCE_DATA or (relative, model) in ALLOWED):
            continue
        found.append((node.lineno, model, lines[node.lineno - 1].strip()))
    return sorted(found)


def _offenders() -> list[str]:
    lines = []
    for path in checked_files():
        relative = path.relative_to(ROOT).as_posix()
        lines += [f"{relative}:{line}: {code} ({model} read without visible_to)"
                  for line, model, code in unscoped_reads(relative, path.read_text(encoding="utf-8"))]
    return lines


def test_views_forms_serializers_and_panels_read_rows_through_the_scope():
    offenders = _offenders()
    print("\n".join(offenders))
    assert not offenders, (
        "Unscoped reads (read through Model.objects.visible_to(user) or a scoped selector; for reference data "
        "or a deliberate exception, add it with its reason to REFERENCE_DATA or ALLOWED in "
        "tests/core/test_unscoped_queries.py):\n" + "\n".join(offenders))


def test_the_checked_modules_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in checked_files()}
    assert {"shouye/hazards/views/ledger.py", "shouye/hazards/views/tipoffs.py", "shouye/hazards/api/views.py", "shouye/hazards/api/serializers.py",
            "shouye/inspections/panels.py", "shouye/inspections/forms.py",
            "shouye/enterprises/import_views.py"} <= names


def test_every_allowed_use_is_still_there():
    """An exception nobody needs any more is removed, so the list stays the short list of real ones."""
    used = set()
    for path in checked_files():
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used |= {(relative, _model(node)) for node in ast.walk(tree)
                 if isinstance(node, ast.Attribute) and node.attr in MANAGERS}
    assert set(ALLOWED) <= used, sorted(set(ALLOWED) - used)


PLANTED = '''
class HazardViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    queryset = Hazard.objects.all()

class Unscoped(viewsets.GenericViewSet):
    queryset = Hazard.objects.all()

class ReportSerializer(serializers.Serializer):
    enterprise = ScopedPrimaryKeyField(queryset=Enterprise.objects.all())
    other = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())

class ReportForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        self.fields["enterprise"] = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user)
        self.fields["other"] = forms.ModelChoiceField(Enterprise.objects.order_by("name"))

class EnterpriseField(ScopedModelChoiceField):
    def __init__(self, user):
        super().__init__(Enterprise.objects.order_by("name"), user=user)

class EnterpriseChoice(forms.ModelChoiceField):
    def __init__(self, user):
        super().__init__(Enterprise.objects.order_by("name"))

def panel(request, enterprise):
    rows = Hazard.objects.visible_to(request.user).filter(enterprise=enterprise)
    leak = Hazard.objects.all()[:5]
    model = type(enterprise)
    also = model._default_manager.filter(pk=1)
    regions = Region.objects.filter(level="township")
    return Document.objects.none(), rows, leak, also, regions
'''


def test_the_check_refuses_unscoped_reads_and_lets_scoped_ones_pass():
    found = unscoped_reads("shouye/planted/views.py", PLANTED)
    assert [(line, model) for line, model, _code in found] == [
        (6, "Hazard"), (10, "Enterprise"), (15, "Enterprise"), (23, "Enterprise"), (27, "Hazard"), (29, "model")]
