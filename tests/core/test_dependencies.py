"""The dependency direction (ARCHITECTURE.md §1, issue 8): a lower app never imports a higher one; a lower app
that must tell a higher one something calls a hook registry in core. This test reads every module under
``shouye/`` (imports inside functions too) and fails on any import against the direction, so the rule holds
without anyone remembering it. A new app fails here until it is given its place in ``LAYERS``."""

import ast
from pathlib import Path

import pytest

SHOUYE = Path(__file__).resolve().parents[2] / "shouye"

#: From the bottom up: an app may import any app of a lower layer. ``workcalendar`` writes audit events, its
#: bundle names accounts' roles and a special period names townships and industries, so it sits above
#: enterprises; ``calculators`` is a page over ``rules`` and the work calendar, with nothing built on it.
#: ``major_hazards`` sits above ``risks``: the responsible persons' duties are investigation tasks of the risks
#: engine (issue 11), which never knows of the installations. The response side (issue 14): rescue forces, the
#: duty and the warnings stand on the registry and the work calendar; the plans' drills report hazards;
#: incidents sit above them all, for they will dispatch teams and open plans.
LAYERS = (
    ("rules",),
    ("core",),
    ("regions",),
    ("audit",),
    ("accounts",),
    ("notifications",),
    ("enterprises",),
    ("workcalendar",),
    ("inspections", "hazards", "calculators", "resources", "duty", "warnings"),
    ("risks", "permits", "plans"),
    ("major_hazards",),
    ("workareas", "monitoring", "incidents"),
    ("dashboards",),
)
#: Imports between apps of one layer that the architecture allows: inspections record hazards through the hazards
#: services (ARCHITECTURE.md §1, "inspections → hazards").
WITHIN_LAYER = {("inspections", "hazards")}

LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def app_of(path: Path, root: Path) -> str | None:
    """The app a module belongs to; None for the package's own entry points (``shouye/cli.py``), which stand
    above every app."""
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else None


def package_of(path: Path, root: Path) -> list[str]:
    parts = ["shouye", *path.relative_to(root).with_suffix("").parts]
    return parts if path.name == "__init__.py" else parts[:-1]


def imported_modules(path: Path, root: Path, tree: ast.AST):
    """Every module an import statement names, relative imports resolved, with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(path, root)
                package = package[: len(package) - node.level + 1]
                base = ".".join(package + ([node.module] if node.module else []))
            if base == "shouye":  # ``from shouye import audit`` names the apps themselves
                for alias in node.names:
                    yield f"shouye.{alias.name}", node.lineno
            else:
                yield base, node.lineno


def imported_apps(path: Path, root: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for module, line in imported_modules(path, root, tree):
        parts = module.split(".")
        if parts[0] == "shouye" and len(parts) > 1:
            yield parts[1], line


def allowed(importer: str, imported: str) -> bool:
    if importer == imported:
        return True
    if LEVEL[importer] == LEVEL[imported]:
        return (importer, imported) in WITHIN_LAYER
    return LEVEL[importer] > LEVEL[imported]


def violations(root: Path) -> list[str]:
    """Every import under ``root`` (the ``shouye`` package) against the direction, as ``file:line: a imports b``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        importer = app_of(path, root)
        if importer is None:
            continue
        for imported, line in imported_apps(path, root):
            if imported in LEVEL and not allowed(importer, imported):
                found.append(f"{path.relative_to(root.parent)}:{line}: {importer} imports {imported}")
    return found


def test_every_app_has_its_place_in_the_layers():
    apps = {path.name for path in SHOUYE.iterdir() if (path / "__init__.py").exists()}
    assert apps - set(LEVEL) == set()


def test_no_module_imports_against_the_direction():
    assert violations(SHOUYE) == []


@pytest.mark.parametrize("source, expected", [
    ("from shouye.audit.verbs import LABELS", ["shouye/core/x.py:1: core imports audit"]),
    ("from ..audit import verbs", ["shouye/core/x.py:1: core imports audit"]),
    ("def f():\n    import shouye.hazards.services", ["shouye/core/x.py:2: core imports hazards"]),
    ("from shouye import enterprises", ["shouye/core/x.py:1: core imports enterprises"]),
    ("from shouye.rules import risk\nfrom . import registry\nfrom ..core.xlsx import write", []),
])
def test_the_check_sees_every_form_of_import(tmp_path, source, expected):
    module = tmp_path / "shouye" / "core" / "x.py"
    module.parent.mkdir(parents=True)
    module.write_text(source)
    assert violations(tmp_path / "shouye") == expected
