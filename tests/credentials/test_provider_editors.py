"""Provider editors work on their own providers' entries only; staff on every one.

Tried as an outsider would: through the admin's URLs and forms, with forged
posts, and through the import.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credentials import seed
from credentials.models import MicroCredential, Provider
from tests.conftest import make_user

from .factories import make_credential
from .test_admin import _form_data
from .test_import import csv_bytes, row

pytestmark = pytest.mark.django_db

ENTRIES = "/admin/snippets/credentials/microcredential/"
PROVIDERS = "/admin/snippets/credentials/provider/"


@pytest.fixture
def editor(lakeshore):
    """Edits for Lakeshore College only."""
    user = make_user("editor@lakeshore.example.org")
    user.groups.add(seed.editors_group())
    lakeshore.editors.add(user)
    return user


@pytest.fixture
def own(lakeshore):
    return make_credential("Lakeshore Welding Basics", provider=lakeshore)


@pytest.fixture
def others(rideau):
    return make_credential("Rideau Secret Draft", provider=rideau, status="draft")


def _bulk_delete(entry):
    return f"/admin/bulk/credentials/microcredential/delete/?id={entry.pk}"


def _provider_data(provider, **changes):
    data = {
        "name": provider.name,
        "slug": provider.slug,
        "provider_type": provider.provider_type,
        "region": provider.region,
        "website": provider.website,
    }
    data.update(changes)
    return data


def test_the_listing_shows_only_their_providers_entries(client, editor, own, others):
    client.force_login(editor)
    html = client.get(ENTRIES).content.decode()
    assert "Lakeshore Welding Basics" in html
    assert "Rideau Secret Draft" not in html
    # The provider filter offers their own provider only.
    assert "Rideau College" not in html
    results = client.get(f"{ENTRIES}?q=Rideau").content.decode()
    assert "Rideau Secret Draft" not in results


@pytest.mark.parametrize(
    "path",
    ["edit/{pk}/", "delete/{pk}/", "history/{pk}/", "usage/{pk}/", "unpublish/{pk}/"],
)
def test_another_providers_entry_is_not_found_by_url(client, editor, others, path):
    client.force_login(editor)
    response = client.get(ENTRIES + path.format(pk=others.pk))
    assert response.status_code == 404


def test_posts_to_another_providers_entry_change_nothing(client, editor, others):
    client.force_login(editor)
    edit = client.post(
        f"{ENTRIES}edit/{others.pk}/",
        _form_data(others, title="Hijacked", **{"action-publish": "1"}),
    )
    delete = client.post(f"{ENTRIES}delete/{others.pk}/")
    client.post(_bulk_delete(others))
    assert edit.status_code == delete.status_code == 404
    others.refresh_from_db()
    assert others.title == "Rideau Secret Draft" and not others.live


def test_the_provider_chooser_offers_only_their_providers(
    client, editor, lakeshore, rideau, own, others
):
    client.force_login(editor)
    form = client.get(f"{ENTRIES}add/").content.decode()
    # With one provider, the new entry starts with it.
    assert f'name="provider" value="{lakeshore.pk}"' in form
    modal = client.get("/admin/snippets/choose/credentials/provider/").json()["html"]
    assert "Lakeshore College" in modal and "Rideau College" not in modal
    chosen = "/admin/snippets/choose/credentials/provider/chosen/{}/"
    assert client.get(chosen.format(lakeshore.pk)).status_code == 200
    assert client.get(chosen.format(rideau.pk)).status_code == 404
    # Nor can they read other providers' drafts through the entries' chooser.
    entries = client.get("/admin/snippets/choose/credentials/microcredential/")
    assert "Lakeshore Welding Basics" in entries.json()["html"]
    assert "Rideau Secret Draft" not in entries.json()["html"]


def test_a_forged_provider_is_a_form_error(client, editor, own, rideau):
    client.force_login(editor)
    created = client.post(
        f"{ENTRIES}add/",
        _form_data(own, slug="forged", external_id="F-1", provider=rideau.pk),
    )
    assert created.status_code == 200
    assert "You cannot edit entries of this provider." in created.content.decode()
    assert not MicroCredential.objects.filter(slug="forged").exists()

    moved = client.post(
        f"{ENTRIES}edit/{own.pk}/",
        _form_data(own, provider=rideau.pk, **{"action-publish": "1"}),
    )
    assert "You cannot edit entries of this provider." in moved.content.decode()
    own.refresh_from_db()
    assert own.provider.name == "Lakeshore College"


def test_they_create_publish_and_delete_their_own_entries(client, editor, lakeshore):
    client.force_login(editor)
    template = MicroCredential(
        title="Lakeshore Solar Installation",
        slug="lakeshore-solar",
        provider=lakeshore,
        external_id="LC-SOLAR",
        level="introductory",
        language="en",
        delivery_mode="online",
        workload_hours=30,
        duration_weeks=6,
    )
    response = client.post(
        f"{ENTRIES}add/", _form_data(template, **{"action-publish": "1"})
    )
    assert response.status_code == 302
    entry = MicroCredential.objects.get(slug="lakeshore-solar")
    assert entry.live and entry.provider == lakeshore
    assert "Lakeshore Solar Installation" in client.get(ENTRIES).content.decode()
    assert client.post(f"{ENTRIES}delete/{entry.pk}/").status_code == 302
    assert not MicroCredential.objects.filter(pk=entry.pk).exists()


def test_they_edit_their_provider_but_no_other_and_cannot_choose_editors(
    client, editor, lakeshore, rideau
):
    client.force_login(editor)
    listing = client.get(PROVIDERS).content.decode()
    assert "Lakeshore College" in listing and "Rideau College" not in listing
    assert client.get(f"{PROVIDERS}edit/{rideau.pk}/").status_code == 404
    response = client.post(
        f"{PROVIDERS}edit/{rideau.pk}/", _provider_data(rideau, region="Nowhere")
    )
    assert response.status_code == 404

    form = client.get(f"{PROVIDERS}edit/{lakeshore.pk}/").content.decode()
    assert 'name="editors"' not in form
    intruder = make_user("intruder@example.org")
    response = client.post(
        f"{PROVIDERS}edit/{lakeshore.pk}/",
        _provider_data(lakeshore, region="Mississauga, Ontario", editors=[intruder.pk]),
    )
    assert response.status_code == 302
    lakeshore.refresh_from_db()
    rideau.refresh_from_db()
    assert lakeshore.region == "Mississauga, Ontario"
    assert list(lakeshore.editors.all()) == [editor]  # the forged field is ignored
    assert rideau.region == "Ottawa, Ontario"
    # Adding providers is left to staff.
    assert client.get(f"{PROVIDERS}add/").status_code in (302, 403)
    assert Provider.objects.count() == 2


def test_an_editor_linked_to_no_provider_cannot_edit_anything(client, own):
    loner = make_user("loner@example.org")
    loner.groups.add(seed.editors_group())
    client.force_login(loner)
    assert client.get(ENTRIES).status_code in (302, 403)
    assert client.get(f"{ENTRIES}edit/{own.pk}/").status_code in (302, 403, 404)
    assert client.get("/admin/catalogue/import/").status_code in (302, 403)
    assert "Import catalogue" not in client.get("/admin/").content.decode()


def test_importing_rows_of_another_provider_imports_nothing(
    client, editor, lakeshore, rideau, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    upload = SimpleUploadedFile(
        "mixed.csv",
        csv_bytes([row(1), row(2, provider="Rideau College"), row(3)]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/catalogue/import/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Failed" in page
    assert "Nothing was imported: 1 problem(s) found." in page
    assert "You cannot edit entries of this provider." in page
    assert MicroCredential.objects.count() == 0

    upload = SimpleUploadedFile("own.csv", csv_bytes([row(1), row(3)]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/catalogue/import/", {"file": upload})
    assert (
        "Imported 2 entries: 2 new" in client.get(response["Location"]).content.decode()
    )
    assert set(MicroCredential.objects.values_list("provider__name", flat=True)) == {
        "Lakeshore College"
    }


def test_staff_keep_every_provider(client, staff_with_mfa, own, others, rideau):
    client.force_login(staff_with_mfa)
    html = client.get(ENTRIES).content.decode()
    assert "Lakeshore Welding Basics" in html and "Rideau Secret Draft" in html
    response = client.post(
        f"{ENTRIES}edit/{others.pk}/",
        _form_data(others, title="Rideau Reviewed", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    others.refresh_from_db()
    assert others.title == "Rideau Reviewed"
    client.post(_bulk_delete(own))
    assert not MicroCredential.objects.filter(pk=own.pk).exists()


def test_staff_choose_a_providers_editors(client, staff_with_mfa, editor, rideau):
    client.force_login(staff_with_mfa)
    form = client.get(f"{PROVIDERS}edit/{rideau.pk}/").content.decode()
    assert 'name="editors"' in form and "editor@lakeshore.example.org" in form
    response = client.post(
        f"{PROVIDERS}edit/{rideau.pk}/", _provider_data(rideau, editors=[editor.pk])
    )
    assert response.status_code == 302
    assert set(editor.edited_providers.values_list("name", flat=True)) == {
        "Lakeshore College",
        "Rideau College",
    }
    # The editor now finds Rideau's entries too.
    make_credential("Rideau Carpentry", provider=rideau)
    client.force_login(editor)
    assert "Rideau Carpentry" in client.get(ENTRIES).content.decode()


def test_the_demo_provider_editor_sees_their_two_providers_only(client, demo_catalogue):
    from credentials.generator import PROVIDERS as DEMO_PROVIDERS

    seed.seed(stdout=io.StringIO())  # twice: idempotent
    assert client.login(
        email=seed.PROVIDER_EDITOR_EMAIL, password=seed.PROVIDER_EDITOR_PASSWORD
    )
    entries = client.get(ENTRIES).content.decode()
    providers = client.get(PROVIDERS).content.decode()
    for name, _type, _region in DEMO_PROVIDERS:
        if name in seed.PROVIDER_EDITOR_PROVIDERS:
            assert name in providers
        else:
            assert name not in entries and name not in providers
    assert any(name in entries for name in seed.PROVIDER_EDITOR_PROVIDERS)
