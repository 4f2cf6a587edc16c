"""Profiles, the members' directory, data export and account deletion."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from community import services
from community.models import (
    Membership,
    Notification,
    Post,
    PostRevision,
    Profile,
    Reaction,
)
from tests.conftest import make_user


def _image(fmt="PNG", size=(40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, fmt)
    return buffer.getvalue()


PROFILE = {
    "display_name": "Mira M.",
    "organisation": "Seneca Polytechnic",
    "sector": "Higher education",
    "role": "Curriculum designer",
    "bio": "Designs short credentials.",
    "visibility": "members",
    "email_preference": "digest",
}


def test_every_account_has_a_profile(member):
    assert Profile.objects.filter(user=member).exists()


def test_member_edits_profile_with_an_avatar(client, member):
    client.force_login(member)
    avatar = SimpleUploadedFile("me.png", _image(), content_type="image/png")
    response = client.post("/community/profile/", {**PROFILE, "avatar": avatar})
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.organisation == "Seneca Polytechnic"
    assert profile.email_preference == "digest"
    assert profile.avatar.name.startswith("avatars/")
    assert "me.png" not in profile.avatar.name  # unguessable
    html = client.get("/community/members/member/").content.decode()
    assert "Mira M." in html and "Curriculum designer" in html
    assert 'src="/community/members/member/avatar/"' in html
    assert profile.avatar.name not in html
    image = client.get("/community/members/member/avatar/")
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    # A members-only profile's avatar is private too.
    client.logout()
    assert client.get("/community/members/member/avatar/").status_code == 404
    Profile.objects.filter(user=member).update(visibility="public")
    assert client.get("/community/members/member/avatar/").status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("evil.svg", b'<svg onload="alert(1)"></svg>', "image/svg+xml", "image"),
        ("fake.png", b"not an image at all", "image/png", "image"),
        ("anim.gif", _image("GIF"), "image/gif", "JPEG, PNG or WebP"),
        ("huge.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10), "image/png", "1 MB"),
    ],
)
def test_bad_avatars_are_refused_and_change_nothing(
    client, member, name, content, content_type, message
):
    client.force_login(member)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post("/community/profile/", {**PROFILE, "avatar": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    profile = Profile.objects.get(user=member)
    assert not profile.avatar and profile.organisation == ""


def test_profile_visibility(client, member, second_member):
    Profile.objects.filter(user=member).update(
        visibility="members", display_name="Private Mira"
    )
    Profile.objects.filter(user=second_member).update(
        visibility="public", display_name="Public Omar"
    )
    assert client.get("/community/members/member/").status_code == 404
    assert "Public Omar" in client.get("/community/members/other/").content.decode()
    client.force_login(second_member)
    assert "Private Mira" in client.get("/community/members/member/").content.decode()


def test_directory_is_for_members_and_searchable(client, member, second_member):
    Profile.objects.filter(user=member).update(organisation="Humber College")
    Profile.objects.filter(user=second_member).update(organisation="Acme Industries")
    response = client.get("/community/members/", {"q": "Humber"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(second_member)
    html = client.get("/community/members/", {"q": "humber"}).content.decode()
    assert "Humber College" in html and "Acme Industries" not in html
    html = client.get("/community/members/").content.decode()
    assert "Humber College" in html and "Acme Industries" in html


def _registration(member):
    """An event registration of the member, made through the events app's models."""
    events = pytest.importorskip("events.models")
    from cms.models import HomePage

    now = timezone.now()
    index = events.EventIndexPage(title="Events", slug="events-x")
    HomePage.default().add_child(instance=index)
    event = events.EventPage(
        title="Forum",
        slug="forum",
        start=now + timedelta(days=30),
        end=now + timedelta(days=30, hours=8),
        event_format=events.EventPage.Format.IN_PERSON,
        venue="Toronto",
        capacity=10,
    )
    index.add_child(instance=event)
    return events.Registration.objects.create(
        event=event, user=member, name="Mira Member", email=member.email
    )


def test_member_downloads_their_data(
    client, home_page, member, second_member, public_space
):
    registration = _registration(member)
    Profile.objects.filter(user=member).update(organisation="Seneca")
    thread = services.create_thread(
        author=member, space=public_space, title="My thread", body="My words"
    )
    services.reply(author=second_member, thread=thread, body="Someone else's words")
    client.force_login(member)
    response = client.get("/community/export/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["profile"]["organisation"] == "Seneca"
    assert [p["body"] for p in data["posts"]] == ["My words"]
    assert [r["pk"] for r in data["registrations"]] == [registration.pk]
    assert "Someone else's words" not in response.content.decode()
    client.logout()
    assert client.get("/community/export/").status_code == 302


def test_member_deletes_their_account(
    client, home_page, member, second_member, public_space, working_group
):
    registration = _registration(member)
    services.add_member(working_group=working_group, user=member)
    thread = services.create_thread(
        author=member, space=public_space, title="Kept thread", body="First version"
    )
    post = thread.posts.get()
    services.edit_post(user=member, post=post, body="Second version")
    reply = services.reply(author=second_member, thread=thread, body="@member hi")
    Reaction.objects.create(post=reply, user=member)
    client.force_login(member)
    wrong = client.post("/community/delete-account/", {"confirm": "yes"})
    assert wrong.status_code == 400
    assert get_user_model().objects.filter(pk=member.pk).exists()
    response = client.post("/community/delete-account/", {"confirm": "delete"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(email=member.email).exists()
    assert not Profile.objects.filter(user_id=member.pk).exists()
    assert not Membership.objects.filter(user_id=member.pk).exists()
    assert not member.groups.exists()
    assert not Notification.objects.filter(user_id=member.pk).exists()
    assert not Reaction.objects.filter(user_id=member.pk).exists()
    assert not PostRevision.objects.filter(post=post).exists()
    assert not type(registration).objects.filter(pk=registration.pk).exists()
    # The post stays, by a former member.
    post = Post.objects.get(pk=post.pk)
    assert post.author is None and post.body == "Second version"
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "A former member" in html and "Second version" in html
    assert "Mira" not in html
    # The session is gone too.
    assert client.get("/community/profile/").status_code == 302


def test_mentions_of_a_deleted_member_no_longer_link(member, second_member):
    gone = make_user("gone@example.org")
    gone.delete()
    from community.markdown import render

    assert "mention" not in render("hello @gone")
