"""Demo content: the framework (1.0 published, 1.1 in review) and the principles.

Finds everything by slug or title first, so running it twice changes nothing.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Workflow

from cms import seed as cms_seed
from cms.models import HomePage

from . import constants, services
from .models import (
    DocumentType,
    FrameworkDownload,
    FrameworkIndexPage,
    FrameworkPage,
    FrameworkVersion,
)
from .pdf import version_pdf

FRAMEWORK_TITLE = "Micro-certification framework and principles"
FRAMEWORK_SLUG = "micro-certification-framework"
PRINCIPLES_SLUG = "principles-for-micro-certification"
WORKING_GROUP_EMAIL = "working-group@example.org"
WORKING_GROUP_PASSWORD = "working-group-demo-pass"  # noqa: S105 - demo account

PRINCIPLES = [
    (
        "Relevance to the labour market",
        "Each micro-certification recognizes skills that employers and sector "
        "partners have identified as in demand in Ontario.",
        "Labour-market information, an employer consultation record or a sector "
        "partner's letter naming the skills and the roles that need them.",
    ),
    (
        "Assessment",
        "Learners demonstrate the skill in an authentic task; completion alone is "
        "not enough.",
        "The assessment task, its rubric and the threshold a learner must reach, "
        "reviewed by a subject-matter expert.",
    ),
    (
        "Evidence",
        "The credential carries the evidence of what the learner did, so that an "
        "employer can check it.",
        "A digital credential whose metadata links the competencies, the "
        "assessment and samples of the learner's work.",
    ),
    (
        "Validation standards",
        "Institutions validate each micro-certification against shared standards "
        "before it is offered and at each review.",
        "A completed validation checklist and the date of the next review.",
    ),
    (
        "Partner endorsement",
        "At least one employer or industry partner endorses the "
        "micro-certification and takes part in its review.",
        "The partner's endorsement, naming the person responsible and the review "
        "cycle.",
    ),
]


def _heading(text, anchor=""):
    return ("heading", {"text": text, "level": "h2", "anchor": anchor})


def _paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


def _principles(heading):
    return (
        "principles",
        {
            "heading": heading,
            "principles": [
                {"name": name, "statement": statement, "evidence": evidence}
                for name, statement, evidence in PRINCIPLES
            ],
        },
    )


def _table(rows):
    return (
        "table",
        {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "Who does what",
        },
    )


ROLES = [
    ["Stage", "Institution", "Industry partner", "Working group"],
    [
        "Design",
        "Defines outcomes",
        "Names the skills needed",
        "Publishes the framework",
    ],
    ["Assessment", "Assesses learners", "Reviews tasks", "Shares exemplars"],
    ["Review", "Validates each year", "Re-endorses", "Revises the framework"],
]


def framework_body(*, scope_text, review_text):
    return [
        _heading("Purpose", "purpose"),
        _paragraph(
            "This framework sets out how Ontario colleges and universities design, "
            "assess and recognize micro-certifications, so that learners, employers "
            "and institutions can trust and compare them."
        ),
        _heading("Scope", "scope"),
        _paragraph(scope_text),
        _principles("Principles"),
        _heading("Roles and responsibilities", "roles"),
        _table(ROLES),
        _heading("Review of the framework", "review"),
        _paragraph(review_text),
    ]


SCOPE_1_0 = (
    "The framework applies to micro-certifications offered by publicly assisted "
    "colleges and universities in Ontario."
)
SCOPE_1_1 = (
    "The framework applies to micro-certifications offered by publicly assisted "
    "colleges and universities in Ontario, including those offered jointly with "
    "industry partners."
)
REVIEW_1_0 = "The working group reviews this framework every two years."
REVIEW_1_1 = (
    "The working group reviews this framework every year, with the annual forum's "
    "feedback."
)


def _collection(name):
    collection = Collection.objects.filter(name=name).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
    return collection


def _draft_pdf(title, collection_name, filename, page):
    """The draft's PDF for reviewers, typeset from the draft as a version would be."""
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        draft = FrameworkVersion(
            page=page,
            number=page.version,
            title=f"{page.title} (draft for review)",
            change_summary=page.change_summary,
            published_at=timezone.now(),
        )
        data = version_pdf(
            page=page,
            version=draft,
            stable_url=services.stable_url(page, page.version),
            author="Micro-Certification Working Group",
        )
        document = Document(title=title, collection=_collection(collection_name))
        document.file.save(filename, ContentFile(data), save=False)
        document.save()
    return document


def publish_pdfs(page):
    """Each published version's PDF, generated from its content (as on publish)."""
    for version in page.versions.filter(pdf__isnull=True):
        services.generate_version_pdf(version=version)


def working_group_member():
    """A demo member of the working group, who drafts in the admin."""
    User = get_user_model()
    user = User.objects.filter(email=WORKING_GROUP_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            "working-group",
            WORKING_GROUP_EMAIL,
            WORKING_GROUP_PASSWORD,
            first_name="Wren",
            last_name="Working-Group",
        )
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
    group, _ = Group.objects.get_or_create(name=constants.WORKING_GROUP)
    user.groups.add(group)
    return user


def index_page():
    home = HomePage.default()
    index = home.get_children().filter(slug="frameworks").first()
    if index is not None:
        return index.specific
    index = FrameworkIndexPage(
        title="Framework and principles",
        slug="frameworks",
        show_in_menus=True,
        summary=(
            "The framework for micro-certification activity and the principles "
            "behind it, drafted by the Micro-Certification Working Group."
        ),
        intro=(
            "<p>The framework for micro-certification activity and the principles "
            "behind it: relevance to the labour market, assessment, evidence, "
            "validation standards and partner endorsement. Read them online or "
            "download them.</p>"
        ),
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def framework_page(index, member, *, submit=True):
    page = index.get_children().filter(slug=FRAMEWORK_SLUG).first()
    if page is not None:
        return page.specific
    page = FrameworkPage(
        title=FRAMEWORK_TITLE,
        slug=FRAMEWORK_SLUG,
        document_type=DocumentType.FRAMEWORK,
        version="1.0",
        change_summary="First published version.",
        summary=(
            "How Ontario institutions design, assess and recognize "
            "micro-certifications, and the five principles behind them."
        ),
        body=framework_body(scope_text=SCOPE_1_0, review_text=REVIEW_1_0),
        social_image=cms_seed.demo_image(
            "Framework cover",
            "Cover of the micro-certification framework: a ring of small steps",
            ("#0b4f8a", "#1b6e3a"),
        ),
    )
    index.add_child(instance=page)
    page.tags.add("Assessment", "Labour market", "Quality")
    page.save_revision().publish()
    publish_pdfs(page)

    # Version 1.1: a draft the working group has submitted for review.
    page = FrameworkPage.objects.get(pk=page.pk)
    page.version = "1.1"
    page.change_summary = (
        "Covers micro-certifications offered jointly with industry partners; "
        "the framework is now reviewed every year."
    )
    page.body = framework_body(scope_text=SCOPE_1_1, review_text=REVIEW_1_1)
    pdf_1_1 = _draft_pdf(
        "Micro-certification framework and principles 1.1 draft (PDF)",
        constants.DRAFTS_COLLECTION,
        "micro-certification-framework-1.1-draft.pdf",
        page,
    )
    page.downloads = [
        FrameworkDownload(document=pdf_1_1, label="Draft 1.1 for review (PDF)")
    ]
    revision = page.save_revision(user=member)
    workflow = Workflow.objects.filter(name=constants.WORKFLOW).first()
    if submit and workflow is not None:
        workflow.start(page, member)
    return revision.as_object()


def principles_page(index):
    page = index.get_children().filter(slug=PRINCIPLES_SLUG).first()
    if page is not None:
        return page.specific
    page = FrameworkPage(
        title="Principles for micro-certification",
        slug=PRINCIPLES_SLUG,
        document_type=DocumentType.PRINCIPLES,
        version="1.0",
        change_summary="First published version.",
        summary="The five principles every micro-certification should meet, and "
        "the evidence that shows it does.",
        body=[
            _heading("About these principles", "about"),
            _paragraph(
                "These principles summarize the framework for readers who need a "
                "checklist: programme designers, reviewers and employer partners."
            ),
            _principles("The five principles"),
        ],
    )
    index.add_child(instance=page)
    page.tags.add("Quality", "Employers")
    page.save_revision().publish()
    publish_pdfs(page)
    return page


def seed(stdout):
    member = working_group_member()
    index = index_page()
    principles_page(index)
    framework = framework_page(index, member)
    live = FrameworkPage.objects.get(pk=framework.pk)
    cms_seed.link_phrase(cms_seed.DOWNLOAD_FRAMEWORK, href=live.get_url() + "pdf/")
    cms_seed.link_action(cms_seed.ACTION_FRAMEWORK, href=live.get_url() + "pdf/")
    stdout.write(
        f"Framework demo: working-group member {WORKING_GROUP_EMAIL} / "
        f"{WORKING_GROUP_PASSWORD} drafts in the admin."
    )
