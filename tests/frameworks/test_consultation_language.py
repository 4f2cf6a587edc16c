"""A comment keeps the language it was written in, and the email about its
response is written in that language, linking to that language's pages."""

import pytest
from django.core import mail
from wagtail.models import Locale

from frameworks.consultation_models import Comment
from frameworks.consultation_services import publish_disposition, respond
from frameworks.models import FrameworkPage

from .consultation_helpers import comment_data, set_dates

pytestmark = pytest.mark.django_db

URL = "/frameworks/micro-certification-framework/consultation/1.1/"
FRENCH_URL = "/fr/frameworks/micro-certification-framework/consultation/1.1/"


@pytest.fixture
def french_framework(draft_framework):
    """The framework page translated into French (with its parents), live."""
    french = Locale.objects.get_or_create(language_code="fr")[0]
    translation = draft_framework.copy_for_translation(french, copy_parents=True)
    for page in [*translation.get_ancestors().filter(depth__gt=1), translation]:
        page = page.specific
        if not page.live:
            page.save_revision().publish()
    return FrameworkPage.objects.get(pk=translation.pk)


@pytest.fixture
def second_commenter(db):
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import make_user

    user = make_user("bo@example.org", first_name="Bo", last_name="Builder")
    user.date_joined = timezone.now() - timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


def test_a_french_commenter_gets_the_disposition_email_in_french(
    client,
    consultation,
    french_framework,
    established_member,
    second_commenter,
    staff,
    django_capture_on_commit_callbacks,
):
    # One comments from the French pages, the other from the English ones.
    client.force_login(established_member)
    page = client.get(FRENCH_URL + "clause/2.1/")
    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()
    response = client.post(FRENCH_URL + "clause/2.1/", comment_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(FRENCH_URL)
    client.force_login(second_commenter)
    response = client.post(URL + "clause/2.1/", comment_data(body="In English."))
    assert response.status_code == 302
    french, english = Comment.objects.order_by("pk")
    assert (french.language, english.language) == ("fr", "en")

    set_dates(consultation, opens=-9, closes=-1)
    for comment in (french, english):
        respond(by=staff, comment=comment, disposition="accepted", reason="Oui.")
    with django_capture_on_commit_callbacks(execute=True):
        publish_disposition(by=staff, consultation=consultation)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    in_french = by_recipient[established_member.email]
    assert "Les réponses à vos commentaires sur" in in_french.subject
    assert "Merci d'avoir commenté l'ébauche" in in_french.body
    assert FRENCH_URL + "disposition/" in in_french.body
    html = in_french.alternatives[0][0]
    assert '<html lang="fr">' in html
    in_english = by_recipient[second_commenter.email]
    assert "The responses to your comments on" in in_english.subject
    assert "http://" in in_english.body and URL + "disposition/" in in_english.body
    assert "/fr/" not in in_english.body.split("--")[0]


def test_without_a_french_page_the_french_email_links_the_english_one(
    consultation, established_member, staff, django_capture_on_commit_callbacks
):
    from frameworks.consultation_services import post_comment

    data = comment_data()
    data.pop("clause")
    comment = post_comment(
        author=established_member,
        consultation=consultation,
        clause_number="2.1",
        language="fr",
        **data,
    )
    set_dates(consultation, opens=-9, closes=-1)
    respond(by=staff, comment=comment, disposition="accepted", reason="Oui.")
    with django_capture_on_commit_callbacks(execute=True):
        publish_disposition(by=staff, consultation=consultation)
    [message] = mail.outbox
    assert "Les réponses à vos commentaires sur" in message.subject
    assert URL + "disposition/" in message.body
