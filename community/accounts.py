"""Two-factor sign-in for accounts with privileges (issue 17, item 5).

An account is privileged when it may do more than a member: staff,
superusers, working-group chairs and moderators. Such an account is never
signed in on its password alone:

- with an authenticator, allauth's own login stage asks for its code;
- without one, the sign-in first asks for a code sent to the account's
  verified email (allauth's login by code, `AccountAdapter`), then
  `EnrolSecondFactorStage` has the person set up an authenticator app before
  the sign-in completes.

Either way the session records an "mfa" authentication (allauth's records).
`TwoFactorGateMiddleware` signs out any session of a privileged account that
has no such record (a member made chair mid-session, a sign-in through any
other door), so no view needs to check for itself.
"""

import base64
import time
from functools import lru_cache

from allauth.account import app_settings as account_settings
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.stagekit import stash_login
from allauth.account.stages import LoginStage, LoginStageController
from allauth.core.internal.httpkit import headed_redirect_response
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.internal.flows import post_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.totp.views import activate_totp as allauth_activate_totp
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from cms import permissions
from cms.permissions import admin_permission

from .forms import EnrolSecondFactorForm
from .managers import MODERATOR_ANSWER
from .models import Membership

MODERATE = "moderate_post"
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def is_privileged(user):
    """Staff, superusers, working-group chairs and moderators (one query at
    most). Members whose groups only open parts of the admin (framework
    editors, provider editors) are not counted.

    The same query reads whether the user moderates and may open the Wagtail
    admin, which the request's pages ask next: they are left on this user
    object (never kept beyond the request) for `managers.is_moderator` and
    `cms.permissions.may_access_admin`."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    sql, params = _privileges_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk if p == _ANY_USER else p for p in params])
        row = cursor.fetchone()
    if row is None:
        return False
    chair, moderator, admin = (bool(answer) for answer in row)
    user.__dict__[MODERATOR_ANSWER] = moderator
    user.__dict__[permissions.ANSWER] = admin
    return chair or moderator


# Stands for the user's id while the privileges query is compiled; no other
# value of that query is this number.
_ANY_USER = -918273645


@lru_cache(maxsize=4)
def _privileges_sql(vendor):
    """(SQL, parameters) of `is_privileged`'s query, with _ANY_USER for the
    user's id. It runs on every signed-in member's request, and Django takes
    longer to build its SQL (three subqueries) than the database to answer
    it: built once per process (and database vendor), run as is."""
    moderate = Q(codename=MODERATE, content_type__app_label="community") & (
        Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk"))
    )
    rows = (
        get_user_model()
        .objects.filter(pk=_ANY_USER)
        .annotate(
            chair=Exists(Membership.objects.filter(user=OuterRef("pk"), is_chair=True)),
            moderator=Exists(Permission.objects.filter(moderate)),
            admin=admin_permission(),
        )
        .order_by()
        .values_list("chair", "moderator", "admin")[:1]
    )
    sql, params = rows.query.sql_with_params()
    return sql, tuple(params)


def authenticated_with(request, user, method):
    """Whether this session's sign-in of `user` used `method` ("mfa", ...)."""
    return any(
        record.get("method") == method
        for record in get_authentication_records(request, user)
    )


def recently_authenticated_with(request, user, method):
    """`authenticated_with`, within allauth's reauthentication timeout."""
    since = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == method and record.get("at", 0) >= since
        for record in get_authentication_records(request, user)
    )


def recently_signed_in(request):
    """Whether the signed-in user proved who they are (password, code or
    second factor) within allauth's reauthentication timeout."""
    user = request.user
    if not user.is_authenticated:
        return False
    return any(
        recently_authenticated_with(request, user, method)
        for method in account_settings.REAUTHENTICATION_METHODS
    )


def needs_enrolment(user):
    """A privileged account that has no authenticator yet."""
    return not is_mfa_enabled(user, SECOND_FACTORS) and is_privileged(user)


class EnrolSecondFactorStage(LoginStage):
    """The last step of a privileged account's first sign-in: set up an
    authenticator app (after the emailed code). The account is not signed in
    until it is done."""

    key = "enrol_second_factor"
    urlname = "community:enrol_second_factor"

    def handle(self):
        user = self.login.user
        if user is None or authenticated_with(self.request, user, "mfa"):
            return None, True
        if not needs_enrolment(user):
            return None, True
        return headed_redirect_response(self.urlname), True


def enrol_second_factor(request):
    """Set up an authenticator app during a privileged account's sign-in.

    Reached only from `EnrolSecondFactorStage`, after the emailed code: the
    person is not signed in yet, allauth keeps the pending sign-in in the
    session. A valid code from the app turns the authenticator (and recovery
    codes) on, records the second factor and completes the sign-in.
    """
    stage = LoginStageController.enter(request, EnrolSecondFactorStage.key)
    if stage is None:
        return redirect("account_login")
    user = stage.login.user
    secret = stage.state.get("secret")
    if not secret:
        secret = stage.state["secret"] = generate_totp_secret()
        stash_login(request, stage.login)
    form = EnrolSecondFactorForm(
        request.POST if request.method == "POST" else None,
        user=user,
        secret=secret,
        needs_password=not authenticated_with(request, user, "password"),
    )
    if form.is_valid():
        with transaction.atomic():
            authenticator = TOTP.activate(user, secret).instance
            RecoveryCodes.activate(user)
        post_authentication(request, authenticator)
        get_mfa_adapter().send_notification_mail("mfa/email/totp_activated", user)
        return stage.exit()
    adapter = get_mfa_adapter()
    totp_url = adapter.build_totp_url(user, secret)
    svg = adapter.build_totp_svg(totp_url)
    return render(
        request,
        "community/enrol_second_factor.html",
        {
            "form": form,
            "secret": secret,
            "qr_data_uri": "data:image/svg+xml;base64,"
            + base64.b64encode(svg.encode()).decode(),
        },
    )


def activate_totp(request):
    """allauth's authenticator set-up, where a first authenticator also takes
    a code sent to the verified email: with a password alone, someone could
    otherwise tie their own app to a member's account, which becomes a staff
    or chair account's second factor the day the member is promoted."""
    user = request.user
    if (
        user.is_authenticated
        and not is_mfa_enabled(user, SECOND_FACTORS)
        and not recently_authenticated_with(request, user, "code")
    ):
        url = reverse("account_request_reauthentication_code")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    return allauth_activate_totp(request)
