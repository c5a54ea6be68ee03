"""Warning levels (突发事件应对法 2024 Art. 63, 66, 67)."""

import pytest

from shouye.rules.early_warnings import warning_measures
from shouye.rules.errors import RuleInputError


@pytest.mark.parametrize(
    ("level", "colour", "articles"),
    [(1, "red", (66, 67)), (2, "orange", (66, 67)), (3, "yellow", (66,)), (4, "blue", (66,))],
)
def test_each_level(level, colour, articles):
    result = warning_measures(level)
    assert (result.colour, result.articles) == (colour, articles)
    assert "第六十三条" in result.basis and "第六十六条" in result.basis
    assert ("第六十七条" in result.basis) == (67 in articles)


def test_whole_float_accepted():
    assert warning_measures(3.0).colour == "yellow"


@pytest.mark.parametrize("level", [0, 5, -1, 2.5, "2", True, None, [1]])
def test_bad_levels_name_the_field(level):
    with pytest.raises(RuleInputError) as exc:
        warning_measures(level)
    assert exc.value.field == "level"
    assert "预警级别" in exc.value.message
