"""Two-factor sign-in (allauth.mfa): enrolment, codes, and the rule that staff,
chairs and moderators are signed in only with their second factor."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core import mail

from community import services
from community.models import Space, WorkingGroup
from tests.conftest import PASSWORD, make_user
from tests.mfa import enable_totp, totp_code

pytestmark = pytest.mark.django_db


def _signed_in(client):
    return "_auth_user_id" in client.session


def sign_in(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def open_activation(client, user):
    """Sign in and open the authenticator set-up, proving the email first."""
    sign_in(client, user.email)
    response = client.get("/accounts/2fa/totp/activate/")
    # A first authenticator takes a code sent to the account's email.
    assert response["Location"].startswith("/accounts/reauthenticate/code/")
    confirm = client.post(response["Location"], {"recipient": user.email})
    assert mail.outbox[-1].to == [user.email]
    done = client.post(confirm["Location"], {"code": emailed_code()})
    assert done["Location"] == "/accounts/2fa/totp/activate/"
    return client.get("/accounts/2fa/totp/activate/")


def test_a_password_alone_cannot_add_a_first_authenticator(client, member):
    sign_in(client, member.email)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/code/")
    # Confirming the password again is not enough.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/code/")
    refused = client.post("/accounts/2fa/totp/activate/", {"code": "123456"})
    assert refused.status_code == 302
    assert not Authenticator.objects.filter(user=member).exists()


def enrol(client, user):
    """Turn on an authenticator app the way a member does; returns its secret."""
    page = open_activation(client, user)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    # The page shows the secret for typing into an app, and a QR code.
    assert secret in page.content.decode()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def test_member_enrols_and_then_signs_in_with_a_code(client, member):
    secret = enrol(client, member)
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.TOTP
    ).exists()
    # Recovery codes are made with the authenticator.
    assert Authenticator.objects.filter(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    client.post("/accounts/logout/")

    response = sign_in(client, member.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not _signed_in(client)
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    refused = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert "Incorrect code." in refused.content.decode()
    assert not _signed_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert _signed_in(client)


def test_wrong_code_at_enrolment_turns_nothing_on(client, member):
    open_activation(client, member)
    response = client.post("/accounts/2fa/totp/activate/", {"code": "12345"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=member).exists()


def test_recovery_code_signs_in_once(client, member):
    enrol(client, member)
    codes = (
        Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    client.post("/accounts/logout/")

    sign_in(client, member.email)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert _signed_in(client)

    client.post("/accounts/logout/")
    sign_in(client, member.email)
    reused = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert not _signed_in(client)
    assert "Incorrect code." in reused.content.decode()


def test_recovery_codes_page_lists_codes_for_download(client, member):
    enrol(client, member)
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    codes = re.findall(r"\b[0-9a-f]{8}\b", page)
    assert len(codes) >= 10


def emailed_code():
    """The sign-in code from the last email (allauth's login by code)."""
    body = mail.outbox[-1].body
    return re.search(r"^([A-Z0-9-]{6,})$", body, re.M).group(1)


def privileged_material(staff_or_chair):
    """What only the privileged account may read: a working-group space (as
    its chair, or as staff), a draft PDF, the group's space in the API."""
    from tests.frameworks.conftest import make_document

    group, _created = WorkingGroup.objects.get_or_create(
        slug="wg", defaults={"name": "Working group"}
    )
    space = Space.objects.create(
        name="Drafting room",
        slug="drafting-room",
        visibility=Space.Visibility.WORKING_GROUP,
        working_group=group,
    )
    document = make_document("Draft framework", draft=True, text="Draft marker.")
    return {
        "space": space.get_absolute_url(),
        "pdf": document.url,
        "api": f"/api/v1/community/spaces/{space.slug}/threads",
    }


def reads(client, urls):
    """Which of the privileged pages this client reads."""
    got = {}
    for name, url in urls.items():
        response = client.get(url)
        got[name] = response.status_code == 200
    got["admin"] = client.get("/admin/").status_code == 200
    return got


@pytest.fixture
def chair(db):
    user = make_user("chair@example.org", first_name="Chad", last_name="Chair")
    group = WorkingGroup.objects.create(name="Working group", slug="wg")
    services.add_member(working_group=group, user=user, chair=True)
    return user


@pytest.fixture
def moderator(db):
    user = make_user("mod@example.org")
    group = Group.objects.create(name="Test moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_post"))
    user.groups.add(group)
    return user


@pytest.mark.parametrize("who", ["staff", "chair", "moderator"])
def test_a_password_alone_signs_no_privileged_account_in(client, request, who):
    user = request.getfixturevalue(who)
    response = sign_in(client, user.email)
    # Not signed in: a code went to the account's verified email first.
    assert response["Location"] == "/accounts/login/code/confirm/"
    assert not _signed_in(client)
    assert mail.outbox[-1].to == [user.email]
    # Nor can it enrol an authenticator with the password alone.
    assert client.get("/community/two-factor/enrol/")["Location"].startswith(
        "/accounts/login/"
    )
    assert client.get("/accounts/2fa/totp/activate/").status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()


def test_staff_reach_nothing_before_the_second_factor_and_all_after(client, staff):
    urls = privileged_material(staff)
    sign_in(client, staff.email)
    assert not any(reads(client, urls).values())

    # The emailed code, then an authenticator app, complete the sign-in.
    response = client.post("/accounts/login/code/confirm/", {"code": emailed_code()})
    assert response["Location"] == "/community/two-factor/enrol/"
    assert not _signed_in(client)
    assert not any(reads(client, urls).values())
    page = client.get("/community/two-factor/enrol/")
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page.content.decode()).group(1)
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    refused = client.post("/community/two-factor/enrol/", {"code": wrong})
    assert "Incorrect code" in refused.content.decode()
    assert not Authenticator.objects.filter(user=staff).exists()
    client.post("/community/two-factor/enrol/", {"code": totp_code(secret)})
    assert _signed_in(client)
    assert Authenticator.objects.filter(
        user=staff, type=Authenticator.Type.TOTP
    ).exists()
    assert all(reads(client, urls).values()), reads(client, urls)

    # Next time: password and the app's code, no email.
    client.post("/accounts/logout/")
    sign_in(client, staff.email)
    assert not any(reads(client, urls).values())
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert all(reads(client, urls).values())


def test_a_chair_enrols_the_same_way_and_then_reads_the_group(client, chair):
    urls = privileged_material(chair)
    del urls["pdf"]  # drafts are the framework editors' and staff's
    sign_in(client, chair.email)
    got = reads(client, urls)
    assert not got["space"] and not got["api"]
    client.post("/accounts/login/code/confirm/", {"code": emailed_code()})
    page = client.get("/community/two-factor/enrol/")
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page.content.decode()).group(1)
    client.post("/community/two-factor/enrol/", {"code": totp_code(secret)})
    assert _signed_in(client)
    got = reads(client, urls)
    assert got["space"] and got["api"]


def test_signing_in_by_code_alone_still_asks_the_password_to_enrol(client, staff):
    client.post("/accounts/login/code/", {"email": staff.email})
    client.post("/accounts/login/code/confirm/", {"code": emailed_code()})
    page = client.get("/community/two-factor/enrol/")
    secret = re.search(r"<code>([A-Z2-7]+)</code>", page.content.decode()).group(1)
    refused = client.post(
        "/community/two-factor/enrol/",
        {"code": totp_code(secret), "password": "not-the-password"},
    )
    assert "Incorrect password" in refused.content.decode()
    assert not _signed_in(client)
    client.post(
        "/community/two-factor/enrol/",
        {"code": totp_code(secret), "password": PASSWORD},
    )
    assert _signed_in(client)


def test_a_member_made_chair_is_signed_out_until_the_second_factor(client, member):
    sign_in(client, member.email)
    assert _signed_in(client)
    group = WorkingGroup.objects.create(name="Working group", slug="wg")
    services.add_member(working_group=group, user=member, chair=True)
    response = client.get("/community/")
    assert not _signed_in(client)
    assert "needs two-factor sign-in" in response.content.decode()


def test_staff_with_two_factor_reach_the_admin(client, staff):
    secret = enable_totp(staff)
    sign_in(client, staff.email)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_members_who_are_not_staff_sign_in_with_a_password(client):
    member = make_user("plain@example.org")
    sign_in(client, member.email)
    assert _signed_in(client)
    assert client.get("/community/profile/").status_code == 200
    assert not mail.outbox
