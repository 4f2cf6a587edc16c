"""A consultation in a real browser: a member finds the draft from the
frameworks index, follows a clause anchor, comments with the keyboard, filters
the comments; after closing the disposition table is read. axe-core on every
page type, visible focus on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from frameworks.consultation_models import Comment
from frameworks.consultation_services import (
    post_comment,
    publish_disposition,
    respond,
)
from tests.browser.keyboard import focused, tab_to
from tests.conftest import PASSWORD, make_user
from tests.frameworks.conftest import make_framework
from tests.frameworks.consultation_helpers import (
    SECTIONS,
    open_consultation,
    save_draft,
    set_dates,
)

pytestmark = pytest.mark.browser

URL = "/frameworks/micro-certification-framework/consultation/1.1/"


def _sign_in(page, email, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**{next_url}")


def test_member_comments_on_a_clause_and_reads_the_disposition(
    page, live_server, home_page, axe_check
):
    from frameworks import seed

    member = make_user("ada@example.org", first_name="Ada", last_name="Long")
    member.date_joined = timezone.now() - timedelta(days=90)
    member.save(update_fields=["date_joined"])
    other = make_user("bo@example.org", first_name="Bo", last_name="Builder")
    other.date_joined = member.date_joined
    other.save(update_fields=["date_joined"])
    staff = make_user("cora@example.org", is_staff=True, is_superuser=True)
    index = seed.index_page()
    framework = make_framework(
        index,
        "Micro-certification framework",
        document_type="framework",
        sections=[("Purpose", "The first version.")],
    )
    save_draft(framework, SECTIONS)
    consultation = open_consultation(framework, questions=["Is the scope right?"])
    post_comment(
        author=other,
        consultation=consultation,
        clause_number="2.1",
        type="support",
        body="Colleges need this.",
        organisation="Acme",
        organisation_type="employer",
        role="Manager",
    )

    # The frameworks index lists the open consultation.
    page.goto("/frameworks/")
    page.locator("text=Consultation on Micro-certification framework 1.1").click()
    page.wait_for_url(f"**{URL}")
    axe_check(page)
    assert "1" in page.locator("#c-2\\.1 .cn-heat").inner_text()

    # A clause's anchor is a link that keeps working.
    page.goto(URL + "#c-3.1")
    assert page.locator("#c-3\\.1").is_visible()
    number = page.locator("#c-3\\.1 .cn-number")
    number.focus()
    assert focused(page)["outline"] or focused(page)["shadow"]
    element = tab_to(page, lambda el: el["href"].endswith("clause/3.1/#comment-form"))
    assert element["text"] == "Comment on 3.1"
    page.keyboard.press("Enter")
    page.wait_for_url("**/clause/3.1/#comment-form")
    axe_check(page)  # signed out: an invitation to sign in

    # Signed in, the member comments with the keyboard; an error first.
    _sign_in(page, "ada@example.org", URL + "clause/3.1/")
    page.locator("#id_type_2").focus()  # "Proposed change"
    page.keyboard.press("Space")
    page.fill("#id_body", "Say against what.")
    page.fill("#id_organisation", "Northern College")
    page.select_option("#id_organisation_type", "institution")
    page.fill("#id_role", "Dean")
    page.locator("#id_role").press("Enter")
    page.wait_for_load_state()
    assert "Write the text you propose" in page.locator(".error-summary").inner_text()
    assert not Comment.objects.filter(author=member).exists()
    axe_check(page)  # the form with its errors
    page.fill(
        "#id_replacement", "Every micro-certification is assessed against its outcomes."
    )
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/clause/3.1/#comment-*")
    assert "your comment is published" in page.locator("main").inner_text()
    axe_check(page)

    # The filters work with the keyboard.
    page.goto(URL + "clause/2.1/")
    tab_to(page, lambda el: el["id"] == "id_type")
    page.keyboard.press("ArrowDown")  # "Support"
    tab_to(page, lambda el: el["text"] == "Filter")
    page.keyboard.press("Enter")
    page.wait_for_url("**type=support*")
    assert "Colleges need this." in page.locator("main").inner_text()

    # After closing: responses, then the published disposition table.
    set_dates(consultation, opens=-9, closes=-1)
    for comment in Comment.objects.all():
        respond(by=staff, comment=comment, disposition="accepted", reason="Agreed.")
    publish_disposition(by=staff, consultation=consultation)
    page.goto(URL)
    assert "Closed." in page.locator(".cn-state").inner_text()
    assert page.locator("#c-3\\.1").is_visible()  # the old anchor still resolves
    axe_check(page)
    page.locator("text=Read the working group's responses").click()
    page.wait_for_url("**/disposition/")
    assert "Agreed." in page.locator("table").inner_text()
    axe_check(page)


def test_staff_read_the_consultation_dashboard(page, live_server, home_page, axe_check):
    from frameworks import seed
    from tests.mfa import enable_totp, totp_code

    member = make_user("ada@example.org", first_name="Ada", last_name="Long")
    member.date_joined = timezone.now() - timedelta(days=90)
    member.save(update_fields=["date_joined"])
    staff = make_user("cora@example.org", is_staff=True, is_superuser=True)
    secret = enable_totp(staff)
    framework = make_framework(
        seed.index_page(),
        "Micro-certification framework",
        document_type="framework",
        sections=[("Purpose", "The first version.")],
    )
    save_draft(framework, SECTIONS)
    consultation = open_consultation(framework)
    for clause, body in [("2.1", "Colleges need this."), ("", "Good draft.")]:
        post_comment(
            author=member,
            consultation=consultation,
            clause_number=clause,
            type="support",
            body=body,
            organisation="Acme",
            organisation_type="employer",
            role="Manager",
        )

    listing = "/admin/frameworks/consultations/"
    page.goto(f"/accounts/login/?next={listing}")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_url(f"**{listing}")
    # From the listing to the dashboard, with the keyboard.
    link = page.get_by_role("link", name="Figures")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{listing}{consultation.pk}/dashboard/")
    per_clause = page.locator("table[aria-labelledby=per-clause]")
    assert "2.1" in per_clause.inner_text()
    assert "Whole draft" in per_clause.inner_text()
    assert (
        "Employer or industry"
        in page.locator("table[aria-labelledby=per-organisation-type]").inner_text()
    )
    axe_check(page)
