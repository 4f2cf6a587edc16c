"""Generated input on every form, filter and import: never a 500, and bad input
changes nothing.

Hypothesis posts text of every kind (any Unicode, NUL and other control
characters, replacement characters, huge and negative numbers, long strings,
markup and SQL) to the public and member forms, as multipart and as
url-encoded bodies in UTF-8 and in Latin-1 (which must be refused), to the catalogue's and the site's search filters, and to
the catalogue import as CSV and JSON. A request that the site did not accept
must leave the database as it was. Examples are derandomised (the same ones on
every run) and bounded for CI.
"""

import csv
import io
import json
from datetime import timedelta
from urllib.parse import unquote_to_bytes, urlencode

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.contrib.forms.models import FormSubmission

from community import services
from community.models import Flag, Post, PostRevision, Profile, Thread
from credentials.models import MicroCredential
from credentials.services import ImportFailed, import_credentials, parse_file
from events.models import EventIndexPage, EventPage, Registration
from tests.credentials.factories import make_provider
from tests.credentials.test_import import COLUMNS

from .input_support import make_member, make_public_space

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x1f\x7f",
    "\ufffd",
    "\r\n\t",
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "1e309",
    "NaN",
    "9" * 5000,
    "x" * 30_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "é☕𝔘𝔫𝔦🦄",
    "\u202eevil",
    "on",
    "yes",
    "2027-01-11",
    "member@example.org",
    "a@b",
]

garbage = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=80),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.builds(lambda c, n: c * n, st.characters(), st.integers(0, 25_000)),
)


def form_data(fields):
    """Some of these fields (and an unknown one) with generated values."""
    return st.dictionaries(st.sampled_from([*fields, "extra"]), garbage, max_size=8)


ENCODINGS = ["multipart", "utf-8", "latin-1"]


def post(client, url, data, encoding):
    """Post the form as a browser would, or url-encoded in Latin-1 (not UTF-8)."""
    if encoding == "multipart":
        return client.post(url, data)
    body = urlencode(data, encoding=encoding, errors="ignore").encode()
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def is_utf8(data, encoding):
    if encoding != "latin-1":
        return True
    body = urlencode(data, encoding=encoding, errors="ignore")
    try:
        unquote_to_bytes(body.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def snapshot(member=None):
    """What a refused request must not change."""
    state = [
        FormSubmission.objects.count(),
        Registration.objects.count(),
        Thread.objects.count(),
        Post.objects.count(),
        get_user_model().objects.count(),
        EmailAddress.objects.count(),
        MicroCredential.objects.count(),
        Flag.objects.count(),
        PostRevision.objects.count(),
        list(Post.objects.order_by("pk").values_list("body", flat=True)),
    ]
    if member is not None:
        state.append(list(Profile.objects.filter(user=member).values()))
    return state


def check(response, before, after, accepted, utf8=True):
    assert response.status_code < 500
    if not utf8:
        assert response.status_code == 400, "a form that is not UTF-8 was taken"
    if not accepted(response):
        assert after == before, f"refused ({response.status_code}) but changed"


def redirected(response):
    return response.status_code == 302


@pytest.fixture
def event(home_page):
    index = EventIndexPage(title="Events", slug="events")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now().replace(second=0, microsecond=0)
    event = EventPage(
        title="Forum",
        slug="forum",
        start=now + timedelta(days=30),
        end=now + timedelta(days=30, hours=8),
        venue="Toronto Reference Library",
        capacity=500,
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=20),
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


PUBLIC_FORMS = {
    "contact": (
        "/contact/",
        ["your_name", "your_email", "organisation", "message", "website"],
        lambda r: "Your message has been sent" in r.content.decode(),
    ),
    "registration": (
        None,  # the event's URL + register/
        ["name", "email", "organisation", "sector", "role", "dietary", "privacy"],
        lambda r: r.status_code == 302 or "Check your email" in r.content.decode(),
    ),
    "signup": ("/accounts/signup/", ["email", "password1", "password2"], redirected),
    "login": ("/accounts/login/", ["login", "password", "remember"], redirected),
    "password-reset": ("/accounts/password/reset/", ["email"], redirected),
}


@EXAMPLES
@given(
    name=st.sampled_from(sorted(PUBLIC_FORMS)),
    data=st.data(),
    encoding=st.sampled_from(ENCODINGS),
)
def test_public_forms_never_fail_and_refusals_change_nothing(
    client, event, name, data, encoding
):
    url, fields, accepted = PUBLIC_FORMS[name]
    url = url or event.url + "register/"
    values = data.draw(form_data(fields))
    before = snapshot()
    response = post(client, url, values, encoding)
    check(response, before, snapshot(), accepted, is_utf8(values, encoding))


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def thread(member):
    space = make_public_space()
    thread = services.create_thread(
        author=member, space=space, title="Pathways", body="First"
    )
    other = make_member("other@example.org")
    services.reply(author=other, thread=thread, body="Another member's reply")
    return thread


@EXAMPLES
@given(
    name=st.sampled_from(
        ["thread", "reply", "edit", "flag", "profile", "registration"]
    ),
    data=st.data(),
    encoding=st.sampled_from(ENCODINGS),
)
def test_member_forms_never_fail_and_refusals_change_nothing(
    client, member, thread, event, name, data, encoding
):
    client.force_login(member)
    own, others = thread.posts.order_by("pk").values_list("pk", flat=True)
    url, fields, accepted = {
        "thread": ("/community/spaces/open/new/", ["title", "body"], redirected),
        "reply": (thread.get_absolute_url(), ["body"], redirected),
        "edit": (f"/community/posts/{own}/edit/", ["body"], redirected),
        "flag": (f"/community/posts/{others}/flag/", ["reason"], redirected),
        "profile": (
            "/community/profile/",
            [
                "display_name",
                "organisation",
                "sector",
                "role",
                "bio",
                "visibility",
                "email_preference",
            ],
            redirected,
        ),
        "registration": (
            event.url + "register/",
            ["name", "organisation", "sector", "role", "accommodations", "privacy"],
            lambda r: r.status_code == 302 or "registered" in r.content.decode(),
        ),
    }[name]
    values = data.draw(form_data(fields))
    before = snapshot(member)
    response = post(client, url, values, encoding)
    check(response, before, snapshot(member), accepted, is_utf8(values, encoding))


SEARCHES = {
    "/catalogue/": [
        "q",
        "provider",
        "skill",
        "mode",
        "level",
        "cost",
        "sort",
        "page",
        "per_page",
        "more",
    ],
    "/catalogue/export.csv": ["q", "provider", "skill", "sort"],
    "/catalogue/suggest": ["q"],
    "/api/v1/credentials": ["q", "provider", "skill", "sort", "page", "per_page"],
    "/api/v1/community/spaces/open/threads": ["limit", "offset"],
    "/search/": ["q", "kind", "page"],
    "/search/suggest": ["q"],
    "/community/search/": ["q", "page"],
    "/community/members/": ["q", "page"],
}


@EXAMPLES
@given(
    url=st.sampled_from(sorted(SEARCHES)),
    data=st.data(),
    signed_in=st.booleans(),
)
def test_searches_and_filters_never_fail(client, member, thread, url, data, signed_in):
    if signed_in:
        client.force_login(member)
    params = data.draw(
        st.lists(st.tuples(st.sampled_from(SEARCHES[url]), garbage), max_size=6)
    )
    before = snapshot(member)
    response = client.get(f"{url}?{urlencode(params)}")
    assert response.status_code < 500
    assert snapshot(member) == before


# --- Imports -----------------------------------------------------------------

cells = st.one_of(garbage, st.sampled_from(["Lakeshore College", "LC-1", "Title"]))


@st.composite
def csv_files(draw):
    header = draw(
        st.lists(st.one_of(st.sampled_from(COLUMNS), garbage), min_size=1, max_size=25)
    )
    rows = draw(
        st.lists(st.lists(cells, max_size=len(header) + 2), min_size=0, max_size=4)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.booleans()):  # break it somewhere
        cut = draw(st.integers(0, len(text)))
        text = (
            text[:cut]
            + draw(st.sampled_from(['"', "\x00", "\r", ",", '""']))
            + text[cut:]
        )
    return text.encode(), "catalogue.csv"


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), garbage)
json_keys = st.one_of(st.sampled_from(COLUMNS), garbage)
json_values = st.one_of(
    json_scalars,
    st.lists(json_scalars, max_size=3),
    st.dictionaries(json_keys, json_scalars, max_size=3),
    st.lists(st.lists(json_scalars, max_size=2), max_size=2),
)


@st.composite
def json_files(draw):
    rows = draw(
        st.lists(
            st.dictionaries(
                st.sampled_from(COLUMNS), st.one_of(cells, json_values), max_size=8
            ),
            max_size=4,
        )
    )
    document = draw(st.sampled_from(["list", "wrapped", "anything"]))
    if document == "wrapped":
        value = {"credentials": rows}
    elif document == "anything":
        value = draw(json_values)
    else:
        value = rows
    return json.dumps(value).encode(), "catalogue.json"


raw_files = st.tuples(
    st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)),
    st.sampled_from(["catalogue.csv", "catalogue.json", "catalogue"]),
)


@EXAMPLES
@given(file=st.one_of(csv_files(), json_files(), raw_files))
def test_imports_never_fail_and_refusals_change_nothing(file):
    make_provider("Lakeshore College")
    content, name = file
    before = snapshot()
    try:
        rows = parse_file(content, name)
        import_credentials(rows=rows)
    except ImportFailed as failed:
        assert failed.errors and all(str(error) for error in failed.errors)
        assert snapshot() == before
