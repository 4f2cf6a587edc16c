"""The staff dashboard of a consultation in the admin: the figures, the links
to moderation and export, and who may see it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Membership, WorkingGroup
from frameworks import constants
from frameworks.consultation_models import Comment
from frameworks.consultation_services import post_comment, respond
from tests.conftest import make_user

from .consultation_helpers import comment_data, set_dates

pytestmark = pytest.mark.django_db


def _dashboard(consultation):
    return f"/admin/frameworks/consultations/{consultation.pk}/dashboard/"


def _post(author, consultation, clause, **extra):
    data = comment_data(**extra)
    data.pop("clause")
    return post_comment(
        author=author, consultation=consultation, clause_number=clause, **data
    )


def _cells(html, caption_id):
    """{row heading: count} of one of the dashboard's tables."""
    table = re.search(
        rf'<table [^>]*aria-labelledby="{caption_id}">(.*?)</table>', html, re.S
    )
    assert table is not None, caption_id
    rows = re.findall(
        r'<th scope="row">\s*(.*?)\s*</th>\s*<td>(\d+)</td>', table.group(1), re.S
    )
    return {label: int(n) for label, n in rows}


@pytest.fixture
def received(consultation, established_member, new_member, settings):
    """Five comments over two days: one held, one hidden, one answered."""
    settings.CONSULTATION_COMMENT_RATE = "100/h"
    other = make_user("bo@example.org", first_name="Bo", last_name="Builder")
    other.date_joined = timezone.now() - timedelta(days=60)
    other.save(update_fields=["date_joined"])
    comments = [
        _post(established_member, consultation, "2.1", body="One."),
        _post(established_member, consultation, "2.1", body="Two."),
        _post(other, consultation, "", body="Three.", organisation_type="employer"),
        _post(new_member, consultation, "3.1", body="Held."),
        _post(other, consultation, "3.1", body="Spam.", organisation_type="employer"),
    ]
    assert comments[3].status == Comment.Status.HELD
    Comment.objects.filter(pk=comments[4].pk).update(status=Comment.Status.HIDDEN)
    two_days_ago = timezone.now() - timedelta(days=2)
    Comment.objects.filter(pk=comments[0].pk).update(created_at=two_days_ago)
    return comments


def test_staff_see_the_figures_of_a_consultation(
    client, consultation, received, staff_with_mfa, staff
):
    set_dates(consultation, opens=-9, closes=-1)
    respond(by=staff, comment=received[1], disposition="accepted", reason="Yes.")
    client.force_login(staff)
    listing = client.get("/admin/frameworks/consultations/").content.decode()
    assert f'href="{_dashboard(consultation)}"' in listing
    response = client.get(_dashboard(consultation))
    assert response.status_code == 200
    html = response.content.decode()
    totals = dict(re.findall(r"<dt>(.*?)</dt><dd>(\d+)", html.replace("\n", " "), re.S))
    # Hidden comments are not counted as received; the held one is.
    assert totals == {
        "Comments received": "4",
        "Waiting for moderation": "1",
        "Waiting for a response": "2",  # published and not answered
        "Hidden by a moderator": "1",
    }
    days = list(_cells(html, "per-day").values())
    assert days == [1, 3]  # two days ago, then today
    assert _cells(html, "per-clause") == {"2.1": 2, "3.1": 1, "Whole draft": 1}
    assert _cells(html, "per-organisation-type") == {
        "College or university": 3,
        "Employer or industry": 1,
    }
    # The moderation queue and the export of this consultation's comments.
    queue = f"/admin/frameworks/consultation-comments/?consultation={consultation.pk}"
    assert f'href="{queue}&amp;status=held"' in html
    assert f'href="{queue}&amp;export=xlsx"' in html
    assert client.get(f"{queue}&status=held").status_code == 200
    # Bars drawn from the counts, hidden from screen readers (the table says it).
    assert 'style="width: 100%" aria-hidden="true"' in html


def test_the_working_groups_chair_sees_the_dashboard(client, consultation, received):
    chair = make_user("chair@example.org", first_name="Chloe", last_name="Chair")
    group = WorkingGroup.objects.create(
        name=constants.WORKING_GROUP, slug="working-group"
    )
    Membership.objects.create(
        working_group=group, user=chair, status="active", is_chair=True
    )
    from django.contrib.auth.models import Permission

    # A chair with access to the admin (the working group's editors have it).
    chair.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    client.force_login(chair)
    response = client.get(_dashboard(consultation))
    assert response.status_code == 200
    assert "Comments per clause" in response.content.decode()


def test_members_and_editors_cannot_see_the_dashboard(
    client, consultation, received, member
):
    from django.contrib.auth.models import Permission

    client.force_login(member)
    response = client.get(_dashboard(consultation))
    assert response.status_code in (302, 403)
    assert b"Comments per clause" not in response.content
    # Admin access alone (an editor who is not a chair) is not enough.
    member.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    response = client.get(_dashboard(consultation))
    # Wagtail turns the refusal into a redirect to the admin's home, with a
    # message.
    assert response.status_code in (302, 403)
    assert b"Comments per clause" not in response.content
    if response.status_code == 302:
        assert "dashboard" not in response["Location"]


def test_the_dashboard_costs_the_same_for_more_comments(
    client, consultation, received, staff_with_mfa, staff, established_member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    client.get(_dashboard(consultation))

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_dashboard(consultation)).status_code == 200
        return len(queries)

    few = cost()
    for n in range(20):
        _post(established_member, consultation, ["1.1", "2.2", ""][n % 3], body=f"{n}")
    assert cost() == few
