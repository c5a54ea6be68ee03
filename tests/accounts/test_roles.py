"""What each role may do (issue 8): every app declares its verbs per role in its own bundle and the role table
merges them, so a new app edits neither the role table nor the other apps. The merge must give every role
exactly the permissions it had before the bundles: ``role_permissions.json`` was written from the single
table that preceded them."""

import json
from pathlib import Path

import pytest

from shouye.accounts.choices import Role
from shouye.accounts.roles import ROLE_PERMISSIONS

BEFORE_BUNDLES = json.loads((Path(__file__).parent / "role_permissions.json").read_text())


@pytest.mark.parametrize("role", Role.values)
def test_every_role_keeps_exactly_its_permissions(role):
    assert sorted(ROLE_PERMISSIONS[role]) == BEFORE_BUNDLES[role]


def test_the_snapshot_covers_every_role():
    assert set(BEFORE_BUNDLES) == set(Role.values)
