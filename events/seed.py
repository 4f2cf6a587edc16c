"""Demo content: /events/ with the next annual forum, /webinars/ with the EOI webinar.

Everything is found or created by slug or title, so running it twice changes nothing.
"""

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files import File
from django.utils import timezone
from wagtail.documents.models import Document
from wagtailmedia.models import Media

from cms import seed as cms_seed
from cms.models import HomePage

from .models import (
    AgendaSession,
    EventIndexPage,
    EventPage,
    Speaker,
    WebinarIndexPage,
    WebinarPage,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TORONTO = ZoneInfo("America/Toronto")

FORUM_TEXT = (
    "The annual Micro-Certification Forum brings employers and academic leadership "
    "from all over North America. Through this interactive event, attendees from "
    "multiple sectors come together to share experiences and build a community of "
    "practice dedicated to the advancement of micro-certification."
)

SPEAKERS = [
    {
        "name": "Program Coordinator",
        "title": "Program Coordinator",
        "organisation": "Micro-certification programme",
        "bio": "<p>Coordinates the micro-certification working group and the "
        "community of practice.</p>",
    },
    {
        "name": "Working Group Chair (Higher Education)",
        "title": "Chair, Micro-Certification Working Group",
        "organisation": "An Ontario college",
        "bio": "<p>Leads the working group's development and testing of the "
        "framework for micro-certification activity.</p>",
    },
    {
        "name": "Industry Partner Representative",
        "title": "Director of Talent",
        "organisation": "An Ontario employer",
        "bio": "<p>Brings the employer's view on skills-based hiring and partner "
        "endorsement of micro-certifications.</p>",
    },
]

TRANSCRIPT = """
<p><b>Program Coordinator:</b> Welcome to the micro-certification
expression-of-interest webinar. Thank you for joining us on October 23, 2019.</p>
<p>Today we explain what a micro-certification is, why the programme is investing
in micro-certification now, and how Ontario colleges and universities can express
their interest in taking part.</p>
<p>Micro-certifications can be used to recognize both vertical and transversal
skills. Coupled with the in-depth learning obtained in a field of study, they
present a more holistic view of an individual's abilities and achievements.</p>
<p>The Micro-Certification Working Group brings together higher education and
industry professionals. Members are developing and testing a framework for
micro-certification activity: relevance to the labour market, assessment, evidence,
validation standards and partner endorsement.</p>
<p>We will explain how institutions can join the working group. The framework and
principles document is available to download from this site.</p>
<p>Thank you for joining us. Questions can be sent to the Program Coordinator
through the contact page.</p>
"""


def _child(parent, model, slug, **fields):
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _speakers():
    speakers = {}
    for data in SPEAKERS:
        speaker, _ = Speaker.objects.get_or_create(
            name=data["name"],
            defaults={key: value for key, value in data.items() if key != "name"},
        )
        speakers[data["name"]] = speaker
    return speakers


def _toronto(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TORONTO)


def _forum(index, speakers, stdout):
    today = timezone.localdate()
    year = today.year + 1 if (today.month, today.day) >= (5, 1) else today.year
    slug = f"micro-certification-forum-{year}"
    if index.get_children().filter(slug=slug).exists():
        return
    day1 = date(year, 5, 14)
    day2 = day1 + timedelta(days=1)
    forum = EventPage(
        title=f"Micro-Certification Forum {year}",
        slug=slug,
        summary=(
            "Employers and academic leaders from across North America share "
            "experiences and build a community of practice."
        ),
        start=_toronto(day1, 9),
        end=_toronto(day2, 16, 30),
        event_format=EventPage.Format.HYBRID,
        venue="Toronto Reference Library, Appel Salon",
        address="789 Yonge Street\nToronto, ON M4W 2G8",
        map_url="https://www.openstreetmap.org/search?query=789%20Yonge%20Street%20Toronto",
        online_url=f"https://meet.example.org/forum-{year}",
        body=[("paragraph", f"<p>{FORUM_TEXT}</p>")],
        capacity=150,
        registration_opens=timezone.now() - timedelta(days=1),
        registration_closes=_toronto(day1 - timedelta(days=3), 17),
        show_in_menus=False,
    )
    index.add_child(instance=forum)
    chair = speakers["Working Group Chair (Higher Education)"]
    coordinator = speakers["Program Coordinator"]
    industry = speakers["Industry Partner Representative"]
    forum.speakers.set([coordinator, chair, industry])
    agenda = [
        (
            day1,
            9,
            0,
            9,
            30,
            "Welcome and opening remarks",
            "Appel Salon",
            "Plenary",
            [coordinator],
        ),
        (
            day1,
            9,
            30,
            10,
            30,
            "The framework for micro-certification: where we are",
            "Appel Salon / livestream",
            "Plenary",
            [chair],
        ),
        (
            day1,
            11,
            0,
            12,
            0,
            "Employers and skills-based hiring",
            "Room B",
            "Industry",
            [industry],
        ),
        (
            day1,
            11,
            0,
            12,
            0,
            "Assessment and evidence in practice",
            "Room C",
            "Higher education",
            [chair],
        ),
        (
            day2,
            9,
            30,
            11,
            0,
            "Partner endorsement: a working session",
            "Appel Salon / livestream",
            "Community of practice",
            [industry, chair],
        ),
        (
            day2,
            15,
            30,
            16,
            30,
            "Closing and next steps",
            "Appel Salon",
            "Plenary",
            [coordinator],
        ),
    ]
    for order, (day, h1, m1, h2, m2, title, room, track, people) in enumerate(agenda):
        session = AgendaSession(
            event=forum,
            sort_order=order,
            title=title,
            start=_toronto(day, h1, m1),
            end=_toronto(day, h2, m2),
            room=room,
            track=track,
        )
        session.save()
        session.speakers.set(people)
        session.save()  # a ParentalManyToManyField is written on save
    forum.save_revision().publish()
    stdout.write(f"Added {forum.title} with open registration.")


def _document(title, filename):
    document = Document.objects.filter(title=title).first()
    if document is None:
        with (FIXTURES / filename).open("rb") as handle:
            document = Document(title=title)
            document.file.save(filename, File(handle), save=False)
            document.save()
    return document


# The demo ships a few seconds of the recording, and says so on the page.
VIDEO_TITLE = "EOI webinar recording: a short excerpt (23 October 2019)"


def _video():
    media = Media.objects.filter(title=VIDEO_TITLE).first()
    if media is None:
        with (FIXTURES / "eoi-webinar.webm").open("rb") as handle:
            media = Media(
                title=VIDEO_TITLE,
                type="video",
                duration=6,
                width=320,
                height=180,
            )
            media.file.save("eoi-webinar.webm", File(handle), save=False)
            media.save()
    return media


def _webinar(index, speakers, stdout):
    slug = "eoi-webinar-2019-10-23"
    if index.get_children().filter(slug=slug).exists():
        return
    webinar = WebinarPage(
        title="Micro-certification EOI webinar",
        slug=slug,
        summary=(
            "The expression-of-interest webinar of 23 October 2019: what "
            "micro-certification is and how to join the working group."
        ),
        recorded_on=date(2019, 10, 23),
        video=_video(),
        captions=_document("EOI webinar captions (WebVTT)", "eoi-webinar.vtt"),
        captions_language="en",
        transcript=TRANSCRIPT.strip(),
    )
    framework = HomePage.default().get_descendants().filter(slug="frameworks").first()
    if framework is not None:
        webinar.related_links = [("page", framework)]
    index.add_child(instance=webinar)
    webinar.presenters.set(
        [
            speakers["Program Coordinator"],
            speakers["Working Group Chair (Higher Education)"],
        ]
    )
    webinar.save_revision().publish()
    stdout.write("Added the EOI webinar of 23 October 2019.")


def seed(stdout):
    home = HomePage.default()
    events, _ = _child(
        home,
        EventIndexPage,
        "events",
        title="Events",
        summary="The annual Micro-Certification Forum and other events: register, "
        "join the waitlist, add them to your calendar.",
        intro="<p>Seats at the annual forum are limited. When they run out you can "
        "join the waitlist; seats that free up go to the waitlist in order.</p>",
        show_in_menus=True,
    )
    webinars, _ = _child(
        home,
        WebinarIndexPage,
        "webinars",
        title="Webinars",
        summary="Recordings of the programme's webinars, with captions and full "
        "transcripts.",
        show_in_menus=True,
    )
    speakers = _speakers()
    _forum(events, speakers, stdout)
    _webinar(webinars, speakers, stdout)
    # The home and forum pages' promises lead to the next forum and the webinar.
    forum = (
        EventPage.objects.child_of(events)
        .filter(slug__startswith="micro-certification-forum-")
        .order_by("-start")
        .first()
    )
    if forum is not None:
        cms_seed.give_image(
            forum,
            cms_seed.demo_image(
                "Forum card",
                "",  # decorative: the card's title says what it is
                ("#083a66", "#2a7ab8"),
            ),
        )
        cms_seed.link_phrase(cms_seed.SEE_FORUM, page=forum)
        cms_seed.link_phrase(
            cms_seed.REGISTER_FORUM, href=forum.get_url() + "#register"
        )
        cms_seed.link_action(cms_seed.ACTION_FORUM, href=forum.get_url() + "#register")
    webinar = WebinarPage.objects.child_of(webinars).filter(
        slug="eoi-webinar-2019-10-23"
    )
    if webinar.exists():
        cms_seed.give_image(
            webinar.get(),
            cms_seed.demo_image(
                "EOI webinar title slide",
                "Title slide of the micro-certification EOI webinar",
                ("#5c1035", "#a3195b"),
            ),
        )
        cms_seed.link_phrase(cms_seed.VIEW_WEBINAR, page=webinar.get())
