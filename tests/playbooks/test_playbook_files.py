"""A playbook exports to and imports from YAML (command and admin); imports are all or nothing.

And the playbook admin: administrators only; a version a case uses is read-only there.
"""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import CommandError
from django.core.management import call_command

from playbooks import services
from playbooks.demo_playbooks import RENEWAL
from playbooks.models import ActivityDefinition
from playbooks.models import PlaybookDefinition
from playbooks.models import PlaybookVersion
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory


def counts() -> tuple[int, int, int]:
    return (
        PlaybookDefinition.objects.count(),
        PlaybookVersion.objects.count(),
        ActivityDefinition.objects.count(),
    )


def test_the_default_playbook_exports_as_readable_yaml(db):
    text = services.playbook_export(version=services.playbook_version_current())
    document = yaml.safe_load(text)
    assert document["playbook"] == "Success case playbook"
    assert document["version"] == 1
    assert list(document["lanes"]) == ["initiate", "assist", "review_close"]
    assert document["lanes"]["assist"][2] == {
        "name": "Related meeting",
        "kind": "related_meeting",
        "instructions": document["lanes"]["assist"][2]["instructions"],
    }
    assert "kind: select_engagement" in text  # plain text a reviewer reads in a diff


def test_importing_an_export_makes_the_next_version_with_the_same_activities(db):
    current = services.playbook_version_current()
    text = services.playbook_export(version=current)
    version = services.playbook_import(text=text.replace("Add squad", "Choose the squad"))
    assert (version.definition, version.number) == (current.definition, 2)
    fields = ("phase", "order", "kind", "instructions", "active")
    assert list(version.activities.order_by("pk").values_list(*fields)) == list(
        current.activities.order_by("pk").values_list(*fields)
    )
    assert version.activities.filter(name="Choose the squad").exists()
    assert not current.activities.filter(name="Choose the squad").exists()


def test_a_new_name_makes_a_new_playbook(db):
    version = services.playbook_import(text=RENEWAL)
    assert (version.definition.name, version.number) == ("Renewal play", 1)
    assert not version.definition.is_default
    assert version.activities.count() == 8


BAD_FILES = {
    "unknown kind": (
        RENEWAL.replace("kind: work_note", "kind: phone_call"),
        "Assist, activity 1 (“Review usage and health”): unknown kind “phone_call”; the kinds are",
    ),
    "unknown lane": (
        RENEWAL.replace("  review_close:", "  wrap_up:"),
        "Unknown lane “wrap_up”; the lanes are initiate, assist, review_close.",
    ),
    "malformed": (RENEWAL.replace("  assist:", "  assist: [oops"), "The file is not valid YAML"),
    "not a playbook": ("- just\n- a list\n", "The file must be a playbook"),
    "no name": (RENEWAL.replace("playbook: Renewal play", "playbook: ''"), "playbook (the name)"),
    "activity twice": (
        RENEWAL.replace("Send the renewal proposal", "Executive business review"),
        "Assist, activity 3: “Executive business review” is in the playbook twice.",
    ),
    "no activities": (
        "playbook: Empty\nlanes:\n  initiate: []\n",
        "The playbook has no activities.",
    ),
    "unknown key": (RENEWAL.replace("description:", "descripton:"), "Unknown key “descripton”"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_written(db, name):
    text, message = BAD_FILES[name]
    services.playbook_import(text=RENEWAL)  # so a partial write would show as version 2
    before = counts()
    with pytest.raises(services.DomainError) as refused:
        services.playbook_import(text=text)
    assert message in str(refused.value)
    assert counts() == before


def test_as_new_refuses_a_name_that_exists(db):
    before = counts()
    text = services.playbook_export(version=services.playbook_version_current())
    with pytest.raises(services.DomainError, match="A playbook named “Success case playbook”"):
        services.playbook_import(text=text, as_new=True)
    assert counts() == before


# -- the commands ------------------------------------------------------------------------------


def test_the_commands_export_and_import_a_file(db, tmp_path):
    path = tmp_path / "renewal.yaml"
    path.write_text(RENEWAL)
    out = StringIO()
    call_command("playbook_import", str(path), stdout=out)
    assert out.getvalue().strip() == "Imported Renewal play, version 1 (8 activities)."
    out = StringIO()
    call_command("playbook_export", "renewal play", stdout=out)
    assert yaml.safe_load(out.getvalue())["lanes"] == yaml.safe_load(RENEWAL)["lanes"]
    call_command("playbook_export", "Renewal play", "-o", str(path), stderr=StringIO())
    call_command("playbook_import", str(path), stdout=StringIO())
    assert PlaybookDefinition.objects.get(name="Renewal play").versions.count() == 2


def test_the_import_command_says_what_is_wrong_and_writes_nothing(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(RENEWAL.replace("kind: comment", "kind: survey"))
    before = counts()
    with pytest.raises(CommandError, match=r"unknown kind “survey”.*Nothing was imported\."):
        call_command("playbook_import", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("playbook_import", str(tmp_path / "missing.yaml"))
    with pytest.raises(CommandError, match="No playbook is named"):
        call_command("playbook_export", "Nothing like it")
    assert counts() == before


# -- the admin ---------------------------------------------------------------------------------

ADMIN_URLS = [
    "/admin/playbooks/playbookdefinition/",
    "/admin/playbooks/playbookdefinition/add/",
    "/admin/playbooks/playbookversion/",
    "/admin/playbooks/activitydefinition/",
]


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_administrators_maintain_the_playbooks(admin_client, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_staff_without_the_permission_are_refused(client, db, url):
    client.force_login(UserFactory(username="staff", is_staff=True))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["agent", "csm", "manager"])
def test_users_of_the_workspace_do_not_reach_the_playbook_admin(client_for, who):
    response = client_for(who).get(ADMIN_URLS[0])
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_admin_exports_a_playbook(admin_client):
    default = PlaybookDefinition.objects.get(is_default=True)
    response = admin_client.post(
        ADMIN_URLS[0], {"action": "export_yaml", "_selected_action": [default.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="success-case-playbook-v1.yaml"'
    )
    assert yaml.safe_load(response.content)["playbook"] == "Success case playbook"


def test_edit_activities_starts_a_version_when_the_latest_is_in_use(admin_client, agent):
    default = PlaybookDefinition.objects.get(is_default=True)
    case = SuccessCaseFactory(user=agent)
    in_use = case.playbook_version
    page = admin_client.get(f"/admin/playbooks/playbookversion/{in_use.pk}/change/").text
    assert "is used by success cases and cannot change" in page
    assert 'name="activities-0-name"' not in page  # read-only

    response = admin_client.post(
        ADMIN_URLS[0], {"action": "edit_activities", "_selected_action": [default.pk]}
    )
    version = default.versions.get(number=2)
    assert response.status_code == 302
    assert response.url == f"/admin/playbooks/playbookversion/{version.pk}/change/"
    page = admin_client.get(response.url).text
    assert 'name="activities-0-name"' in page  # editable: no case uses it yet
    assert version.activities.count() == in_use.activities.count()


def test_an_activity_of_a_version_in_use_cannot_change(admin_client, agent):
    case = SuccessCaseFactory(user=agent)
    activity = case.playbook_version.activities.get(name="Add squad")
    url = f"/admin/playbooks/activitydefinition/{activity.pk}/change/"
    response = admin_client.post(
        url,
        {
            "version": activity.version_id,
            "phase": "initiate",
            "order": "3",
            "name": "Renamed",
            "kind": "add_squad",
        },
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.name == "Add squad"


def test_the_default_cannot_be_unset_only_moved(admin_client):
    default = PlaybookDefinition.objects.get(is_default=True)
    url = f"/admin/playbooks/playbookdefinition/{default.pk}/change/"
    data = {
        "name": default.name,
        "description": default.description,
        "versions-TOTAL_FORMS": "1",
        "versions-INITIAL_FORMS": "1",
        "versions-0-id": default.versions.get().pk,
        "versions-0-definition": default.pk,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Exactly one playbook is the default" in response.text
    renewal = services.playbook_import(text=RENEWAL).definition
    url = f"/admin/playbooks/playbookdefinition/{renewal.pk}/change/"
    data = {
        "name": renewal.name,
        "description": renewal.description,
        "is_default": "on",
        "versions-TOTAL_FORMS": "1",
        "versions-INITIAL_FORMS": "1",
        "versions-0-id": renewal.versions.get().pk,
        "versions-0-definition": renewal.pk,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(PlaybookDefinition.objects.filter(is_default=True)) == [renewal]
