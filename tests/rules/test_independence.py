"""shouye.rules is plain Python: no Django import, importable without settings (ARCHITECTURE.md §1)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import shouye.rules

PACKAGE = Path(shouye.rules.__file__).parent
MODULES = sorted(
    "shouye.rules"
    + ("." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts) if p.name != "__init__.py" else "")
    for p in PACKAGE.rglob("*.py")
)


def test_no_module_imports_django():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n == "django" or n.startswith("django.") for n in names), path


def test_every_module_imports_without_django_settings():
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in MODULES)
    code += (
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
