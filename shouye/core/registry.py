"""Small registries through which higher apps plug into pages that lower apps render
(ARCHITECTURE.md §1): panels on the enterprise ledger page, the hazard page and the home page.

An app registers its panels in its AppConfig.ready(); the page renders whatever is registered, so the
enterprises app never imports the apps above it."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    """One block on a page: a title, a template, and a function that builds its context.

    ``context`` receives ``(request, obj)`` for enterprise and hazard panels and ``(request,)`` for home
    panels and must read only through scoped selectors. Shown to a user for whom ``condition(user)`` holds,
    when given (the home page's statistics are the supervisors', not an enterprise's: issue 10; a panel
    needs its app's view permission), and, on a page about one object, when ``applies_to(obj)`` holds, when
    given (the high-risk work areas concern chemical enterprises only: issue 11). A panel that is not shown
    is not rendered at all: no heading, no call of ``context``, so its template never hides itself.
    ``applies_to`` reads only the object the page has loaded (an enterprise's row with its industry and
    tags), never a query of its own."""

    key: str
    title: Any
    template: str
    context: Callable[..., dict]
    order: int = 100
    condition: Callable[[Any], bool] | None = None
    applies_to: Callable[[Any], bool] | None = None

    def shown_to(self, user) -> bool:
        return self.condition is None or self.condition(user)

    def applies(self, obj) -> bool:
        return self.applies_to is None or self.applies_to(obj)


@dataclass
class PanelRegistry:
    panels: dict[str, Panel] = field(default_factory=dict)

    def register(self, panel: Panel) -> Panel:
        self.panels[panel.key] = panel
        return panel

    def ordered(self) -> list[Panel]:
        return sorted(self.panels.values(), key=lambda p: (p.order, p.key))

    def for_user(self, user) -> list[Panel]:
        return [panel for panel in self.ordered() if panel.shown_to(user)]

    def for_object(self, user, obj) -> list[Panel]:
        """The panels of a page about ``obj`` (an enterprise, a hazard) that this user sees."""
        return [panel for panel in self.for_user(user) if panel.applies(obj)]


enterprise_panels = PanelRegistry()
home_panels = PanelRegistry()
#: Blocks on a hazard's page from the apps above hazards (the inspections app's enforcement documents).
hazard_panels = PanelRegistry()


@dataclass(frozen=True)
class MediaOwner:
    """A scoped model whose uploaded files live under ``prefix`` in MEDIA_ROOT, in the file ``fields``; a
    file is served to a user who holds ``permission`` and sees a row that holds it (its fields may also
    name another owner's file, shared: shouye.core.attachments)."""

    prefix: str
    model: Any
    fields: tuple[str, ...]
    permission: str


@dataclass
class MediaRegistry:
    owners: list[MediaOwner] = field(default_factory=list)

    def register(self, owner: MediaOwner) -> MediaOwner:
        self.owners.append(owner)
        return owner


media_owners = MediaRegistry()


@dataclass(frozen=True)
class RetainedFiles:
    """A model whose rows hold files uploaded or produced for one transfer (an import, an export): after the
    retention period the files in ``fields`` are deleted, the row keeps ``files_removed_at`` and the removal
    is recorded under ``verb``."""

    model: Any
    fields: tuple[str, ...]
    verb: str


retained_files: list[RetainedFiles] = []

#: Called as ``hook(verb, row, names)`` inside the transaction that removes a transfer's files; the audit app
#: registers the one that writes the audit event (core never imports audit).
file_removal_hooks: list[Callable[[str, Any, list[str]], None]] = []

#: An app's own retention rules (issue 12: a permit's video link after GB 30871-2022 B.3's month), by name: the
#: daily retention job calls each as ``rule(now=...)``, which answers how many rows it changed.
retention_rules: dict[str, Callable[..., int]] = {}


# Permission bundles and navigation (issue 8): what each app lets each role do, and the menu entries that lead to
# its pages. The role table and the base template read these, so a new app edits neither.


@dataclass
class PermissionBundles:
    """The verbs each app grants each role (ARCHITECTURE.md §1, "permissions"). An app registers its bundle,
    ``{role: ["app.verb", ...]}``, in AppConfig.ready(); ``accounts/roles.py`` merges the bundles with its own.
    Roles are their plain values here, since core does not know accounts' ``Role``."""

    bundles: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def register(self, app_label: str, bundle: Mapping[str, Iterable[str]]) -> None:
        """An app grants only its own verbs, so whoever reads an app's bundle knows all that app allows."""
        foreign = sorted(perm for perms in bundle.values() for perm in perms if not perm.startswith(f"{app_label}."))
        if foreign:
            raise ValueError(f"The {app_label} permission bundle grants other apps' verbs: {', '.join(foreign)}")
        self.bundles[app_label] = {str(role): frozenset(perms) for role, perms in bundle.items()}

    def for_role(self, role: str) -> frozenset[str]:
        return frozenset().union(*(bundle.get(role, ()) for bundle in self.bundles.values()))


permission_bundles = PermissionBundles()


@dataclass(frozen=True)
class NavEntry:
    """One link of the navigation bar (ARCHITECTURE.md §1, "navigation"), shown to a signed-in user who holds
    ``permission`` (every signed-in user when it is empty) and, when ``condition`` is given, for whom
    ``condition(user)`` holds; for a page open to a kind of user rather than to a verb."""

    key: str
    label: Any
    url_name: str
    order: int
    permission: str = ""
    condition: Callable[[Any], bool] | None = None
    #: The key of the :class:`NavGroup` (a drop-down menu) the entry belongs to; empty: a link of the bar itself.
    group: str = ""

    is_group = False

    def shown_to(self, user) -> bool:
        if self.permission and not user.has_perm(self.permission):
            return False
        return self.condition is None or self.condition(user)


@dataclass(frozen=True)
class NavGroup:
    """A drop-down menu of the bar, for an app with several pages (monitoring: the duty console, alarms, the board,
    points …): one place in the bar at ``(order, key)`` instead of a link per page."""

    key: str
    label: Any
    order: int


@dataclass(frozen=True)
class NavMenu:
    """A group as one user sees it: its entries that user may see."""

    group: NavGroup
    entries: list

    is_group = True

    @property
    def key(self) -> str:
        return self.group.key

    @property
    def order(self) -> int:
        return self.group.order

    @property
    def label(self):
        return self.group.label


@dataclass
class Navigation:
    """The entries of the navigation bar; each app registers its own in AppConfig.ready() and the base template
    shows those the user may see, by ``order``."""

    entries: dict[str, NavEntry] = field(default_factory=dict)
    groups: dict[str, NavGroup] = field(default_factory=dict)

    def register(self, entry: NavEntry) -> NavEntry:
        self.entries[entry.key] = entry
        return entry

    def register_group(self, group: NavGroup) -> NavGroup:
        self.groups[group.key] = group
        return group

    def for_user(self, user) -> list[NavEntry]:
        """The entries ``user`` may see, in the bar's order (an entry of a group at its group's place)."""
        return [entry for item in self.bar_for(user) for entry in (item.entries if item.is_group else [item])]

    def bar_for(self, user) -> list[NavEntry | NavMenu]:
        """The bar as ``user`` sees it: links and drop-down menus by ``(order, key)``; a group's entries by their
        own ``(order, key)`` inside it; a group none of whose entries the user may see is left out."""
        if not user.is_authenticated:
            return []
        shown = sorted((entry for entry in self.entries.values() if entry.shown_to(user)),
                       key=lambda entry: (entry.order, entry.key))
        menus = {key: NavMenu(group, [entry for entry in shown if entry.group == key])
                 for key, group in self.groups.items()}
        items = [entry for entry in shown if not entry.group]
        items += [menu for menu in menus.values() if menu.entries]
        return sorted(items, key=lambda item: (item.order, item.key))


navigation = Navigation()

#: Each is called as ``recorder(actor=, hazard=, passed=, note=)`` inside the transaction in which a hazard's
#: re-inspection (复查) is decided from the hazard (its page or API); the inspections app registers the one that
#: records the decision as an inspection of kind "re-inspection", so the two are one act seen from two places
#: (issue 10) while the hazards app never imports inspections.
reinspection_recorders: list[Callable[..., None]] = []

#: Each is called as ``provider(verb)`` and returns the readable label of an audit verb, or None when it does not
#: know the verb; the audit app registers its label table, so core's timeline shows labels without importing
#: audit.
verb_label_providers: list[Callable[[str], Any]] = []
@dataclass(frozen=True)
class StampedRows:
    """A model whose rows carry copies of an enterprise's township and industry (its stamps) beside their
    ``enterprise``, and how to give an enterprise's rows its current ones when it moves:
    ``restamp(enterprise)`` returns how many rows it re-stamped. Without a hook, the stamps the model has
    (``township``, ``industry`` or both) are updated in one statement; a model that keeps more than the
    stamps in step (counts per township and industry) brings its own hook."""

    model: Any
    restamp: Callable[[Any], int] | None = None

    def apply(self, enterprise) -> int:
        if self.restamp is not None:
            return self.restamp(enterprise)
        names = {f.name for f in self.model._meta.get_fields()}
        stamps = {name: getattr(enterprise, f"{name}_id") for name in ("township", "industry") if name in names}
        return self.model._default_manager.filter(enterprise=enterprise).update(**stamps)


@dataclass
class StampedRegistry:
    entries: list[StampedRows] = field(default_factory=list)

    def register(self, model, restamp: Callable[[Any], int] | None = None) -> StampedRows:
        entry = StampedRows(model=model, restamp=restamp)
        self.entries.append(entry)
        return entry

    def models(self) -> set:
        return {entry.model for entry in self.entries}


#: Read by the enterprise move (``shouye.enterprises.stamps.restamp``), which re-stamps every model here in
#: one transaction; the apps register their stamped models in AppConfig.ready().
stamped_models = StampedRegistry()


@dataclass(frozen=True)
class DemoStep:
    """One app's part of the demo district (``shouye demo``, issue 10): ``run(context)`` builds it through the
    app's own services and answers what it created, ``{"inspections": 812, …}``, which the command prints
    under ``label``. ``context`` is a :class:`shouye.core.demo.DemoContext`: the seeded random generators, the
    demo's "today", and the accounts and enterprises the earlier steps created."""

    key: str
    label: Any
    order: int
    run: Callable[[Any], Mapping[str, int]]


@dataclass
class DemoSteps:
    """The demo's steps; each app registers its own in AppConfig.ready(), so a new app shows its activity in
    the demo district without editing the loader. They run by ``order``: a step sees what lower ones made."""

    steps: dict[str, DemoStep] = field(default_factory=dict)

    def register(self, step: DemoStep) -> DemoStep:
        self.steps[step.key] = step
        return step

    def ordered(self) -> list[DemoStep]:
        return sorted(self.steps.values(), key=lambda step: (step.order, step.key))


demo_steps = DemoSteps()


# To-dos (我的待办, issue 10): what is waiting for the signed-in user. Each app registers providers; the workbench
# and the navigation bar's badge read them, so a later app (risks, permits, alarms …) adds its to-dos here.


@dataclass(frozen=True)
class TodoItem:
    """One line of a to-do list: what it is, where it leads, and, when it has one, its deadline (a date) and
    whether that deadline has passed."""

    title: Any
    url: str
    detail: Any = ""
    due: Any = None
    overdue: bool = False


@dataclass(frozen=True)
class TodoProvider:
    """One kind of to-do an app offers (re-inspections waiting, rectifications to submit …).

    ``count(user)`` answers how many are waiting and ``items(user, limit)`` the first ``limit`` of them as
    :class:`TodoItem`, both read through scoped selectors, each in a bounded number of queries whatever the data
    size; ``url_name`` (with ``query``) is the full list the "all" link leads to. Shown to a user who holds
    ``permission`` (everyone signed in when empty) and for whom ``condition(user)`` holds when given."""

    key: str
    label: Any
    order: int
    count: Callable[[Any], int]
    items: Callable[[Any, int], list[TodoItem]]
    url_name: str = ""
    query: str = ""
    permission: str = ""
    condition: Callable[[Any], bool] | None = None
    #: Whether the navigation bar's to-do total counts it (unread notifications have their own badge).
    in_total: bool = True

    def shown_to(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.permission and not user.has_perm(self.permission):
            return False
        return self.condition is None or self.condition(user)


@dataclass
class TodoRegistry:
    providers: dict[str, TodoProvider] = field(default_factory=dict)

    def register(self, provider: TodoProvider) -> TodoProvider:
        self.providers[provider.key] = provider
        return provider

    def for_user(self, user) -> list[TodoProvider]:
        ordered = sorted(self.providers.values(), key=lambda provider: (provider.order, provider.key))
        return [provider for provider in ordered if provider.shown_to(user)]


todo_providers = TodoRegistry()


# Cockpit panels (驾驶舱, issue 10): the duty room's big screen. Each app registers its panels; the cockpit page and
# its JSON read them, so a later app (alarms, permits today, teams on duty …) adds a panel by registering.


@dataclass(frozen=True)
class CockpitPanel:
    """One panel of the cockpit.

    ``data(user)`` answers what the panel shows, read through scoped selectors with aggregation in the database
    (a fixed number of queries whatever the data size), as a JSON-ready dict: ``{"option": {…}}``, an ECharts
    option the page draws as it is (dark theme), or ``{"rows": [{"time", "text", "url"}, …]}``, a list of
    lines; either may add ``"kpis": [{"key", "label", "value", "unit", "tone"}]``, figures the page shows in
    its header. ``size`` is the panel's width on the 1920×1080 grid: ``"s"`` (a quarter), ``"m"`` (a third)
    or ``"l"`` (half); on a phone every panel takes the full width. Shown to a user who holds ``permission``."""

    key: str
    title: Any
    order: int
    data: Callable[[Any], dict]
    size: str = "m"
    permission: str = ""

    def shown_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)


@dataclass
class CockpitPanels:
    panels: dict[str, CockpitPanel] = field(default_factory=dict)

    def register(self, panel: CockpitPanel) -> CockpitPanel:
        if panel.size not in ("s", "m", "l"):
            raise ValueError(f"Cockpit panel {panel.key}: size must be s, m or l, not {panel.size!r}")
        self.panels[panel.key] = panel
        return panel

    def for_user(self, user) -> list[CockpitPanel]:
        ordered = sorted(self.panels.values(), key=lambda panel: (panel.order, panel.key))
        return [panel for panel in ordered if panel.shown_to(user)]


cockpit_panels = CockpitPanels()

# Map layers (一张图, issue 10): the scoped point sources the one map draws. Each app registers its layers; the map
# page and its JSON endpoints read them, so a later app (risks by colour, permits today, alarms …) adds a layer
# here without editing the map.


@dataclass(frozen=True)
class MapFilters:
    """The map's filters, as ids already checked against the reference data (None: not filtered)."""

    township_id: int | None = None
    industry_id: int | None = None


@dataclass(frozen=True)
class MapPoint:
    """One point of a layer: the row's id, where it is, the name its popup shows, the legend class it is drawn
    with (one of the layer's ``legend`` keys) and an optional second line."""

    id: int
    lng: float
    lat: float
    name: str
    css_class: str
    detail: str = ""


@dataclass(frozen=True)
class LegendEntry:
    """A class of a layer's points: its key (the ``css_class`` of the points), label and colour; ``emphasis``
    draws the points larger (a major hazard)."""

    key: str
    label: Any
    colour: str
    emphasis: bool = False


@dataclass(frozen=True)
class MapLayer:
    """One toggleable layer of the one map.

    ``points(user, filters, limit)`` answers at most ``limit`` :class:`MapPoint` within the user's scope and the
    filters, read in a bounded number of queries whatever the data size (a ``values_list``, no model instances);
    ``url_name`` names the page of a point, reversed with its id as ``pk`` (its popup leads there). Shown to a
    user who holds ``permission``; drawn when the page opens if ``default_on``."""

    key: str
    label: Any
    order: int
    points: Callable[[Any, MapFilters, int], list[MapPoint]]
    url_name: str
    legend: tuple[LegendEntry, ...]
    permission: str = ""
    default_on: bool = True

    def shown_to(self, user) -> bool:
        return user.is_authenticated and (not self.permission or user.has_perm(self.permission))


@dataclass
class MapLayers:
    layers: dict[str, MapLayer] = field(default_factory=dict)

    def register(self, layer: MapLayer) -> MapLayer:
        self.layers[layer.key] = layer
        return layer

    def ordered(self) -> list[MapLayer]:
        return sorted(self.layers.values(), key=lambda layer: (layer.order, layer.key))

    def for_user(self, user) -> list[MapLayer]:
        return [layer for layer in self.ordered() if layer.shown_to(user)]


map_layers = MapLayers()

# Inspection priority (issue 11): reasons from the apps above inspections to inspect an enterprise sooner ("dual
# prevention inactive" …). The inspection plans' page shows each plan's reasons beside its enterprise, so the
# squads and township officers see whom to visit first, while inspections imports none of those apps.


@dataclass(frozen=True)
class InspectionPrioritySource:
    """One reason to inspect sooner: ``flagged(user, enterprise_ids)`` answers which of ``enterprise_ids`` (those
    of one page of plans, in ``user``'s scope) it applies to, in a bounded number of queries whatever their
    number. Asked for a user who holds ``permission`` (everyone when empty)."""

    key: str
    label: Any
    flagged: Callable[[Any, Iterable[int]], set[int]]
    permission: str = ""

    def shown_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)


@dataclass
class InspectionPrioritySources:
    sources: dict[str, InspectionPrioritySource] = field(default_factory=dict)

    def register(self, source: InspectionPrioritySource) -> InspectionPrioritySource:
        self.sources[source.key] = source
        return source

    def reasons(self, user, enterprise_ids: Iterable[int]) -> dict[int, list]:
        """The labels of the reasons that apply to each of ``enterprise_ids`` (absent: none)."""
        ids = sorted(set(enterprise_ids))
        found: dict[int, list] = {}
        for source in sorted(self.sources.values(), key=lambda source: source.key):
            if not ids or not source.shown_to(user):
                continue
            for pk in sorted(source.flagged(user, ids)):
                found.setdefault(pk, []).append(source.label)
        return found


inspection_priority_sources = InspectionPrioritySources()
