"""A provider editor uploads a catalogue file and watches its import finish."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from credentials import seed
from credentials.models import MicroCredential
from tests.conftest import PASSWORD, make_user
from tests.credentials.factories import make_provider
from tests.credentials.test_import import csv_bytes, row

pytestmark = pytest.mark.browser


def test_provider_editor_uploads_a_file_and_sees_the_import_finish(
    page, transactional_db, settings, tmp_path, axe_check
):
    # A real queue: the upload waits until a worker runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    provider = make_provider("Lakeshore College")
    editor = make_user("editor@lakeshore.example.org")
    editor.groups.add(seed.editors_group())
    provider.editors.add(editor)
    upload = tmp_path / "lakeshore.csv"
    upload.write_bytes(csv_bytes([row(n) for n in range(1, 4)]))

    page.goto("/accounts/login/?next=/admin/catalogue/import/")
    page.fill("input[name=login]", editor.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/admin/catalogue/import/")
    page.get_by_label("CSV or JSON file").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/admin/catalogue/import/*/")

    status = page.locator("[data-import-job-status]")
    expect(status).to_have_text("Queued")
    progress = page.get_by_role("progressbar", name="Progress")
    expect(progress).to_have_attribute("max", "3")
    expect(page.get_by_text("Waiting for the import to start.")).to_be_visible()
    # The page refreshes itself, so the no-JavaScript link is hidden.
    expect(page.get_by_role("link", name="Refresh this page")).to_be_hidden()
    axe_check(page)

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )

    expect(status).to_have_text("Done")
    expect(page.get_by_text("Imported 3 entries: 3 new, 0 updated.")).to_be_visible()
    assert MicroCredential.objects.filter(provider=provider).count() == 3
    axe_check(page)
