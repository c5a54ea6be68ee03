"""What the standard prints on each form (GB 30871-2022 Appendix A and B), as the permits app carries it."""

from shouye.permits import chains, standard
from shouye.permits.choices import PermitKind
from shouye.rules.data.gb30871 import KIND_GRADES, PERMIT_KINDS


def test_every_kind_has_its_forms_measures_fields_and_chain():
    assert set(PermitKind.values) == set(PERMIT_KINDS)
    for kind in PermitKind.values:
        assert standard.MEASURES[kind] and standard.DETAIL_FIELDS[kind] and chains.CHAINS[kind]


def test_the_closing_other_measures_line_has_the_forms_number():
    """A.1 ends at 16, A.2 at 15, A.3 at 11, A.4 at 15, A.5 at 20, A.6 at 14, A.7 at 11, A.8 at 4."""
    assert {kind: standard.other_measure_number(kind) for kind in PermitKind.values} == {
        "hot_work": 16, "confined_space": 15, "line_blinding": 11, "work_at_height": 15, "lifting": 20,
        "temporary_power": 14, "excavation": 11, "road_closure": 4}
    assert "摄录设备" in standard.MEASURES["hot_work"][standard.HOT_WORK_VIDEO_MEASURE - 1]


def test_every_chain_has_one_approving_step_and_ends_with_the_acceptance():
    for kind, steps in chains.CHAINS.items():
        assert sum(step.approves for step in steps) == 1, kind
        assert steps[-1].acceptance and not any(step.acceptance for step in steps[:-1]), kind
        assert len({step.key for step in steps}) == len(steps), kind
    assert [step.key for step in chains.CHAINS["hot_work"]] == [
        "work_leader", "unit", "safety_dept", "approver", "shift_leader", "acceptance"]
    assert chains.next_step("hot_work", {"work_leader", "unit"}).key == "safety_dept"
    assert chains.next_step("road_closure", {s.key for s in chains.CHAINS["road_closure"]}) is None


def test_table_b2_names_a_holder_for_every_kind_and_hot_work_grade():
    for kind in PermitKind.values:
        grades = KIND_GRADES.get(kind, ("",)) if kind == "hot_work" else ("",)
        for grade in grades:
            holders = standard.copy_holders(kind, grade)
            assert holders[0] == "监护人" and len(holders) == 3
    assert standard.copy_holders("hot_work", "2")[2] == "所在基层单位"
    assert standard.copy_holders("hot_work", "special")[2] == "安全管理部门"
