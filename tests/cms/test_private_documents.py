"""Documents in a private collection leave only through Wagtail's document view."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from frameworks.pdf import simple_pdf

pytestmark = pytest.mark.django_db

MARKER = "Quillwort private minutes"

# Spellings of /media/documents/<file> that a path check made before
# normalising lets through (the test client decodes %2e and %2f as a server does).
MEDIA_VARIANTS = [
    "/media/documents/{name}",
    "/media//documents/{name}",
    "/media/./documents/{name}",
    "/media/%2e/documents/{name}",
    "/media/%2fdocuments/{name}",
    "/media/.//documents/{name}",
    "/media/images/../documents/{name}",
    "/media/images/%2e%2e/documents/{name}",
    "/media/documents\\{name}",
    "/media/Documents/{name}",
]


@pytest.fixture
def private_document(home_page):
    root = Collection.get_first_root_node()
    collection = root.add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model()(title="Board minutes", collection=collection)
    document.file.save(
        "board-minutes.pdf", ContentFile(simple_pdf("Minutes", [MARKER])), save=False
    )
    document.save()
    return document


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_document_files_are_kept_outside_media_root(private_document):
    path = private_document.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert not (settings.MEDIA_ROOT / "documents").exists()


@pytest.mark.parametrize("variant", MEDIA_VARIANTS)
def test_no_media_path_serves_a_private_document(client, private_document, variant):
    name = private_document.file.name.split("/", 1)[1]
    # An older upload left under MEDIA_ROOT is not served either.
    legacy = settings.MEDIA_ROOT / "documents"
    legacy.mkdir(parents=True)
    (legacy / name).write_bytes(private_document.file.open("rb").read())

    response = client.get(variant.format(name=name))

    assert response.status_code == 404
    assert MARKER.encode() not in body(response)


def test_public_images_are_still_served_from_media(client, home_page):
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "logo.txt").write_bytes(b"public image")
    assert body(client.get("/media/images/logo.txt")) == b"public image"
    # Only the plain spelling: no other folder, no detour.
    assert client.get("/media/images/./logo.txt").status_code == 404
    (settings.MEDIA_ROOT / "avatars").mkdir(parents=True)
    (settings.MEDIA_ROOT / "avatars" / "a.txt").write_bytes(b"avatar")
    assert client.get("/media/avatars/a.txt").status_code == 404


def test_the_document_view_answers_the_same_for_a_right_and_a_wrong_name(
    client, private_document
):
    right = client.get(private_document.url)
    wrong_url = f"/documents/{private_document.pk}/not-the-name.pdf"
    wrong = client.get(wrong_url)

    assert right.status_code == wrong.status_code == 302
    assert right["Location"].split("?")[0] == wrong["Location"].split("?")[0]
    assert MARKER.encode() not in body(right)


def test_a_signed_in_member_downloads_it_through_the_document_view(
    client, private_document, user
):
    client.force_login(user)
    response = client.get(private_document.url)
    assert response.status_code == 200
    assert MARKER.encode() in body(response)
    wrong = client.get(f"/documents/{private_document.pk}/not-the-name.pdf")
    assert wrong.status_code == 404
