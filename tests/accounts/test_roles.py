"""What each role may do (issue 8): every app declares its verbs per role in its own bundle and the role table
merges them, so a new app edits neither the role table nor the other apps. The merge must give every role
exactly the permissions it had before the bundles: ``role_permissions.json`` was written from the single
table that preceded them."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from shouye.accounts.choices import Role
from shouye.accounts.roles import role_permissions
from shouye.core.registry import PermissionBundles, permission_bundles

BEFORE_BUNDLES = json.loads((Path(__file__).parent / "role_permissions.json").read_text())


@pytest.mark.parametrize("role", Role.values)
def test_every_role_keeps_exactly_its_permissions(role):
    assert sorted(role_permissions(role)) == BEFORE_BUNDLES[role]


def test_the_snapshot_covers_every_role():
    assert set(BEFORE_BUNDLES) == set(Role.values)


def test_the_apps_register_their_own_bundles():
    assert set(permission_bundles.bundles) >= {"enterprises", "hazards", "inspections", "major_hazards", "risks",
                                             "workcalendar"}


def test_a_registered_bundle_reaches_the_role_without_editing_the_role_table(monkeypatch):
    monkeypatch.setattr(permission_bundles, "bundles", dict(permission_bundles.bundles))
    permission_bundles.register("drills", {Role.TOWNSHIP_OFFICER: ["drills.view_drill"]})
    assert "drills.view_drill" in role_permissions(Role.TOWNSHIP_OFFICER)
    assert "drills.view_drill" not in role_permissions(Role.EXPERT)


def test_an_app_may_grant_only_its_own_verbs():
    with pytest.raises(ValueError, match="hazards.verify_hazard"):
        PermissionBundles().register("drills", {Role.EXPERT: ["drills.view_drill", "hazards.verify_hazard"]})


@pytest.mark.django_db
def test_every_granted_verb_is_a_permission_some_model_declares():
    declared = {f"{perm.content_type.app_label}.{perm.codename}"
                for perm in Permission.objects.select_related("content_type")}
    granted = set().union(*(role_permissions(role) for role in Role.values))
    assert granted - declared == set()
