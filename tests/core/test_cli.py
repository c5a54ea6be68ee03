"""The `shouye` console command wraps manage.py and adds `rules` and `audit verify`."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shouye(*args, stdin: str | None = None, env=None):
    return subprocess.run([sys.executable, "-m", "shouye.cli", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def test_help_lists_the_verbs():
    result = shouye("--help")
    assert result.returncode == 0
    for verb in ("shouye up", "shouye demo", "shouye audit verify", "shouye rules"):
        assert verb in result.stdout


def test_rules_answers_json_and_exit_codes():
    ok = shouye("rules", "credit-code", "--json", json.dumps({"code": "91350100M000100Y43"}))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["valid"] is True
    bad = shouye("rules", "lec", stdin=json.dumps({"l": 7, "e": 6, "c": 15}))
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["field"] == "l"
