"""Demo content: the working group with a few members, an open space and a
private working-group space with realistic discussions. Idempotent."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from . import markdown
from .models import Post, ReadState, Space, Thread, ThreadWatch, WorkingGroup
from .services import add_member, profile_for

WORKING_GROUP = "Micro-Certification Working Group"
MODERATORS = "Community moderators"

MEMBERS = [
    # username, first, last, organisation, sector, role, chair
    (
        "priya.nair",
        "Priya",
        "Nair",
        "Seneca Polytechnic",
        "Higher education",
        "Director, Continuing Education",
        True,
    ),
    (
        "marc.tremblay",
        "Marc",
        "Tremblay",
        "Ontario Tech Employers Network",
        "Industry",
        "Talent development lead",
        False,
    ),
    (
        "grace.okafor",
        "Grace",
        "Okafor",
        "University of Guelph",
        "Higher education",
        "Registrar's office, credential innovation",
        False,
    ),
    (
        "daniel.wong",
        "Daniel",
        "Wong",
        "Humber College",
        "Higher education",
        "Program manager, micro-credentials",
        False,
    ),
    (
        "sofia.martin",
        "Sofia",
        "Martin",
        "Northern Health Alliance",
        "Health",
        "Learning and development advisor",
        False,
    ),
]

OPEN_THREADS = [
    (
        "How are you assessing skills in short credentials?",
        "daniel.wong",
        "We're piloting a 20-hour micro-credential in **data literacy** for "
        "municipal staff. The hardest part is assessment: a quiz feels too thin, "
        "a portfolio too heavy.\n\nWhat has worked for you?",
        [
            (
                "sofia.martin",
                "In our health-care pilots we used a short "
                "*observed task* with a rubric of four criteria. Supervisors scored it "
                "on the job, which employers trusted far more than a quiz.",
            ),
            (
                "grace.okafor",
                "Same experience here. We publish the rubric with "
                "the badge metadata so anyone verifying it can see what was assessed. "
                "@daniel.wong happy to share our template.",
            ),
        ],
    ),
    (
        "Stacking micro-credentials towards a certificate",
        "grace.okafor",
        "Has anyone set up a pathway where three or four micro-credentials stack "
        "into a graduate certificate? We're working through the credit "
        "recognition rules with our senate.",
        [
            (
                "priya.nair",
                "We have one pathway live: four credentials of 30 hours "
                "each count as one certificate course. The key was agreeing on "
                "learning outcomes first, credit second.",
            ),
        ],
    ),
    (
        "Employer endorsement: what does it actually involve?",
        "marc.tremblay",
        "Speaking from the employer side: we'd like to endorse credentials that "
        "match our hiring needs, but we're not sure what we'd be committing to. "
        "Review of outcomes? Assessment panels?",
        [
            (
                "priya.nair",
                "In the draft framework, endorsement means an employer "
                "reviews the outcomes and assessment, and commits to recognise the "
                "credential in hiring. No assessment duty.",
            ),
            (
                "daniel.wong",
                "That matches what our industry partners agreed to. A "
                "one-page endorsement letter template would help a lot.",
            ),
        ],
    ),
]

GROUP_THREADS = [
    (
        "Draft framework v0.3: assessment and evidence section",
        "priya.nair",
        "I've uploaded v0.3 of the framework draft for review in the CMS. Please "
        "comment on section 4 (assessment and evidence) before our next meeting. "
        "Open question: do we require third-party validation for every "
        "credential, or only for those claiming labour-market alignment?",
        [
            (
                "grace.okafor",
                "I'd require it only where alignment is claimed; "
                "otherwise smaller institutions will struggle to take part.",
            ),
            (
                "marc.tremblay",
                "Agree with Grace. Employers mainly care about the "
                "alignment claim being checked.",
            ),
            (
                "priya.nair",
                "**Decision:** third-party validation is required only "
                "for credentials that claim labour-market alignment. I'll update "
                "section 4 accordingly.",
            ),
        ],
    ),
    (
        "Agenda for the next working group meeting",
        "priya.nair",
        "Proposed agenda:\n\n1. Framework v0.3 comments\n2. Forum session "
        "proposals\n3. Pilot evaluation timeline\n\nAdd items below.",
        [
            (
                "sofia.martin",
                "Could we add a short item on accessibility "
                "requirements for online assessment?",
            ),
        ],
    ),
]


def _member(username, first, last, organisation, sector, role):
    User = get_user_model()
    email = f"{username}@example.org"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first, "last_name": last},
    )
    if created:
        user.set_password("community-demo-pass")
        user.date_joined = timezone.now() - timedelta(days=120)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        profile = profile_for(user)
        profile.display_name = f"{first} {last}"
        profile.organisation = organisation
        profile.sector = sector
        profile.role = role
        profile.visibility = "public"
        profile.email_preference = "digest"
        profile.save()
    return user


def _thread(space, title, author, body, replies, start):
    if Thread.objects.filter(space=space, title=title).exists():
        return
    users = {u.username: u for u in get_user_model().objects.all()}
    thread = Thread.objects.create(
        space=space,
        title=title,
        author=users[author],
        created_at=start,
        last_activity_at=start,
    )
    posts = [(author, body)] + list(replies)
    when = start
    last = None
    for index, (username, text) in enumerate(posts):
        when = start + timedelta(hours=5 * index)
        last = Post.objects.create(
            thread=thread,
            author=users[username],
            body=text,
            body_html=markdown.render(text),
            created_at=when,
        )
        ThreadWatch.objects.get_or_create(thread=thread, user=users[username])
        ReadState.objects.update_or_create(
            thread=thread, user=users[username], defaults={"last_read_at": when}
        )
    thread.reply_count = len(replies)
    thread.last_activity_at = when
    if space.working_group_id and text.startswith("**Decision:**"):
        thread.decision = last
    thread.save()


def seed(stdout):
    group = WorkingGroup.objects.filter(name=WORKING_GROUP).first()
    if group is None:
        group = WorkingGroup.objects.create(
            name=WORKING_GROUP,
            slug="micro-certification-working-group",
            description=(
                "Higher education and industry professionals addressing "
                "micro-certification activity from a systemic perspective: "
                "developing and testing a framework for relevance to the labour "
                "market, assessment, evidence, validation standards and partner "
                "endorsement."
            ),
        )
    users = {}
    for username, first, last, organisation, sector, role, chair in MEMBERS:
        user = _member(username, first, last, organisation, sector, role)
        users[username] = user
        add_member(working_group=group, user=user, chair=chair)

    moderators, _created = Group.objects.get_or_create(name=MODERATORS)
    moderators.permissions.add(
        *Permission.objects.filter(
            codename__in=["moderate_post", "access_admin"],
        )
    )

    open_space, _created = Space.objects.get_or_create(
        slug="community-of-practice",
        defaults={
            "name": "Community of practice",
            "description": "Open discussion for everyone working on "
            "micro-certification: share experience, ask questions, find partners.",
            "visibility": Space.Visibility.PUBLIC,
            "sort_order": 0,
        },
    )
    group_space, _created = Space.objects.get_or_create(
        slug="working-group",
        defaults={
            "name": "Working group: drafts and decisions",
            "description": "Private space of the Micro-Certification Working Group.",
            "visibility": Space.Visibility.WORKING_GROUP,
            "working_group": group,
            "sort_order": 1,
        },
    )
    start = timezone.now() - timedelta(days=20)
    for offset, (title, author, body, replies) in enumerate(OPEN_THREADS):
        _thread(
            open_space, title, author, body, replies, start + timedelta(days=3 * offset)
        )
    for offset, (title, author, body, replies) in enumerate(GROUP_THREADS):
        _thread(
            group_space,
            title,
            author,
            body,
            replies,
            start + timedelta(days=4 * offset + 1),
        )

    _community_page(stdout)


def _community_page(stdout):
    """A menu entry for the community: a page at /community/ under home.

    Django's /community/ URLs come before Wagtail's, so the page is never served
    itself; it puts the community in the main navigation and site search.
    """
    from cms.models import HomePage, StandardPage

    home = HomePage.objects.first()
    if home is None or home.get_children().filter(slug="community").exists():
        return
    page = StandardPage(
        title="Community",
        slug="community",
        show_in_menus=True,
        summary="Discussion spaces of the community of practice and the "
        "Micro-Certification Working Group.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
