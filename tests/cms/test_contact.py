import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Post the contact form; emails go out after commit, as in production."""

    def post(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/contact/", data, **extra)

    return post


VALID = {
    "your_name": "Priya Patel",
    "your_email": "priya@example.com",
    "organisation": "Seneca Polytechnic",
    "message": "How can our college join the working group?",
    "website": "",
}


def test_contact_form_shows_its_fields(client, home_page):
    html = client.get("/contact/").content.decode()
    for label in ["Your name", "Your email", "Organisation", "Message"]:
        assert f">{label}" in html
    assert 'class="honeypot" aria-hidden="true"' in html


def test_valid_message_is_stored_and_emailed_to_the_coordinator(post, home_page):
    response = post(VALID, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    assert "Your message has been sent to the Program" in response.content.decode()
    submission = FormSubmission.objects.get()
    data = submission.get_data()
    assert data["your_email"] == "priya@example.com"
    assert "website" not in data
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["coordinator@example.org"]
    assert "How can our college join the working group?" in mail.outbox[0].body


def test_coordinator_address_comes_from_site_settings(post, home_page):
    from wagtail.models import Site

    from cms.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.coordinator_email = "new-coordinator@example.org"
    settings.save()
    post(VALID)
    assert mail.outbox[0].to == ["new-coordinator@example.org"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"your_email": "not-an-email"}, "Enter a valid email address."),
        ({"message": ""}, "This field is required."),
        ({"your_name": ""}, "This field is required."),
    ],
)
def test_invalid_message_rerenders_with_errors_and_stores_nothing(
    post, home_page, change, message
):
    response = post({**VALID, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    # What the visitor typed is kept so they can fix it.
    assert "Seneca Polytechnic" in html
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_submission_is_rejected_and_stores_nothing(post, home_page):
    response = post({**VALID, "website": "http://spam.example"})
    assert response.status_code == 400
    assert "looks like spam" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_too_many_messages_from_one_address_are_refused(post, home_page, settings):
    settings.CONTACT_RATE_LIMIT = "3/h"
    for _ in range(3):
        assert post(VALID, REMOTE_ADDR="10.0.0.9").status_code == 200
    response = post(VALID, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 400
    assert "several messages in a short time" in response.content.decode()
    assert FormSubmission.objects.count() == 3
    assert len(mail.outbox) == 3
    # Another visitor is not affected.
    assert post(VALID, REMOTE_ADDR="10.0.0.10").status_code == 200
    assert FormSubmission.objects.count() == 4
