"""Community journeys in a real browser: discussing, mentioning, privacy, XSS."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community import services
from community.models import Post, Space, Thread, WorkingGroup
from tests.browser.keyboard import focused, tab_to
from tests.conftest import PASSWORD, make_user
from tests.mfa import enable_totp, totp_code

pytestmark = pytest.mark.browser


def _member(email, first, last):
    user = make_user(email, first_name=first, last_name=last)
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save()
    return user


def _sign_in(page, email, secret=None):
    page.goto("/accounts/login/?next=/community/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    if secret:  # chairs sign in with their authenticator app too
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", totp_code(secret))
        page.press("input[name=code]", "Enter")
    page.wait_for_url("**/community/")


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    context.set_default_timeout(15_000)
    return context.new_page()


def test_members_discuss_mention_and_keep_the_working_group_private(
    browser, live_server, page, transactional_db, home_page, axe_check, settings
):
    # Each post's email at once (tests/community/test_notification_coalescing.py
    # covers the gathering of a thread's posts over an interval).
    settings.COMMUNITY_NOTIFICATION_INTERVAL = 0
    open_space = Space.objects.create(
        name="Community of practice",
        slug="community-of-practice",
        description="Open to all.",
    )
    group = WorkingGroup.objects.create(
        name="Micro-Certification Working Group", slug="mcwg"
    )
    Space.objects.create(
        name="Working group drafts",
        slug="drafts",
        visibility=Space.Visibility.WORKING_GROUP,
        working_group=group,
    )
    mira = _member("mira@example.org", "Mira", "Member")
    omar = _member("omar@example.org", "Omar", "Other")
    gwen = _member("gwen@example.org", "Gwen", "Group")
    services.add_member(working_group=group, user=gwen)

    # Mira starts a thread in the open space, previewing it first.
    _sign_in(page, mira.email)
    axe_check(page)
    page.get_by_role("link", name="Community of practice", exact=True).click()
    page.wait_for_url("**/spaces/community-of-practice/")
    axe_check(page)
    page.get_by_role("link", name="Start a thread").click()
    page.fill("input[name=title]", "Assessing skills in short credentials")
    page.fill("textarea[name=body]", "How do you assess **observed tasks**?")
    page.click("button[name=preview]")
    assert page.locator(".preview strong").inner_text() == "observed tasks"
    axe_check(page)
    page.get_by_role("button", name="Start thread").click()
    page.wait_for_selector("text=Your thread has been started.")
    thread = Thread.objects.get(space=open_space)
    axe_check(page)

    # Omar replies with the keyboard only and mentions her.
    other = _new_page(browser, live_server)
    _sign_in(other, omar.email)
    other.goto(thread.get_absolute_url())
    tab_to(other, lambda el: el["name"] == "body")
    other.keyboard.type("We use a rubric, @mira. Happy to share it.")
    element = tab_to(other, lambda el: el["text"] == "Post reply")
    assert element["outline"]
    other.keyboard.press("Enter")
    other.wait_for_selector("text=Your reply has been posted.")
    assert other.locator("a.mention").inner_text() == "@mira"
    axe_check(other)

    # Mira gets the notification on the site and by email.
    page.goto("/community/notifications/")
    notice = page.locator(".notification").first
    assert "Omar Other mentioned you" in notice.inner_text()
    assert "Assessing skills in short credentials" in notice.inner_text()
    axe_check(page)
    messages = [m for m in mail.outbox if m.to == [mira.email]]
    assert len(messages) == 1
    assert "We use a rubric, @mira." in messages[0].body
    assert "/community/unsubscribe/" in messages[0].body
    notice.locator("a").click()
    page.wait_for_selector("text=Happy to share it.")

    # Gwen posts in the working group's private space.
    private = _new_page(browser, live_server)
    _sign_in(private, gwen.email)
    assert private.locator("text=Working group drafts").count() == 1
    private.get_by_role("link", name="Working group drafts").click()
    private.get_by_role("link", name="Start a thread").click()
    private.fill("input[name=title]", "Validation decision draft")
    private.fill("textarea[name=body]", "Only for the group: validation rules.")
    private.get_by_role("button", name="Start thread").click()
    private.wait_for_selector("text=Your thread has been started.")
    axe_check(private)
    secret = Thread.objects.get(title="Validation decision draft")

    # Omar, outside the group, sees neither the space nor the thread.
    other.goto("/community/")
    assert other.locator("text=Working group drafts").count() == 0
    response = other.goto(secret.get_absolute_url())
    assert response.status == 404
    assert other.locator("text=Validation decision draft").count() == 0
    axe_check(other)
    response = other.goto("/community/search/?q=validation")
    assert other.locator("text=Validation decision draft").count() == 0
    axe_check(other)
    assert not [m for m in mail.outbox if "Validation" in m.subject]


def test_no_payload_executes_in_the_browser(
    page, live_server, transactional_db, home_page, axe_check
):
    from tests.community.xss_payloads import PAYLOADS

    space = Space.objects.create(name="Open", slug="open")
    author = _member("mallory@example.org", "Mallory", "Tester")
    thread = services.create_thread(
        author=author, space=space, title="Payloads", body=PAYLOADS[0]
    )
    for payload in PAYLOADS[1:]:
        services.reply(author=author, thread=thread, body=payload)
    assert Post.objects.filter(thread=thread).count() == len(PAYLOADS)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.__xss = []; window.alert = m => window.__xss.push(m);")
    pages = -(-len(PAYLOADS) // 20)
    for number in range(1, pages + 1):
        page.goto(f"{thread.get_absolute_url()}?page={number}")
        bodies = page.locator(".post__body")
        assert bodies.count() >= 1
        # Focus and hover every link, as a curious reader would.
        for link in page.locator(".post__body a").all():
            link.hover()
            link.focus()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss") == []
        unsafe = page.evaluate(
            """() => [...document.querySelectorAll('.post__body *')].filter(el =>
                ['SCRIPT', 'IFRAME', 'SVG', 'IMG', 'STYLE', 'OBJECT', 'EMBED',
                 'FORM', 'INPUT', 'LINK', 'META', 'BASE'].includes(el.tagName.toUpperCase())
                || [...el.attributes].some(a => a.name.startsWith('on')
                    || a.name === 'style' || a.name === 'src'
                    || /^\\s*(javascript|data|vbscript):/i.test(a.value))
            ).map(el => el.outerHTML)"""
        )
        assert unsafe == []
    assert dialogs == []
    axe_check(page)

    # The page still works with the keyboard.
    page.goto(thread.get_absolute_url())
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"


def test_every_community_page_type_passes_axe(
    browser, live_server, page, transactional_db, home_page, axe_check
):
    from community.emails import unsubscribe_token

    space = Space.objects.create(name="Open", slug="open", description="Open.")
    group = WorkingGroup.objects.create(
        name="Micro-Certification Working Group", slug="mcwg", description="WG."
    )
    mira = _member("mira@example.org", "Mira", "Member")
    omar = _member("omar@example.org", "Omar", "Other")
    services.add_member(working_group=group, user=mira, chair=True)
    services.request_membership(user=omar, working_group=group, message="Please")
    thread = services.create_thread(
        author=mira, space=space, title="A thread", body="First"
    )
    post = thread.posts.get()
    services.edit_post(user=mira, post=post, body="First, edited")
    other_post = services.reply(author=omar, thread=thread, body="A reply")

    _sign_in(page, mira.email, secret=enable_totp(mira))
    for path in [
        "/community/members/",
        "/community/members/?q=omar",
        "/community/members/omar/",
        "/community/profile/",
        "/community/groups/mcwg/",
        f"/community/posts/{post.pk}/edit/",
        f"/community/posts/{post.pk}/history/",
        f"/community/posts/{post.pk}/delete/",
        f"/community/posts/{other_post.pk}/flag/",
        "/community/delete-account/",
        f"/community/unsubscribe/{unsubscribe_token(mira)}/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        axe_check(page)
    # A form with errors is accessible too.
    page.goto("/community/profile/")
    page.set_input_files(
        "input[name=avatar]",
        {"name": "fake.png", "mimeType": "image/png", "buffer": b"not an image"},
    )
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_selector(".error-summary")
    axe_check(page)
