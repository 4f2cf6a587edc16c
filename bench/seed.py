"""Benchmark data that is not the catalogue's: pages, threads, events.

Each function is idempotent (it tops up to the requested size) and is called by
bench/run.py only when the app's models exist. The catalogue brings its own
`seed_bench` management command; run.py calls it when it is there.
"""

import datetime
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bench.common import WORDS, sentence

BENCH_PAGES_SLUG = "bench-pages"
BENCH_SPACE_SLUG = "bench-space"
BENCH_EVENTS_SLUG = "bench-events"
BENCH_MEMBER_EMAIL = "bench-member@example.org"


def bench_member():
    """The signed-in visitor of the benchmark: a verified member."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="bench-member",
        defaults={
            "email": BENCH_MEMBER_EMAIL,
            "first_name": "Bench",
            "last_name": "Member",
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(
            user=user, email=BENCH_MEMBER_EMAIL, verified=True, primary=True
        )
    return user


def _authors(count=20):
    User = get_user_model()
    existing = {
        u.username: u for u in User.objects.filter(username__startswith="bench-author-")
    }
    missing = [
        User(
            username=f"bench-author-{i:02d}",
            email=f"bench-author-{i:02d}@example.org",
            first_name="Author",
            last_name=f"{i:02d}",
        )
        for i in range(count)
        if f"bench-author-{i:02d}" not in existing
    ]
    User.objects.bulk_create(missing)
    return list(User.objects.filter(username__startswith="bench-author-"))


def seed_pages(count, stdout):
    """`count` published StandardPages under /bench-pages/ (not in the menu)."""
    from cms.models import HomePage, StandardPage

    home = HomePage.default()
    index = home.get_children().filter(slug=BENCH_PAGES_SLUG).first()
    if index is None:
        index = StandardPage(
            title="Benchmark pages",
            slug=BENCH_PAGES_SLUG,
            summary="Generated pages for the benchmark.",
            live=True,
        )
        home.add_child(instance=index)
    rng = random.Random(8)
    have = index.get_children().count()
    for number in range(have, count):
        body = [("paragraph", f"<p>{sentence(rng, 60)}</p>") for _ in range(4)]
        index.add_child(
            instance=StandardPage(
                title=f"Benchmark page {number:04d}",
                slug=f"page-{number:04d}",
                summary=sentence(rng),
                body=body,
                live=True,
            )
        )
    stdout.write(f"Pages: {max(count, have)} under /{BENCH_PAGES_SLUG}/.\n")
    return f"/{BENCH_PAGES_SLUG}/page-0000/"


def seed_threads(threads, posts, stdout):
    """A public space with `threads` threads and `posts` posts; the first has 50."""
    if not apps.is_installed("community"):
        return None
    Space = apps.get_model("community", "Space")
    Thread = apps.get_model("community", "Thread")
    Post = apps.get_model("community", "Post")
    from community.markdown import render

    space, _ = Space.objects.get_or_create(
        slug=BENCH_SPACE_SLUG,
        defaults={
            "name": "Benchmark discussions",
            "description": "Generated threads for the benchmark.",
            "visibility": "public",
            "sort_order": 1000,
        },
    )
    have = Thread.objects.filter(space=space).count()
    if have < threads:
        rng = random.Random(5)
        authors = _authors()
        bodies = [sentence(rng, 40) for _ in range(50)]
        rendered = [render(body) for body in bodies]
        now = timezone.now()
        first_size = 50
        # The other threads share the remaining posts as evenly as they can.
        rest, extra = divmod(max(0, posts - first_size), max(1, threads - 1))
        for start in range(have, threads, 1000):
            batch = []
            for number in range(start, min(threads, start + 1000)):
                batch.append(
                    Thread(
                        space=space,
                        title=f"Bench thread {number:05d}: {sentence(rng, 5)}",
                        author=rng.choice(authors),
                        created_at=now - datetime.timedelta(minutes=number),
                        last_activity_at=now - datetime.timedelta(minutes=number),
                        reply_count=max(
                            0,
                            (first_size if number == 0 else rest + (number <= extra))
                            - 1,
                        ),
                    )
                )
            with transaction.atomic():
                created = Thread.objects.bulk_create(batch)
                post_rows = []
                for thread in created:
                    size = thread.reply_count + 1
                    for n in range(size):
                        choice = rng.randrange(len(bodies))
                        post_rows.append(
                            Post(
                                thread=thread,
                                author=rng.choice(authors),
                                body=bodies[choice],
                                body_html=rendered[choice],
                                created_at=thread.created_at
                                + datetime.timedelta(seconds=n),
                            )
                        )
                Post.objects.bulk_create(post_rows, batch_size=5000)
    first = Thread.objects.filter(
        space=space, title__startswith="Bench thread 00000"
    ).first()
    total = Post.objects.filter(thread__space=space).count()
    stdout.write(
        f"Threads: {Thread.objects.filter(space=space).count()} with {total} posts.\n"
    )
    return first.get_absolute_url() if first else None


def seed_events(events, registrations, stdout):
    """`events` open events under /bench-events/ with `registrations` in all."""
    if not apps.is_installed("events"):
        return None
    from cms.models import HomePage

    EventIndexPage = apps.get_model("events", "EventIndexPage")
    EventPage = apps.get_model("events", "EventPage")
    Registration = apps.get_model("events", "Registration")

    home = HomePage.default()
    index = home.get_children().filter(slug=BENCH_EVENTS_SLUG).first()
    if index is None:
        index = EventIndexPage(
            title="Benchmark events", slug=BENCH_EVENTS_SLUG, live=True
        )
        home.add_child(instance=index)
    index = index.specific
    rng = random.Random(4)
    have = index.get_children().count()
    start = timezone.now() + datetime.timedelta(days=60)
    for number in range(have, events):
        index.add_child(
            instance=EventPage(
                title=f"Benchmark forum {number:02d}",
                slug=f"forum-{number:02d}",
                summary=sentence(rng),
                start=start + datetime.timedelta(days=number),
                end=start + datetime.timedelta(days=number, hours=7),
                capacity=500,
                venue="Metro Toronto Convention Centre",
                address="255 Front St W, Toronto, ON",
                live=True,
            )
        )
    pages = list(EventPage.objects.child_of(index))
    have = Registration.objects.filter(event__in=pages).count()
    if have < registrations and pages:
        per_event = registrations // len(pages)
        rows = []
        for event in pages:
            existing = Registration.objects.filter(event=event).count()
            for n in range(existing, per_event):
                rows.append(
                    Registration(
                        event=event,
                        name=f"Attendee {n:05d}",
                        email=f"attendee-{event.pk}-{n:05d}@example.org",
                        organisation=rng.choice(WORDS).capitalize() + " College",
                        status="confirmed" if n < event.capacity else "waitlisted",
                    )
                )
        Registration.objects.bulk_create(rows, batch_size=5000)
    total = Registration.objects.filter(event__in=pages).count()
    stdout.write(f"Events: {len(pages)} with {total} registrations.\n")
    return pages[0].url if pages else None
