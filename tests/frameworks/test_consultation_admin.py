"""Staff open a consultation in the admin and moderate and export comments."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from frameworks.consultation_models import Clause, Comment, Consultation
from frameworks.consultation_services import post_comment

from .consultation_helpers import comment_data

pytestmark = pytest.mark.django_db


def test_staff_open_a_consultation_with_dates_and_questions(
    client, draft_framework, staff_with_mfa, staff
):
    client.force_login(staff)
    now = timezone.localtime()
    data = nested_form_data(
        {
            "page": draft_framework.pk,
            "version": "1.1",
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + timedelta(days=30)).strftime("%Y-%m-%d %H:%M"),
            "introduction": "Tell us.",
            "questions": inline_formset([{"text": "Is the scope right?"}]),
            "next_version": "",
        }
    )
    response = client.post("/admin/frameworks/consultations/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = Consultation.objects.get()
    assert [q.text for q in consultation.questions.all()] == ["Is the scope right?"]
    assert Clause.objects.filter(consultation=consultation, number="2.1").exists()
    assert consultation.is_open
    # Closing before opening is refused, with a message.
    data["closes_at"] = (now - timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    data["version"] = "1.2"
    response = client.post("/admin/frameworks/consultations/new/", data)
    assert response.status_code == 200
    assert "must close after it opens" in response.content.decode()
    # A number already published is no draft.
    data["closes_at"] = (now + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    data["version"] = "1.0"
    response = client.post("/admin/frameworks/consultations/new/", data)
    assert response.status_code == 200
    assert "Version 1.0 is already published" in response.content.decode()
    assert Consultation.objects.count() == 1
    listing = client.get("/admin/frameworks/consultations/")
    assert "Micro-certification framework 1.1" in listing.content.decode()


def test_members_cannot_reach_the_consultation_admin(client, consultation, member):
    client.force_login(member)
    response = client.get("/admin/frameworks/consultations/")
    assert response.status_code in (302, 403)


def test_comments_export_to_xlsx_without_email_addresses(
    client, consultation, established_member, staff_with_mfa, staff
):
    data = comment_data(body="=1+1")
    data.pop("clause")
    post_comment(
        author=established_member,
        consultation=consultation,
        clause_number="2.1",
        **data,
    )
    client.force_login(staff)
    listing = client.get("/admin/frameworks/consultation-comments/")
    assert listing.status_code == 200
    response = client.get("/admin/frameworks/consultation-comments/?export=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "'=1+1" in cells
    assert not any("@example.org" in c for c in cells)
    assert Comment.objects.count() == 1
