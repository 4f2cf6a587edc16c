"""The admin's history of catalogue entries and providers stays within a provider.

Wagtail lists audit-log entries in the site history report (and its exports and
filters) and in each object's history. A provider editor must find there only
what happened to their own providers and entries: the labels of other
providers' entries are their draft titles. Tried as an outsider would, through
the admin's pages, after other people worked in the admin.
"""

import csv
import importlib
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import log

from credentials import seed
from credentials.models import MicroCredential
from tests.conftest import make_user

from .factories import make_credential
from .test_admin import _form_data

pytestmark = pytest.mark.django_db

ENTRIES = "/admin/snippets/credentials/microcredential/"
PROVIDERS = "/admin/snippets/credentials/provider/"
SITE_HISTORY = "/admin/reports/site-history/"

SECRET = "Rideau Secret Draft"
WITHDRAWN = "Rideau Withdrawn Draft"
OWN = "Lakeshore Welding Basics"


def _provider_editor(email, provider, **names):
    user = make_user(email, **names)
    user.groups.add(seed.editors_group())
    provider.editors.add(user)
    return user


@pytest.fixture
def editor(lakeshore):
    """Edits for Lakeshore College only."""
    return _provider_editor("editor@lakeshore.example.org", lakeshore)


@pytest.fixture
def rideau_editor(rideau):
    return _provider_editor(
        "riley@rideau.example.org", rideau, first_name="Riley", last_name="Rideauson"
    )


def _new_entry(title, provider, slug):
    return MicroCredential(
        title=title,
        slug=slug,
        provider=provider,
        external_id=slug.upper(),
        level="introductory",
        language="en",
        delivery_mode="online",
        workload_hours=30,
        duration_weeks=6,
    )


def _add_in_admin(client, entry, **changes):
    response = client.post(f"{ENTRIES}add/", _form_data(entry, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return MicroCredential.objects.get(slug=entry.slug)


@pytest.fixture
def history(client, editor, rideau_editor, staff_with_mfa, lakeshore, rideau):
    """Work done in the admin by three people on two providers.

    Riley (Rideau's editor) saves two drafts and deletes one; staff edit Rideau's
    provider and Lakeshore's entry; the Lakeshore editor creates and publishes
    their own entry.
    """
    client.force_login(rideau_editor)
    _add_in_admin(client, _new_entry(SECRET, rideau, "rideau-secret"))
    withdrawn = _add_in_admin(client, _new_entry(WITHDRAWN, rideau, "rideau-gone"))
    assert client.post(f"{ENTRIES}delete/{withdrawn.pk}/").status_code == 302

    client.force_login(editor)
    own = _add_in_admin(
        client,
        _new_entry(OWN, lakeshore, "lakeshore-welding"),
        **{"action-publish": "1"},
    )

    client.force_login(staff_with_mfa)
    response = client.post(
        f"{ENTRIES}edit/{own.pk}/", _form_data(own, title=f"{OWN} (reviewed)")
    )
    assert response.status_code == 302
    response = client.post(
        f"{PROVIDERS}edit/{rideau.pk}/",
        {
            "name": "Rideau College of the North",
            "slug": rideau.slug,
            "provider_type": rideau.provider_type,
            "region": rideau.region,
            "website": rideau.website,
            "editors": [rideau_editor.pk],
        },
    )
    assert response.status_code == 302
    client.logout()
    return {
        "own": own,
        "secret": MicroCredential.objects.get(slug="rideau-secret"),
        "withdrawn_pk": withdrawn.pk,
    }


def _others_never_appear(text):
    for leak in (SECRET, WITHDRAWN, "Rideau College of the North", "Rideauson"):
        assert leak not in text


def test_the_site_history_shows_their_own_work_only(client, editor, history):
    client.force_login(editor)
    response = client.get(SITE_HISTORY)
    assert response.status_code == 200
    html = response.content.decode()
    assert OWN in html and f"{OWN} (reviewed)" in html
    _others_never_appear(html)
    # Nor through the results view, a search by name, or the filters' choices.
    for url in (
        f"{SITE_HISTORY}results/",
        f"{SITE_HISTORY}?label=Rideau",
        f"{SITE_HISTORY}results/?label=Secret",
        f"{SITE_HISTORY}?action=wagtail.delete",
    ):
        _others_never_appear(client.get(url).content.decode())


def test_the_site_history_exports_hold_their_own_work_only(client, editor, history):
    client.force_login(editor)
    response = client.get(f"{SITE_HISTORY}?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    names = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert OWN in names and f"{OWN} (reviewed)" in names
    _others_never_appear(text)

    response = client.get(f"{SITE_HISTORY}?export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = " ".join(
        str(value)
        for row in workbook.active.iter_rows(values_only=True)
        for value in row
    )
    assert OWN in cells
    _others_never_appear(cells)


def test_their_dashboard_shows_nothing_of_other_providers(client, editor, history):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    _others_never_appear(response.content.decode())


def test_the_history_of_their_entries_and_provider_is_complete(
    client, editor, lakeshore, history
):
    client.force_login(editor)
    html = client.get(f"{ENTRIES}history/{history['own'].pk}/").content.decode()
    # Created and published by them, then edited by staff.
    assert "Created" in html and "Published" in html and "Edited" in html
    assert "Cora Coordinator" in html
    _others_never_appear(html)
    response = client.get(f"{PROVIDERS}history/{lakeshore.pk}/")
    assert response.status_code == 200
    _others_never_appear(response.content.decode())


def test_the_history_of_another_providers_things_is_not_found(
    client, editor, rideau, history
):
    client.force_login(editor)
    for url in (
        f"{ENTRIES}history/{history['secret'].pk}/",
        f"{ENTRIES}history/{history['secret'].pk}/results/",
        f"{ENTRIES}history/{history['withdrawn_pk']}/",
        f"{PROVIDERS}history/{rideau.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_other_provider_keeps_its_own_history(client, rideau_editor, history):
    client.force_login(rideau_editor)
    html = client.get(SITE_HISTORY).content.decode()
    assert SECRET in html and WITHDRAWN in html
    assert "Rideau College of the North" in html
    assert OWN not in html


def test_staff_and_all_provider_editors_see_every_providers_history(
    client, staff_with_mfa, history
):
    everywhere = make_user("catalogue-lead@example.org")
    everywhere.groups.add(seed.editors_group())
    everywhere.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="credentials", codename="edit_all_providers"
        )
    )
    for user in (staff_with_mfa, everywhere):
        client.force_login(user)
        html = client.get(SITE_HISTORY).content.decode()
        for title in (SECRET, WITHDRAWN, OWN, "Rideau College of the North"):
            assert title in html, (user, title)
        assert "Rideauson" in html  # in the user filter
        csv_text = b"".join(
            client.get(f"{SITE_HISTORY}?export=csv").streaming_content
        ).decode()
        assert SECRET in csv_text and OWN in csv_text


def test_moving_an_entry_moves_its_history(
    client, editor, rideau_editor, lakeshore, rideau, history
):
    """History follows an entry to its new provider, so its former editors no
    longer read its titles."""
    both = _provider_editor("both@example.org", lakeshore)
    rideau.editors.add(both)
    client.force_login(both)
    secret = history["secret"]
    response = client.post(
        f"{ENTRIES}edit/{secret.pk}/",
        _form_data(secret, provider=lakeshore.pk, **{"action-publish": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    client.force_login(editor)
    html = client.get(SITE_HISTORY).content.decode()
    assert SECRET in html
    client.force_login(rideau_editor)
    html = client.get(SITE_HISTORY).content.decode()
    assert SECRET not in html and WITHDRAWN in html


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_history_pages_take_as_many_queries_for_5_and_50_entries(
    client, editor, rideau_editor, lakeshore, rideau
):
    def grow(start, stop):
        for number in range(start, stop):
            for provider, user in ((lakeshore, editor), (rideau, rideau_editor)):
                entry = make_credential(
                    f"{provider.name} entry {number}", provider=provider
                )
                log(entry, "wagtail.create", user=user)
                log(entry, "wagtail.edit", user=user)

    client.force_login(editor)
    grow(0, 5)
    own = MicroCredential.objects.filter(provider=lakeshore).first()
    urls = [
        SITE_HISTORY,
        f"{ENTRIES}history/{own.pk}/",
        "/admin/",
        ENTRIES,
    ]
    small = {url: _queries(client, url) for url in urls}
    for _url, (_count, html) in small.items():
        assert "Rideau College entry" not in html
    assert "Lakeshore College entry 4" in small[SITE_HISTORY][1]
    grow(5, 50)
    for url in urls:
        count, html = _queries(client, url)
        assert count == small[url][0], (url, small[url][0], count)
        assert "Rideau College entry" not in html


def test_history_logged_before_the_upgrade_is_moved_and_scoped(
    client, editor, rideau_editor, lakeshore, rideau
):
    """Rows that Wagtail's own log model holds from before are moved by the data
    migration; those of deleted entries are left to staff."""
    from django.apps import apps
    from wagtail.models import ModelLogEntry

    from credentials.models import CatalogueLogEntry

    migration = importlib.import_module(
        "credentials.migrations.0008_move_catalogue_log"
    )
    own = make_credential(OWN, provider=lakeshore)
    secret = make_credential(SECRET, provider=rideau, status="draft")
    withdrawn = make_credential(WITHDRAWN, provider=lakeshore, status="draft")
    for instance, user in (
        (own, editor),
        (secret, rideau_editor),
        (withdrawn, editor),
        (rideau, rideau_editor),
    ):
        ModelLogEntry.objects.log_action(instance, "wagtail.create", user=user)
    ModelLogEntry.objects.log_action(withdrawn, "wagtail.delete", user=editor)
    withdrawn.delete()

    migration.forwards(apps, None)
    assert not ModelLogEntry.objects.exists()
    assert CatalogueLogEntry.objects.count() == 5

    client.force_login(editor)
    html = client.get(SITE_HISTORY).content.decode()
    assert OWN in html
    assert SECRET not in html and WITHDRAWN not in html
    assert "Rideau College" not in html
    assert "Created" in client.get(f"{ENTRIES}history/{own.pk}/").content.decode()
    client.force_login(rideau_editor)
    html = client.get(SITE_HISTORY).content.decode()
    assert SECRET in html and "Rideau College" in html and OWN not in html

    migration.backwards(apps, None)
    assert ModelLogEntry.objects.count() == 5
    assert not CatalogueLogEntry.objects.exists()
