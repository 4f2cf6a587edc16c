"""The consultation benchmark: a draft of 300 clauses with 5,000 comments.

    .venv/bin/python bench/consultation.py [--database mc_bench_consultation]
        [--clauses 300] [--comments 5000] [--rounds 20]

Uses a PostgreSQL database of its own (created and migrated when missing;
BENCH_CONSULTATION_DATABASE), with the core pages, a framework document whose
draft has `--clauses` clauses (headings and paragraphs) and a consultation on
it with `--comments` published comments from 50 members, spread over the
clauses and the whole draft (built once; a run with other sizes rebuilds it).

Then, in the Django process, one request after another, nothing cached in
front (as the first visitor after a change, since the edge keeps these
pages): while the consultation is open, the draft page (every clause with its
counts in the margin), anonymous and signed in, and the most commented
clause's page; after closing, with every comment answered and the disposition
published, the disposition table. Each is requested once untimed (per-process
lookups), then `--rounds` times. It prints the query count of each page and
p50/p95/max against the target p95 < 100 ms, and exits non-zero only when a
request fails. Query counts must not grow with the sizes: run it with
`--clauses 30 --comments 500` to compare.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import report_timings, sentence, setup_django  # noqa: E402

TARGET_P95_MS = 100
SLUG = "bench-consultation-framework"
VERSION = "9.1"
MEMBERS = 50
EMAIL_DOMAIN = "bench-consultation.example.org"
PARAGRAPHS_PER_SECTION = 9  # a heading and nine paragraphs: ten clauses


def say(text=""):
    print(text, flush=True)


def _members():
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    User = get_user_model()
    users = []
    for number in range(MEMBERS):
        email = f"member{number}@{EMAIL_DOMAIN}"
        user, created = User.objects.get_or_create(
            username=f"bench-cn-{number}",
            defaults={
                "email": email,
                "first_name": "Member",
                "last_name": str(number),
                "date_joined": timezone.now() - timedelta(days=365),
            },
        )
        if created:
            user.set_password("bench-password")
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
        users.append(user)
    return users


def _draft_body(rng, clauses):
    blocks = []
    sections = max(1, -(-clauses // (PARAGRAPHS_PER_SECTION + 1)))
    left = clauses
    for section in range(sections):
        if not left:
            break
        blocks.append(
            (
                "heading",
                {"text": f"Section {section + 1}", "level": "h2", "anchor": ""},
            )
        )
        left -= 1
        paragraphs = min(PARAGRAPHS_PER_SECTION, left)
        left -= paragraphs
        if paragraphs:
            html = "".join(f"<p>{sentence(rng, 20)}</p>" for _ in range(paragraphs))
            blocks.append(("paragraph", html))
    return blocks


def build(clauses, comments):
    """The framework, its draft and the consultation with its comments."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from cms.models import HomePage
    from community import markdown
    from frameworks import seed as frameworks_seed
    from frameworks.consultation_models import Clause, Comment, Consultation
    from frameworks.models import FrameworkPage

    if not HomePage.objects.exists():
        from cms import seed as cms_seed

        cms_seed.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(22)
    consultation = Consultation.objects.filter(page__slug=SLUG, version=VERSION).first()
    if consultation is not None:
        have = (
            Clause.objects.current().filter(consultation=consultation).count(),
            Comment.objects.filter(consultation=consultation).count(),
        )
        if have == (clauses, comments):
            return consultation
        say(f"Rebuilding (had {have[0]} clauses, {have[1]} comments)…")
        page = consultation.page
        # Comments keep their clause (PROTECT): they go first.
        Comment.objects.filter(consultation=consultation).delete()
        consultation.delete()
        page.delete()
    started = time.monotonic()
    say(f"Building a draft of {clauses} clauses with {comments:,} comments…")
    index = frameworks_seed.index_page()
    page = FrameworkPage(
        title="Bench consultation framework",
        slug=SLUG,
        document_type="framework",
        version="9.0",
        summary="A framework for the consultation benchmark.",
        body=[("paragraph", "<p>The published version.</p>")],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    page = FrameworkPage.objects.get(pk=page.pk)
    page.version = VERSION
    page.body = _draft_body(rng, clauses)
    page.save_revision()
    now = timezone.now()
    consultation = Consultation.objects.create(
        page=page,
        version=VERSION,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10),
        introduction="Tell us what you think of the draft.",
    )  # its clauses are cut from the draft as it is saved (frameworks.signals)
    current = list(Clause.objects.current().filter(consultation=consultation))
    members = _members()
    organisation_types = [
        "institution",
        "employer",
        "government",
        "association",
        "community",
        "individual",
    ]
    rows = []
    for number in range(comments):
        author = members[number % len(members)]
        # A few clauses draw most comments, as in a real consultation.
        clause = (
            None
            if number % 10 == 0
            else current[int(rng.paretovariate(1.2)) % len(current)]
        )
        body = sentence(rng, 30)
        kind = ["support", "concern", "change"][number % 3]
        rows.append(
            Comment(
                consultation=consultation,
                clause=clause,
                author=author,
                author_name=f"Member {number % len(members)}",
                organisation=f"Organisation {number % 37}",
                organisation_type=organisation_types[number % 6],
                role="Reviewer",
                type=kind,
                body=body,
                body_html=markdown.render(body, {}),
                replacement=sentence(rng, 15) if kind == "change" else "",
                status=Comment.Status.PUBLISHED,
                created_at=now - timedelta(minutes=number),
            )
        )
    with transaction.atomic():
        Comment.objects.bulk_create(rows, batch_size=1000)
    say(f"Built in {time.monotonic() - started:.1f} s")
    return consultation


def set_open(consultation, is_open):
    from django.utils import timezone

    from frameworks.consultation_models import Consultation

    now = timezone.now()
    if is_open:
        dates = {
            "opens_at": now - timedelta(days=10),
            "closes_at": now + timedelta(days=10),
            "disposition_published_at": None,
        }
    else:
        dates = {
            "opens_at": now - timedelta(days=20),
            "closes_at": now - timedelta(days=1),
        }
    Consultation.objects.filter(pk=consultation.pk).update(**dates)


def publish_disposition(consultation):
    """Every comment answered and the disposition published (once)."""
    from django.utils import timezone

    from frameworks.consultation_models import Comment, Consultation, Response

    answered = Response.objects.filter(comment__consultation=consultation)
    if not answered.exists():
        Response.objects.bulk_create(
            [
                Response(
                    comment_id=pk,
                    disposition="accepted" if pk % 2 else "not_accepted",
                    reason="The working group agrees in part; see the clause.",
                    change="",
                )
                for pk in Comment.objects.filter(consultation=consultation).values_list(
                    "pk", flat=True
                )
            ],
            batch_size=1000,
        )
    Consultation.objects.filter(pk=consultation.pk).update(
        disposition_published_at=timezone.now()
    )


def queries_and_times(client, url, rounds, failures):
    from django.db import connection

    from bench.common import timed_get

    timed_get(client, url, failures)  # per-process lookups
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        timed_get(client, url, failures)
    samples = []
    for _ in range(rounds):
        samples.append(timed_get(client, url, failures)[1])
    return len(executed), samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_CONSULTATION_DATABASE", "mc_bench_consultation"),
    )
    parser.add_argument("--clauses", type=int, default=300)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    setup_django(args.database)
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from frameworks.consultation_models import Comment

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    consultation = build(args.clauses, args.comments)
    url = consultation.get_url()
    busiest = (
        Comment.objects.filter(consultation=consultation, clause__isnull=False)
        .values("clause__number")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    say(
        f"Consultation benchmark on PostgreSQL database {args.database}: "
        f"{args.clauses} clauses, {args.comments:,} comments; clause "
        f"{busiest['clause__number']} has {busiest['n']}; {args.rounds} rounds"
    )
    anonymous, member = Client(), Client()
    member.force_login(_members()[0])
    failures, timings, counts = [], {}, {}
    set_open(consultation, True)
    pages = [
        ("draft page", anonymous, url),
        ("draft page, member", member, url),
        ("busiest clause", anonymous, f"{url}clause/{busiest['clause__number']}/"),
        ("busiest clause, member", member, f"{url}clause/{busiest['clause__number']}/"),
    ]
    for name, client, page_url in pages:
        counts[name], timings[name] = queries_and_times(
            client, page_url, args.rounds, failures
        )
    set_open(consultation, False)
    publish_disposition(consultation)
    for name, client, page_url in [
        ("disposition table", anonymous, f"{url}disposition/"),
        ("closed draft page", anonymous, url),
    ]:
        counts[name], timings[name] = queries_and_times(
            client, page_url, args.rounds, failures
        )
    set_open(consultation, True)  # as built, for the next run
    say("queries per page: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return report_timings(
        timings, {}, failures, TARGET_P95_MS, prefix="consultation bench · "
    )


if __name__ == "__main__":
    sys.exit(main())
