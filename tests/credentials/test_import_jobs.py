"""Admin uploads run as background import jobs with a progress page and a report."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credentials import services
from credentials.models import ImportJob, MicroCredential
from tests.conftest import make_user

from .factories import make_provider
from .test_import import csv_bytes, row

pytestmark = pytest.mark.django_db

IMPORT = "/admin/catalogue/import/"


@pytest.fixture
def provider(db):
    return make_provider("Lakeshore College")


def _upload(client, name, content):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_an_upload_is_queued_shows_progress_then_the_report(
    client, staff_with_mfa, provider, django_capture_on_commit_callbacks
):
    client.force_login(staff_with_mfa)
    with django_capture_on_commit_callbacks() as queued:
        response = _upload(client, "catalogue.csv", csv_bytes([row(1), row(2)]))
    assert response.status_code == 302
    job_url = response["Location"]
    assert re.fullmatch(r"/admin/catalogue/import/\d+/", job_url)

    # Before the worker picks it up: nothing imported, a progress bar at zero
    # with its text, and a way to refresh without JavaScript.
    waiting = client.get(job_url).content.decode()
    assert MicroCredential.objects.count() == 0
    assert "<dd>catalogue.csv</dd>" in waiting and "<dd>2</dd>" in waiting
    assert "Queued" in waiting
    assert re.search(r'<progress id="import-job-progress" max="2" value="0"', waiting)
    assert '<label for="import-job-progress">Progress</label>' in waiting
    assert "Waiting for the import to start." in waiting
    assert "Refresh this page to see the progress" in waiting
    assert "js/import-job.js" in waiting
    status = client.get(f"{job_url}status.json").json()
    assert status["status"] == "queued" and not status["finished"]
    assert (status["rows_processed"], status["rows_total"]) == (0, 2)

    for callback in queued:  # the task, as the worker would run it
        callback()

    done = client.get(job_url).content.decode()
    assert "Done" in done
    assert "Imported 2 entries: 2 new, 0 updated." in done
    assert "<progress" not in done
    assert MicroCredential.objects.count() == 2
    status = client.get(f"{job_url}status.json").json()
    assert status["status"] == "done" and status["finished"]
    assert status["percent"] == 100
    # The import page lists the user's recent imports.
    assert "catalogue.csv" in client.get(IMPORT).content.decode()


def test_the_status_follows_the_rows_as_they_are_checked(
    client, staff_with_mfa, provider, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(staff_with_mfa)
    seen = []
    real_import = services.import_credentials

    def import_and_watch(*, progress, **kwargs):
        def watch(done, total, stage):
            progress(done, total, stage)
            seen.append(client.get(status_url).json())

        return real_import(progress=watch, **kwargs)

    monkeypatch.setattr(services, "import_credentials", import_and_watch)
    rows = [row(n) for n in range(1, 1201)]
    with django_capture_on_commit_callbacks() as queued:
        response = _upload(client, "big.csv", csv_bytes(rows))
    status_url = response["Location"] + "status.json"
    for callback in queued:
        callback()

    checking = [s for s in seen if s["rows_processed"] == 500][0]
    assert checking["status"] == "running" and checking["status_label"] == "Running"
    assert checking["message"] == "500 of 1,200 rows checked."
    assert checking["percent"] == 41 and not checking["saving"]
    saving = [s for s in seen if s["saving"]][0]
    assert saving["message"] == "All 1,200 rows checked; saving the entries."
    final = client.get(status_url).json()
    assert final["status"] == "done"
    assert final["message"] == "Imported 1200 entries: 1200 new, 0 updated."
    assert MicroCredential.objects.count() == 1200


def test_bad_rows_import_nothing_and_the_job_page_lists_them(
    client, staff_with_mfa, provider, django_capture_on_commit_callbacks
):
    client.force_login(staff_with_mfa)
    rows = [row(1), row(2, level="expert"), row(3, provider="Nowhere University")]
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, "bad.csv", csv_bytes(rows))
    page = client.get(response["Location"]).content.decode()
    assert "Failed" in page
    assert "Nothing was imported: 2 problem(s) found." in page
    assert "2 problems" in page
    assert "Select a valid choice" in page  # row 2, level
    assert "No provider named “Nowhere University”" in page
    assert MicroCredential.objects.count() == 0
    status = client.get(response["Location"] + "status.json").json()
    assert status["status"] == "failed" and status["finished"]
    # The file's text is not kept once the job has finished.
    assert ImportJob.objects.get().data == ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("catalogue.xlsx", b"provider,external_id,title\n", "Upload a .csv or .json"),
        ("catalogue.json", b"{not json", "The file is not valid JSON"),
        ("catalogue.csv", b"title,provider\nx,y\n", "The required column is missing."),
        ("catalogue.csv", b"\xff\xfe\x00", "The file is not UTF-8 text."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_at_once(
    client, staff_with_mfa, provider, name, content, message
):
    client.force_login(staff_with_mfa)
    response = _upload(client, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_only_the_uploader_or_a_superuser_sees_a_job(
    client, staff_with_mfa, provider, django_capture_on_commit_callbacks
):
    from credentials import seed

    uploader = make_user("uploader@lakeshore.example.org")
    uploader.groups.add(seed.editors_group())
    provider.editors.add(uploader)
    colleague = make_user("colleague@lakeshore.example.org")
    colleague.groups.add(seed.editors_group())
    provider.editors.add(colleague)

    client.force_login(uploader)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = _upload(client, "mine.csv", csv_bytes([row(1)]))["Location"]
    assert "Imported 1 entries" in client.get(job_url).content.decode()

    client.force_login(colleague)
    assert client.get(job_url).status_code == 404
    assert client.get(f"{job_url}status.json").status_code == 404
    assert "mine.csv" not in client.get(IMPORT).content.decode()

    client.force_login(staff_with_mfa)
    assert client.get(job_url).status_code == 200

    client.logout()
    assert client.get(f"{job_url}status.json").status_code in (302, 403)


def test_a_job_no_worker_picks_up_says_so(client, staff_with_mfa):
    import datetime

    from django.utils import timezone

    job = ImportJob.objects.create(user=staff_with_mfa, file_name="late.csv")
    client.force_login(staff_with_mfa)
    assert "No task worker has started" not in client.get(job.get_absolute_url()).text

    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    assert "No task worker has started" in client.get(job.get_absolute_url()).text

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert "the task worker may have stopped" in client.get(job.get_absolute_url()).text
