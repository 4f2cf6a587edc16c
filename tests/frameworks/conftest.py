"""Fixtures for the frameworks app: the index page, documents and the working group."""

import os

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Workflow
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from frameworks import constants
from frameworks.models import FrameworkDownload, FrameworkPage
from frameworks.pdf import simple_pdf
from tests.conftest import make_user


@pytest.fixture
def framework_index(home_page):
    from frameworks import seed

    return seed.index_page()


@pytest.fixture
def seeded(home_page):
    """The whole demo: the framework (1.0 live, 1.1 in review) and the principles."""
    from frameworks import seed

    seed.seed(open(os.devnull, "w"))  # noqa: SIM115
    return FrameworkPage.objects.get(slug=seed.FRAMEWORK_SLUG)


@pytest.fixture
def working_group():
    return Group.objects.get(name=constants.WORKING_GROUP)


@pytest.fixture
def wg_member(db, working_group):
    user = make_user("wren@example.org", first_name="Wren", last_name="Group")
    user.groups.add(working_group)
    return user


@pytest.fixture
def second_wg_member(db, working_group):
    user = make_user("wes@example.org", first_name="Wes", last_name="Group")
    user.groups.add(working_group)
    return user


def make_document(title, *, draft=False, text="Text of the document."):
    collection = Collection.objects.get(
        name=constants.DRAFTS_COLLECTION if draft else constants.PUBLIC_COLLECTION
    )
    document = get_document_model()(title=title, collection=collection)
    filename = title.lower().replace(" ", "-") + ".pdf"
    document.file.save(filename, ContentFile(simple_pdf(title, [text])), save=False)
    document.save()
    return document


def body(*sections):
    """A StreamField value: (heading, paragraph) pairs."""
    blocks = []
    for heading, paragraph in sections:
        blocks.append(("heading", {"text": heading, "level": "h2", "anchor": ""}))
        blocks.append(("paragraph", f"<p>{paragraph}</p>"))
    return blocks


def make_framework(
    index,
    title="Assessment guide",
    *,
    version="1.0",
    document_type="guide",
    sections=(("Purpose", "Why assessment matters."),),
    documents=(),
    tags=(),
    publish=True,
    change_summary="First version.",
):
    page = FrameworkPage(
        title=title,
        document_type=document_type,
        version=version,
        change_summary=change_summary,
        summary=f"Summary of {title}.",
        body=body(*sections),
        downloads=[FrameworkDownload(document=document) for document in documents],
        live=publish,
    )
    index.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return FrameworkPage.objects.get(pk=page.pk)


def edit_form_data(page, *, sections, version, action=None, documents=None, **extra):
    """POST data for the page's edit form in the admin, as the browser sends it."""
    blocks = []
    for heading, paragraph in sections:
        blocks.append(("heading", {"text": heading, "level": "h2", "anchor": ""}))
        blocks.append(("paragraph", rich_text(f"<p>{paragraph}</p>")))
    if documents is None:
        documents = [download.document for download in page.downloads.all()]
    data = {
        "title": page.title,
        "slug": page.slug,
        "document_type": page.document_type,
        "version": version,
        "change_summary": extra.pop("change_summary", page.change_summary),
        "tags": "",
        "summary": page.summary,
        "body": streamfield(blocks),
        "downloads": inline_formset(
            [{"document": str(document.pk), "label": ""} for document in documents]
        ),
        "comments": inline_formset([]),
        **extra,
    }
    data = nested_form_data(data)
    if action:
        data[action] = "1"
    return data


@pytest.fixture
def review_workflow():
    return Workflow.objects.get(name=constants.WORKFLOW)


# Consultations on drafts (tests/frameworks/test_consultation*.py).
from .consultation_helpers import (  # noqa: E402, F401
    consultation,
    draft_framework,
    established_member,
    new_member,
    unverified_member,
)
