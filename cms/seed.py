"""The demo site's core pages, built from the programme's own texts.

Every function here finds or creates by slug, so running it twice changes nothing.
"""

import json
import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from .models import ContactFormField, ContactPage, HomePage, SiteSettings, StandardPage

RMIT_QUOTE = (
    "A digital credential is the official certification of the acquisition of an "
    "individual's skills or capabilities. It is awarded in a digital form, which is "
    "verified, secure and shareable with peers, employers and educational providers. "
    "Digital credentials can be curated, annotated, and distributed over digital "
    "networks under the earner's control. Micro-credentials also certify an "
    "individual's achievements in specific skills and differ from traditional "
    "education credentials, such as degrees and diplomas, in that they are shorter, "
    "can be personalised and provide distinctive value and relevance in the changing "
    "world of work."
)

WHY_NOW = (
    "Micro-certifications can be used to recognize both vertical and transversal "
    "skills. Coupled with the in-depth learning obtained in a field of study, "
    "micro-credentials can be used to present a more holistic view of an "
    "individual's abilities and achievements. In today's fast-changing workforce and "
    "emerging gig economy, a nimble recognition system is essential for both "
    "professionals and employers, who are increasingly moving towards skill or "
    "competency-based hiring."
)

ECOSYSTEM = [
    "The programme's work with micro-credentials aims to strengthen and expand "
    "micro-certification activity at Ontario colleges and universities through a "
    "common framework and a community of practice.",
    "The Micro-Certification Working Group brings together higher education and "
    "industry professionals to address micro-certification activity from a systemic "
    "perspective. Working group members are committed to strengthening skills "
    "connections and building pathways between higher education and the Ontario "
    "workforce.",
    "The working group is engaged in the active development and testing of a "
    "framework for micro-certification activity, ensuring relevance to the labour "
    "market, assessment, evidence, validation standards and partner endorsement.",
    "From this site you can:",
]

# The seed's promises: each phrase becomes a link once its target exists (the
# apps that make the targets call `link_phrase`, see frameworks/ and events/).
DOWNLOAD_FRAMEWORK = "Download the framework and principles document"
VIEW_WEBINAR = "View the micro-certification EOI webinar (October 23, 2019)"
SEE_FORUM = "See the programme of the Annual Forum"
REGISTER_FORUM = "Register for the Annual Forum"
CONTACT = "contact the Program Coordinator"

# The home page's buttons, each linked by the app that makes its target.
ACTION_FORUM = "Register for the Annual Forum"
ACTION_FRAMEWORK = "Download the framework"
ACTION_CATALOGUE = "Browse the catalogue"
ACTIONS = (ACTION_FORUM, ACTION_FRAMEWORK, ACTION_CATALOGUE)

PROMISES = (
    f"<p>{ECOSYSTEM[3]}</p><ul><li>{DOWNLOAD_FRAMEWORK}</li>"
    f"<li>{VIEW_WEBINAR}</li></ul>"
)
FORUM_LINKS = f"<ul><li>{SEE_FORUM}</li><li>{REGISTER_FORUM}</li></ul>"
ECOSYSTEM_HEADING = "Building a harmonized micro-certification ecosystem for Ontario"

FORUM = (
    "The annual Micro-Certification Forum brings employers and academic leadership "
    "from all over North America. Through this interactive event, attendees from "
    "multiple sectors come together to share experiences and build a community of "
    "practice dedicated to the advancement of micro-certification."
)

COORDINATOR_EMAIL = "coordinator@example.org"


def _paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


def _page_link(page):
    return f'linktype="page" id="{page.pk}"'


def link_phrase(phrase, *, page=None, href=""):
    """Make the seeded pages' plain mentions of `phrase` links to a page or URL.

    Run by each app's seed once the target exists; a phrase already inside a
    link is left alone, so running it twice changes nothing.
    """
    target = _page_link(page) if page is not None else f'href="{href}"'
    link = f"<a {target}>{phrase}</a>"
    pages = [*HomePage.objects.all(), *StandardPage.objects.all()]
    for content_page in pages:
        changed = False
        for block in content_page.body:
            if block.block_type != "paragraph":
                continue
            source = block.value.source
            if phrase in source and f">{phrase}</a>" not in source:
                block.value = RichText(source.replace(phrase, link, 1))
                changed = True
        if changed:
            content_page.save_revision().publish()


def link_action(text, *, page=None, href=""):
    """Point the home page's button `text` at a page or URL.

    The buttons block comes first in the home page's body; a home page seeded
    before it existed gets it now. Publishes only when something changed.
    """
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        return
    body = home.body
    actions = next((b for b in body if b.block_type == "actions"), None)
    if actions is None:
        body.insert(
            0,
            (
                "actions",
                {"links": [{"text": t, "page": None, "url": ""} for t in ACTIONS]},
            ),
        )
        actions = body[0]
    for link in actions.value["links"]:
        if link["text"] != text:
            continue
        current = (link["page"].pk if link["page"] else None, link["url"])
        if current == (page.pk if page else None, "" if page else href):
            return
        link["page"], link["url"] = page, "" if page else href
        home.save_revision().publish()
        return


def demo_image(title, description, colours):
    """A simple picture for a demo card, drawn here (no files to ship).

    A wash between two colours with a ring of soft circles, the
    site's seal in spirit. Found by title, so seeding twice makes one image.
    """
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = 1280, 720
    start, end = (Picture.new("RGB", (1, 1), c).getpixel((0, 0)) for c in colours)
    wash = Picture.linear_gradient("L").rotate(90).resize((width, height))
    picture = Picture.composite(
        Picture.new("RGB", (width, height), end),
        Picture.new("RGB", (width, height), start),
        wash,
    )
    layer = Picture.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for step in range(12):
        x = width * 0.68 + 220 * (1 if step % 2 else 0.8) * ((step % 4) - 1.5) / 2
        y = height * 0.5 + 200 * ((step % 3) - 1) / 1.5
        radius = 40 + step * 9
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            outline=(255, 255, 255, 90),
            width=6,
        )
    picture = Picture.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    slug = title.lower().replace(" ", "-")[:60]
    image = Image(title=title, description=description)
    image.file = ImageFile(buffer, name=f"demo-{slug}.jpg")
    image.save()
    return image


def give_image(page, image):
    """Give a seeded page its card image, unless it has one or a draft waits
    on top of the live version (publishing would put the draft aside)."""
    if page.social_image_id is None and not page.has_unpublished_changes:
        page.social_image = image
        page.save_revision().publish()


# Link targets the seed fills in after the text (link_phrase, link_action,
# the call to action's page): not part of the text it compares.
_LINK_TAGS = re.compile(r"</?a\b[^>]*>")
_TARGETS = re.compile(r'"(page|url)": (null|\d+|"[^"]*")')


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _seeded_text(page, name):
    """A seeded field as the seed compares it: without block ids, links and
    link targets, so a page differs only when its text does."""
    value = getattr(page, name)
    if hasattr(value, "get_prep_value"):  # a StreamField
        value = _without_ids(value.get_prep_value())
    text = json.dumps(value, sort_keys=True, default=str)
    return _TARGETS.sub(r'"\1": _', _LINK_TAGS.sub("", text))


def edited_by_someone(page):
    """Whether anyone but the seed saved this page (the seed saves as nobody)."""
    return page.revisions.filter(user__isnull=False).exists()


def refresh(page, model, fields):
    """Bring a seeded page's text up to the current seed, unless an editor
    has changed it since: that page is theirs now. Publishes only when the
    text differs, so seeding twice changes nothing."""
    if edited_by_someone(page):
        return page
    current = model(**fields)
    changed = [
        name
        for name in fields
        if _seeded_text(page, name) != _seeded_text(current, name)
    ]
    if not changed:
        return page
    for name in changed:
        setattr(page, name, getattr(current, name))
    page.save_revision().publish()
    return page


def _child(parent, model, slug, **fields):
    """The child page with this slug: created and published if absent, its
    text brought up to the seed's if present (`refresh`)."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return refresh(existing.specific, model, fields)
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def home_page():
    """The site's home page, replacing Wagtail's placeholder on a fresh database."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    seeded = HomePage(
        title="Micro-certification in Ontario",
        slug="micro-certification",
        intro=(
            "A common framework and a community of practice for "
            "micro-certification at Ontario colleges and universities."
        ),
        summary=(
            "What micro-certification is, why it matters now, and how the "
            "programme builds a harmonized micro-certification ecosystem."
        ),
        body=[
            (
                "actions",
                {
                    "links": [
                        {"text": text, "page": None, "url": ""} for text in ACTIONS
                    ]
                },
            ),
            (
                "heading",
                {
                    "text": "What is a micro-certification?",
                    "level": "h2",
                    "anchor": "",
                },
            ),
            _paragraph(
                "RMIT University in Australia provides a helpful description of "
                "both digital credentials and micro-credentials, which fall under "
                "the category of micro-certifications:"
            ),
            (
                "quote",
                {
                    "quote": RMIT_QUOTE,
                    "attribution": "RMIT University",
                    "source_url": "",
                },
            ),
            (
                "heading",
                {
                    "text": "Why micro-certification now?",
                    "level": "h2",
                    "anchor": "",
                },
            ),
            _paragraph(WHY_NOW),
            (
                "heading",
                {
                    "text": ECOSYSTEM_HEADING,
                    "level": "h2",
                    "anchor": "",
                },
            ),
            _paragraph(ECOSYSTEM[0]),
            _paragraph(ECOSYSTEM[1]),
            ("paragraph", PROMISES),
            ("heading", {"text": "Annual Forum", "level": "h2", "anchor": ""}),
            _paragraph(FORUM),
            ("paragraph", FORUM_LINKS),
            (
                "call_to_action",
                {
                    "heading": "Questions about the programme?",
                    "text": "The Program Coordinator answers questions about "
                    "micro-certification, the working group and the forum.",
                    "page": None,
                    "url": "",
                    "button_text": "Contact the Program Coordinator",
                },
            ),
        ],
    )
    if home is None:
        home = seeded
        root.add_child(instance=home)
        home.save_revision().publish()
    else:
        refresh(
            home,
            HomePage,
            {f: getattr(seeded, f) for f in ("title", "intro", "summary", "body")},
        )
    site = Site.objects.filter(is_default_site=True).first()
    placeholder = Page.objects.filter(depth=2, slug="home").exclude(pk=home.pk).first()
    if site is None:
        address = urlsplit(settings.SITE_URL)
        site = Site.objects.create(
            hostname=address.hostname or "localhost",
            port=address.port or (443 if address.scheme == "https" else 80),
            root_page=home,
            is_default_site=True,
            site_name="Micro-certification",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Micro-certification"
        site.save()
    if placeholder is not None and not placeholder.get_children().exists():
        placeholder.delete()
    return home


def seed(stdout):
    home = home_page()
    what = _child(
        home,
        StandardPage,
        "what-is-a-micro-certification",
        title="What is a micro-certification?",
        show_in_menus=True,
        summary=(
            "Digital credentials and micro-credentials, as RMIT University "
            "describes them."
        ),
        body=[
            _paragraph(
                "RMIT University in Australia provides a helpful description of both "
                "digital credentials and micro-credentials, which fall under the "
                "category of micro-certifications:"
            ),
            (
                "quote",
                {
                    "quote": RMIT_QUOTE,
                    "attribution": "RMIT University",
                    "source_url": "",
                },
            ),
        ],
    )
    _child(
        home,
        StandardPage,
        "why-micro-certification-now",
        title="Why micro-certification now?",
        summary="Recognizing vertical and transversal skills in a fast-changing "
        "workforce.",
        body=[_paragraph(WHY_NOW)],
    )
    _child(
        home,
        StandardPage,
        "harmonized-ecosystem",
        title=ECOSYSTEM_HEADING,
        summary="A common framework and a community of practice for Ontario.",
        body=[
            ("heading", {"text": "A common framework", "level": "h2", "anchor": ""}),
            _paragraph(ECOSYSTEM[0]),
            (
                "heading",
                {
                    "text": "The Micro-Certification Working Group",
                    "level": "h2",
                    "anchor": "working-group",
                },
            ),
            _paragraph(ECOSYSTEM[1]),
            _paragraph(ECOSYSTEM[2]),
            ("paragraph", PROMISES),
        ],
    )
    _child(
        home,
        StandardPage,
        "annual-forum",
        title="Annual Forum",
        summary="Employers and academic leaders from across North America.",
        body=[
            _paragraph(FORUM),
            ("paragraph", FORUM_LINKS),
            _paragraph(f"For more information, {CONTACT}."),
        ],
    )
    _child(
        home,
        StandardPage,
        "accessibility",
        title="Accessibility statement",
        summary="How this site meets the Accessibility for Ontarians with "
        "Disabilities Act (AODA) and how to tell us about a barrier.",
        body=[
            _paragraph(
                "The programme wants everyone to be able to use this site. It is "
                "built to meet the Web Content Accessibility Guidelines (WCAG) 2.1 "
                "level AA, which the Accessibility for Ontarians with Disabilities "
                "Act (AODA) Integrated Accessibility Standards require of Ontario "
                "public-sector websites."
            ),
            ("heading", {"text": "What we do", "level": "h2", "anchor": ""}),
            (
                "paragraph",
                "<ul><li>Every page works with a keyboard alone and with screen "
                "readers, and shows where the keyboard focus is.</li>"
                "<li>Pages reflow on phones and at 400% zoom without scrolling "
                "sideways.</li><li>Webinar recordings have captions and a full "
                "transcript.</li><li>Framework documents can be read online as "
                "well as downloaded as PDF.</li><li>Each page type is checked with "
                "automated accessibility tests (axe-core) before release.</li>"
                "</ul>",
            ),
            ("heading", {"text": "Known limitations", "level": "h2", "anchor": ""}),
            _paragraph(
                "The PDF versions of framework documents carry a title, a language "
                "and bookmarks but are not fully tagged; the web version of each "
                "document has the same content and is the accessible version."
            ),
            (
                "heading",
                {"text": "Tell us about a barrier", "level": "h2", "anchor": ""},
            ),
            _paragraph(
                f"If something on this site is hard to use, {CONTACT}. We reply "
                "within two working days and can provide any document in an "
                "accessible format or with communication supports on request."
            ),
        ],
    )
    _child(
        home,
        StandardPage,
        "privacy",
        title="Privacy notice",
        summary="What personal information this site collects, why, who sees it "
        "and how long we keep it.",
        body=[
            _paragraph(
                "This notice explains what personal information the programme "
                "collects through this site and how it is used. We collect only "
                "what we need to run the programme."
            ),
            ("heading", {"text": "Event registrations", "level": "h2", "anchor": ""}),
            _paragraph(
                "When you register for the forum or another event we keep your name, "
                "email address, organisation, sector, role and any accommodations or "
                "dietary needs you tell us about. Staff who organise the event see "
                "them; we use them only to run the event and delete them a year "
                "after it."
            ),
            ("heading", {"text": "Member profiles", "level": "h2", "anchor": ""}),
            _paragraph(
                "Members have an account with an email address and a display name, "
                "and may add an organisation, a role and a short biography. You "
                "choose whether other members can see your profile, and you can "
                "download your data or delete your account from your account pages."
            ),
            ("heading", {"text": "Contact messages", "level": "h2", "anchor": ""}),
            _paragraph(
                "Messages sent through the contact form go to the Program "
                "Coordinator with the name and email address you give, so that we "
                "can reply."
            ),
            ("heading", {"text": "What we do not do", "level": "h2", "anchor": ""}),
            _paragraph(
                "We do not sell or share personal information, and the site does "
                "not use advertising or third-party tracking. Download counts record "
                "nothing about who downloaded a document."
            ),
            ("heading", {"text": "Questions", "level": "h2", "anchor": ""}),
            _paragraph(
                f"To see, correct or delete information we hold about you, {CONTACT}."
            ),
        ],
    )
    contact = home.get_children().filter(slug="contact").first()
    if contact is None:
        contact = ContactPage(
            title="Contact",
            seo_title="Contact the Program Coordinator",
            slug="contact",
            show_in_menus=True,
            summary="Questions about micro-certification, the working group or the "
            "forum.",
            intro="<p>Send a message to the Program Coordinator. We reply within "
            "two working days.</p>",
            thank_you_text="<p>Thank you. Your message has been sent to the Program "
            "Coordinator.</p>",
            subject="Message from the micro-certification site",
        )
        home.add_child(instance=contact)
        for order, (label, field_type, required) in enumerate(
            [
                ("Your name", "singleline", True),
                ("Your email", "email", True),
                ("Organisation", "singleline", False),
                ("Message", "multiline", True),
            ]
        ):
            ContactFormField.objects.create(
                page=contact,
                sort_order=order,
                label=label,
                field_type=field_type,
                required=required,
            )
        contact.save_revision().publish()

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if not site_settings.coordinator_email:
        site_settings.coordinator_email = COORDINATOR_EMAIL
        site_settings.footer_text = (
            "<p>A common framework and community of practice for "
            "micro-certification.</p>"
        )
        site_settings.address = "Toronto, Ontario"
        site_settings.save()

    link_phrase(CONTACT, page=contact)

    # Link the home page call to action to the contact page once both exist.
    body = home.body
    for block in body:
        if block.block_type == "call_to_action" and not block.value.get("page"):
            block.value["page"] = contact
            home.save_revision().publish()
            break

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        admin = User.objects.create_superuser(
            "admin", "admin@example.org", "admin-demo-pass"
        )
        EmailAddress.objects.create(
            user=admin, email=admin.email, verified=True, primary=True
        )
        stdout.write(
            "Created the demo superuser admin@example.org / admin-demo-pass "
            "(staff must set up two-factor sign-in on first use)."
        )
    return what
