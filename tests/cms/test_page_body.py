"""A page's body: members and visitors alike see what is live, never a draft."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model

from cms.models import StandardPage

pytestmark = pytest.mark.django_db

WHY = "/why-micro-certification-now/"


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def _page():
    return StandardPage.objects.get(slug="why-micro-certification-now")


def test_a_published_body_shows_at_once(client, home_page, member):
    client.force_login(member)
    assert "A brand-new paragraph" not in _html(client.get(WHY))

    page = _page()
    page.body = [("paragraph", "<p>A brand-new paragraph</p>")]
    page.save_revision().publish()

    assert "A brand-new paragraph" in _html(client.get(WHY))
    assert "A brand-new paragraph" in _html(Client().get(WHY))


def test_a_previewed_draft_body_is_never_shown_to_visitors(
    client, home_page, staff_with_mfa
):
    live = _html(Client().get(WHY))
    page = _page()
    page.body = [("paragraph", "<p>Draft wording under review</p>")]
    page.save_revision()

    client.force_login(staff_with_mfa)
    assert "Draft wording under review" in _html(
        client.get(f"/admin/pages/{page.pk}/view_draft/")
    )

    again = _html(Client().get(WHY))
    assert "Draft wording under review" not in again
    assert again == live


def test_a_renamed_document_shows_its_new_title_in_the_body(client, home_page):
    document = get_document_model().objects.create(
        title="Framework overview (PDF)",
        file=ContentFile(b"%PDF-1.4 overview", name="overview.pdf"),
    )
    page = _page()
    page.body = [
        ("document", {"document": document, "title": ""}),
    ]
    page.save_revision().publish()
    assert "Framework overview (PDF)" in _html(client.get(WHY))

    document.title = "Framework overview, second edition"
    document.save()

    assert "Framework overview, second edition" in _html(client.get(WHY))
