"""The `shouye rules NAME` contract (issue 4): one JSON object in, one out; exit 0 or 2."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shouye.rules.cli import COMMANDS, main, run

REPO = Path(__file__).resolve().parents[2]

# Every NAME with an input that succeeds and the fields the answer must carry (besides basis).
CASES = {
    "direct-report": (
        {"grade": "large", "received_at": "2026-03-01T23:45:00+08:00"},
        {"direct_report_by": "2026-03-02T00:15:00+08:00", "written_report_by": "2026-03-02T00:45:00+08:00"},
    ),
    "investigation-report-due": (
        {"occurred_on": "2026-03-01"},
        {"due_on": "2026-04-30", "latest_possible_on": "2026-06-29"},
    ),
    "forest-fire": (
        {"burnt_area_ha": 1, "deaths": 0, "serious_injuries": 0, "burning_hours": 25},
        {"grade": "large", "report_to_national": True},
    ),
    "credit-code": ({"code": "91350100M000100Y43"}, {"valid": True, "expected_check": "3"}),
    "id-number": (
        {"number": "11010519491231002X"},
        {"valid": True, "reason": "", "birth_date": "1949-12-31", "sex": "female"},
    ),
    "lec": ({"l": 6, "e": 6, "c": 7}, {"d": 252, "band": 2, "colour": "orange"}),
    "risk-matrix": ({"l": 3, "s": 3}, {"r": 9, "colour": "orange"}),
    "major-hazard": (
        {
            "substances": [
                {"name": "硫化氢", "quantity_t": 2},
                {"cas": "7803-51-2", "quantity_t": 2},
                {"name": "液氯", "quantity_t": 1},
            ],
            "exposed_population": 102,
        },
        {"ratio_sum": 2.6, "is_major": True, "alpha": 2, "r": 85.6, "grade": 2},
    ),
    "hot-work-grade": (
        {"fire_explosion_area": True, "start": "2025-10-09T21:00:00+08:00", "wind_force": 3},
        {"grade": "special", "raised_by": ["21:00属夜间（5.1.1）"]},
    ),
    "permit-validity": ({"kind": "hot_work", "grade": "2"}, {"max_hours": 72}),
    "gas-test": (
        {
            "kind": "confined_space",
            "lel_percent": 5,
            "flammable_percent_vol": 0.3,
            "oxygen_percent": 20.9,
            "oxygen_enriched": False,
            "sampled_at": "2025-10-09T08:00",
            "work_starts_at": "2025-10-09T08:20",
        },
        {"passed": True, "failures": []},
    ),
    "height-grade": ({"height_m": 16, "objective_hazards": False}, {"grade": "III"}),
    "lifting-grade": ({"mass_t": 40}, {"grade": 2, "permit_required": True}),
    "accident": (
        {
            "deaths": 3,
            "serious_injuries": 0,
            "direct_loss_yuan": 0,
            "occurred_at": "2025-03-01T10:00:00+08:00",
            "kind": "road_traffic",
        },
        {
            "grade": "large",
            "report_deadlines": [
                {"level": "county", "by": "2025-03-01T11:00:00+08:00"},
                {"level": "city", "by": "2025-03-01T13:00:00+08:00"},
                {"level": "province", "by": "2025-03-01T15:00:00+08:00"},
            ],
            "supplement_until": "2025-03-08",
        },
    ),
    "workdays": ({"start": "2025-09-30", "add": 1}, {"date": "2025-10-09"}),
    "gas-alarm-setpoints": ({"kind": "combustible"}, {"level_1": 25, "level_2": 50, "unit": "%LEL"}),
    "mes": ({"m": 3, "e": 6, "s": 10}, {"r": 180, "band": 1, "grade": "major", "colour": "red"}),
    "enterprise-risk-colour": ({"score": 75}, {"colour": "yellow"}),
    "park-risk-grade": ({"score": 85}, {"grade": "D"}),
    "warning-measures": ({"level": 2}, {"colour": "orange", "articles": [66, 67]}),
    "certificate-review": (
        {"kind": "special_operation", "issued_on": "2024-02-29"},
        {
            "expires_on": "2030-02-28",
            "next_review_due": "2027-02-28",
            "apply_from": "2026-12-30",
            "apply_by": "2027-02-28",
        },
    ),
    "drill-frequency": (
        {"unit": "high_risk"},
        {
            "any_drill_every_months": 6,
            "each_special_plan_every_months": 24,
            "each_onsite_plan_every_months": 6,
        },
    ),
    "risk-point-grade": (
        {"assessments": [{"method": "lec", "l": 3, "e": 6, "c": 7}, {"method": "matrix", "l": 3, "s": 3}]},
        {"grade": "high", "colour": "orange", "control_level": "deputy"},
    ),
}


def test_every_name_is_covered():
    assert set(CASES) == set(COMMANDS)


@pytest.mark.parametrize("name", CASES)
def test_run_contract(name):
    payload, expected = CASES[name]
    code, answer = run(name, payload)
    assert code == 0, answer
    for key, value in expected.items():
        assert answer[key] == value, key
    assert answer["basis"]
    json.dumps(answer)


def test_optional_and_conditional_fields():
    _, invalid = run("credit-code", {"code": "91350100M000100Y4"})
    assert invalid["valid"] is False and "reason" in invalid and "expected_check" not in invalid
    _, wrong = run("credit-code", {"code": "91350100M000100Y44"})
    assert wrong["expected_check"] == "3" and "第18位" in wrong["reason"]
    _, bad_id = run("id-number", {"number": "110105194912310021"})
    assert bad_id["birth_date"] is None and bad_id["sex"] is None and bad_id["reason"]
    _, minor = run("major-hazard", {"substances": [{"name": "氨", "quantity_t": 5}]})
    assert minor["is_major"] is False and "alpha" not in minor and "grade" not in minor
    assert minor["items"] == [
        {
            "name": "氨",
            "row": 1,
            "category": None,
            "quantity_t": 5,
            "critical_quantity_t": 10,
            "beta": 2,
            "ratio": 0.5,
        }
    ]
    _, power = run("permit-validity", {"kind": "temporary_power"})
    assert power["max_hours"] == 360 and power["extended_max_hours"] == 720
    _, low = run("height-grade", {"height_m": 1.5, "objective_hazards": True})
    assert low["grade"] is None
    _, check = run("workdays", {"check": "2025-10-01"})
    assert check["is_workday"] is False
    _, ordinary = run(
        "accident",
        {"deaths": 0, "serious_injuries": 0, "direct_loss_yuan": 0, "occurred_at": "2025-03-01T10:00"},
    )
    assert [d["level"] for d in ordinary["report_deadlines"]] == ["county", "city"]
    assert ordinary["supplement_until"] == "2025-03-31"


@pytest.mark.parametrize(
    ("name", "payload", "field"),
    [
        ("nope", {}, "name"),
        ("lec", [], "json"),
        ("lec", {"l": 4, "e": 6, "c": 7}, "l"),
        ("lec", {"l": 3, "e": 6, "c": 7, "x": 1}, "x"),
        ("credit-code", {}, "code"),
        ("credit-code", {"code": 123}, "code"),
        ("major-hazard", {"substances": [{"name": "氨", "quantity_t": -1}]}, "substances[0].quantity_t"),
        ("major-hazard", {"substances": [{"name": "未知物", "quantity_t": 1}]}, "substances[0].name"),
        ("hot-work-grade", {"start": "2025-10-09T10:00", "on_pipe_rack": "true"}, "on_pipe_rack"),
        ("hot-work-grade", {}, "start"),
        ("permit-validity", {"kind": "hot_work"}, "grade"),
        ("gas-test", {"kind": "hot_work", "lel_percent": 5, "flammable_percent_vol": 0.1}, "sampled_at"),
        ("height-grade", {"height_m": 3}, "objective_hazards"),
        ("lifting-grade", {"mass_t": -1}, "mass_t"),
        ("accident", {"deaths": 1, "serious_injuries": 0, "direct_loss_yuan": 0}, "occurred_at"),
        ("workdays", {"start": "2025-01-01"}, "add"),
        ("direct-report", {"grade": "big", "received_at": "2026-03-01T10:00"}, "grade"),
        ("direct-report", {"grade": "large"}, "received_at"),
        ("investigation-report-due", {"occurred_on": "2026-03-01", "extension_days": 61}, "extension_days"),
        ("investigation-report-due", {"occurred_on": "2026-03-01T10:00"}, "occurred_on"),
        ("forest-fire", {"burnt_area_ha": -1, "deaths": 0, "serious_injuries": 0}, "burnt_area_ha"),
        ("forest-fire", {"burnt_area_ha": 1, "deaths": 0, "serious_injuries": 0,
                         "threatens_residential": "yes"}, "threatens_residential"),
        ("workdays", {"start": "2025-01-01", "add": 1, "check": "2025-01-01"}, "add"),
        ("workdays", {"add": 1}, "start"),
        ("gas-alarm-setpoints", {}, "kind"),
        ("gas-alarm-setpoints", {"kind": "toxic", "oel_mg_m3": 10, "range_max_mg_m3": 15}, "idlh_mg_m3"),
        ("workdays", {"check": "2099-01-01"}, "check"),
        ("workdays", {"start": "2025-01-01", "add": "3"}, "add"),
        ("mes", {"m": 2, "e": 6, "s": 4}, "m"),
        ("mes", {"m": 3, "e": 6}, "s"),
        ("mes", {"m": 3, "e": 6, "s": 4, "c": 7}, "c"),
        ("enterprise-risk-colour", {}, "score"),
        ("enterprise-risk-colour", {"score": 100.5}, "score"),
        ("enterprise-risk-colour", {"score": 80, "direct_red": "true"}, "direct_red"),
        ("enterprise-risk-colour", {"score": 80, "direct_red": None}, "direct_red"),
        ("enterprise-risk-colour", {"score": 80, "grade": "A"}, "grade"),
        ("park-risk-grade", {}, "score"),
        ("park-risk-grade", {"score": -1}, "score"),
        ("park-risk-grade", {"score": 60, "direct_red": True}, "direct_red"),
        ("certificate-review", {"issued_on": "2024-01-01"}, "kind"),
        ("certificate-review", {"kind": "licence", "issued_on": "2024-01-01"}, "kind"),
        ("certificate-review", {"kind": "special_operation"}, "issued_on"),
        ("certificate-review", {"kind": "special_operation", "issued_on": "2024-02-30"}, "issued_on"),
        (
            "certificate-review",
            {"kind": "special_operation", "issued_on": "2024-01-02", "last_review_on": "2024-01-01"},
            "last_review_on",
        ),
        (
            "certificate-review",
            {"kind": "safety_qualification", "issued_on": "2024-01-02", "last_review_on": "2025-01-01"},
            "last_review_on",
        ),
        (
            "certificate-review",
            {"kind": "special_operation", "issued_on": "2024-01-02", "continuous_years": "10"},
            "continuous_years",
        ),
        (
            "certificate-review",
            {"kind": "special_operation", "issued_on": "2024-01-02", "compliant": 1},
            "compliant",
        ),
        (
            "certificate-review",
            {"kind": "special_operation", "issued_on": "2024-01-02", "expires_on": "2030-01-02"},
            "expires_on",
        ),
        ("warning-measures", {}, "level"),
        ("warning-measures", {"level": 5}, "level"),
        ("risk-point-grade", {}, "assessments"),
        ("risk-point-grade", {"assessments": []}, "assessments"),
        ("risk-point-grade", {"assessments": [{"method": "matrix", "l": 1, "s": 1}] * 201}, "assessments"),
        (
            "risk-point-grade",
            {
                "assessments": [
                    {"method": "matrix", "l": 1, "s": 1},
                    {"method": "matrix", "l": 1, "s": 1},
                    {"method": "lec", "l": 3, "e": 6, "c": 8},
                ]
            },
            "assessments[2].c",
        ),
        (
            "risk-point-grade",
            {"assessments": [{"method": "mes", "m": 3, "e": 6, "s": 4, "l": 1}]},
            "assessments[0].l",
        ),
        ("risk-point-grade", {"assessments": [{"method": "hazop"}]}, "assessments[0].method"),
        (
            "risk-point-grade",
            {"assessments": [{"method": "matrix", "l": 1, "s": 1}], "forced_major": "no"},
            "forced_major",
        ),
        (
            "risk-point-grade",
            {"assessments": [{"method": "matrix", "l": 1, "s": 1}], "control_levels": {}},
            "control_levels",
        ),
    ],
)
def test_run_bad_input(name, payload, field):
    code, answer = run(name, payload)
    assert code == 2
    assert set(answer) == {"error", "field"}
    assert answer["field"] == field
    assert answer["error"]


def test_new_rules_optional_fields():
    _, red = run("enterprise-risk-colour", {"direct_red": True})
    assert red["colour"] == "red" and "直接判定为红色" in red["basis"]
    _, blue = run("enterprise-risk-colour", {"score": 90, "direct_red": False})
    assert blue["colour"] == "blue"
    _, orange = run("enterprise-risk-colour", {"score": 74.99})
    assert orange["colour"] == "orange"
    _, park = run("park-risk-grade", {"score": 59.99})
    assert park["grade"] == "A"
    _, long_interval = run(
        "certificate-review",
        {
            "kind": "special_operation",
            "issued_on": "2021-04-01",
            "last_review_on": None,
            "continuous_years": 10,
            "compliant": True,
        },
    )
    assert long_interval["next_review_due"] == long_interval["expires_on"] == "2027-04-01"
    _, qualification = run("certificate-review", {"kind": "safety_qualification", "issued_on": "2025-01-20"})
    assert qualification == {
        "expires_on": "2028-01-20",
        "next_review_due": None,
        "apply_from": None,
        "apply_by": "2027-12-21",
        "basis": qualification["basis"],
    }
    _, forced = run("risk-point-grade", {"assessments": [], "forced_major": True})
    assert (forced["grade"], forced["colour"], forced["control_level"]) == ("major", "red", "principal")
    _, low = run("mes", {"m": 1, "e": 0.5, "s": 1})
    assert (low["r"], low["grade"], low["colour"]) == (0.5, "low", "blue")


def _main(argv, stdin_text=""):
    out = io.StringIO()
    code = main(argv, io.StringIO(stdin_text), stdout=out)
    return code, json.loads(out.getvalue())


def test_main_reads_json_option_equals_form_and_stdin():
    assert _main(["lec", "--json", '{"l": 3, "e": 6, "c": 7}']) == _main(
        ["lec", '--json={"l": 3, "e": 6, "c": 7}']
    )
    code, answer = _main(["lec"], '{"l": 3, "e": 6, "c": 7}')
    assert code == 0 and answer["d"] == 126 and answer["band"] == 3


@pytest.mark.parametrize(
    ("argv", "stdin", "field"),
    [
        (["lec", "--json", "{bad"], "", "json"),
        (["lec"], "", "json"),
        (["lec", "--json"], "", "json"),
        (["lec", "--json", "[1, 2]"], "", "json"),
        ([], "{}", "name"),
        (["lec", "extra"], "{}", "name"),
        (["lec", "--verbose"], "{}", "name"),
        (["lec", "--json", '{"l": NaN, "e": 6, "c": 7}'], "", "l"),
    ],
)
def test_main_bad_input_exits_2(argv, stdin, field):
    code, answer = _main(argv, stdin)
    assert code == 2 and answer["field"] == field


def test_main_help():
    out = io.StringIO()
    assert main(["--help"], io.StringIO(), stdout=out) == 0
    assert "major-hazard" in out.getvalue()


def _subprocess(*args, stdin=""):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "shouye.rules.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )


def test_cli_as_a_subprocess():
    done = _subprocess(
        "major-hazard",
        "--json",
        json.dumps({"substances": [{"name": "二氧化硫", "quantity_t": 200}], "exposed_population": 60}),
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert (answer["r"], answer["grade"], answer["alpha"]) == (30, 3, 1.5)
    assert "GB 18218-2018" in answer["basis"]

    done = _subprocess(
        "accident",
        stdin='{"deaths": 30, "serious_injuries": 0, "direct_loss_yuan": 0, "occurred_at": "2025-03-01T10:00"}',
    )
    assert done.returncode == 0
    answer = json.loads(done.stdout)
    assert answer["grade"] == "extraordinary"
    assert answer["report_deadlines"][-1] == {"level": "national", "by": "2025-03-01T17:00:00+08:00"}


def test_cli_subprocess_errors_exit_2_with_one_json_object():
    for args, stdin in ((("lec", "--json", "{oops"), ""), (("lifting-grade",), '{"mass_t": 0}')):
        done = _subprocess(*args, stdin=stdin)
        assert done.returncode == 2
        answer = json.loads(done.stdout)
        assert set(answer) == {"error", "field"}
        assert done.stderr == ""


def test_new_rules_as_a_subprocess():
    done = _subprocess(
        "risk-point-grade",
        stdin=json.dumps(
            {"assessments": [{"method": "mes", "m": 5, "e": 10, "s": 4}], "forced_major": False}
        ),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["control_level"] == "principal"
    done = _subprocess(
        "certificate-review", "--json", '{"kind": "special_operation", "issued_on": "2024-13-01"}'
    )
    assert done.returncode == 2
    assert json.loads(done.stdout)["field"] == "issued_on"
