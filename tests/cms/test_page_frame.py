"""What every page shows around its content follows the database at once.

The site, its settings, the menu, the breadcrumbs, the decision to show
Wagtail's user bar and whether a page is private are read on every request.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db

WHY = "/why-micro-certification-now/"
USERBAR = 'id="wagtail-userbar-template"'


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def _touching(sqls, table):
    return [sql for sql in sqls if f'"{table}"' in sql]


@pytest.fixture
def editors():
    group = Group.objects.create(name="Admin users")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return group


# --- The user bar ---------------------------------------------------------------


def test_members_get_no_user_bar(client, home_page, member):
    client.force_login(member)
    assert USERBAR not in _get(client, WHY)[0]


def test_people_who_may_edit_get_the_user_bar(client, home_page, member, editors):
    member.groups.add(editors)
    client.force_login(member)
    assert USERBAR in _get(client, WHY)[0]


def test_superusers_get_the_user_bar(client, home_page, staff_with_mfa):
    client.force_login(staff_with_mfa)
    assert USERBAR in _get(client, WHY)[0]


def test_user_bar_follows_group_and_permission_changes(
    client, home_page, member, editors
):
    client.force_login(member)
    assert USERBAR not in _get(client, WHY)[0]

    member.groups.add(editors)
    assert USERBAR in _get(client, WHY)[0]

    editors.permissions.clear()
    assert USERBAR not in _get(client, WHY)[0]

    member.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    assert USERBAR in _get(client, WHY)[0]

    member.user_permissions.clear()
    member.groups.add(editors)
    editors.permissions.add(*Permission.objects.filter(codename="access_admin"))
    assert USERBAR in _get(client, WHY)[0]
    editors.delete()
    assert USERBAR not in _get(client, WHY)[0]


def test_user_bar_is_never_shown_to_visitors(client, home_page):
    assert USERBAR not in _get(client, WHY)[0]


# --- Permissions ------------------------------------------------------------------


def test_permissions_given_and_taken_away_count_from_the_next_request(member, editors):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    member.groups.add(editors)
    assert User.objects.get(pk=member.pk).has_perm("wagtailadmin.access_admin")
    member.groups.remove(editors)
    assert not User.objects.get(pk=member.pk).has_perm("wagtailadmin.access_admin")

    editors.permissions.clear()
    member.groups.add(editors)
    assert not User.objects.get(pk=member.pk).has_perm("wagtailadmin.access_admin")
    editors.permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    assert User.objects.get(pk=member.pk).has_perm("wagtailadmin.access_admin")


def test_inactive_users_have_no_permissions(member, editors):
    member.groups.add(editors)
    member.is_active = False
    assert not member.has_perm("wagtailadmin.access_admin")


# --- Site, settings, breadcrumbs ----------------------------------------------------


def test_home_page_shows_its_new_text_at_once(client, home_page):
    assert "A fresh introduction" not in _get(client, "/")[0]
    home_page.intro = "A fresh introduction"
    home_page.save_revision().publish()
    assert "A fresh introduction" in _get(client, "/")[0]
    # Pages under it are still found.
    assert "transversal skills" in _get(client, WHY)[0]


def test_changed_site_settings_show_to_members_at_once(client, home_page, member):
    client.force_login(member)
    assert "Lakeshore Programme" not in _get(client, WHY)[0]
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.organisation_name = "Lakeshore Programme"
    settings.save()
    assert "Lakeshore Programme" in _get(client, WHY)[0]


def test_the_footer_follows_the_site_settings(client, home_page, member):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.coordinator_name = "Ada Coordinator"
    settings.coordinator_email = "ada@example.org"
    settings.save()
    html = _get(client, WHY)[0]
    assert "Ada Coordinator" in html and "mailto:ada@example.org" in html
    client.force_login(member)
    footer = html.split('<footer class="site-footer">', 1)[1].split("</footer>")[0]
    assert footer in _get(client, WHY)[0]  # members get the same footer

    settings.coordinator_email = "events@example.org"
    settings.save()
    html = _get(client, WHY)[0]
    assert "mailto:events@example.org" in html and "ada@example.org" not in html
    client.logout()
    assert "mailto:events@example.org" in _get(client, WHY)[0]


def test_breadcrumbs_follow_a_renamed_section(client, home_page):
    section = StandardPage(title="Resources", slug="resources")
    home_page.add_child(instance=section)
    section.save_revision().publish()
    child = StandardPage(title="Glossary", slug="glossary")
    section.add_child(instance=child)
    child.save_revision().publish()
    url = "/resources/glossary/"
    assert ">Resources</a>" in _get(client, url)[0]

    section.title = "Library"
    section.save_revision().publish()
    html = _get(client, url)[0]
    assert ">Library</a>" in html and ">Resources</a>" not in html


# --- Private pages ------------------------------------------------------------------


def _section_with_page(home_page):
    section = StandardPage(title="Working papers", slug="working-papers")
    home_page.add_child(instance=section)
    section.save_revision().publish()
    child = StandardPage(title="Draft rubric", slug="draft-rubric", summary="Rubric")
    section.add_child(instance=child)
    child.save_revision().publish()
    return section, child


def test_a_section_made_private_hides_its_pages_at_once(client, home_page, member):
    section, child = _section_with_page(home_page)
    url = "/working-papers/draft-rubric/"
    assert "Draft rubric" in _get(client, url)[0]

    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    response = Client().get(url)
    assert response.status_code == 302
    assert "Draft rubric" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    member_client = Client()
    member_client.force_login(member)
    assert "Draft rubric" in _get(member_client, url)[0]

    restriction.delete()
    assert "Draft rubric" in _get(Client(), url)[0]


def test_an_alias_of_a_private_page_is_private_too(client, home_page):
    section, child = _section_with_page(home_page)
    PageViewRestriction.objects.create(
        page=child, restriction_type=PageViewRestriction.LOGIN
    )
    assert Client().get("/working-papers/draft-rubric/").status_code == 302
    alias = child.create_alias(parent=home_page, update_slug="rubric-copy")
    assert alias.live and alias.url == "/rubric-copy/"

    response = Client().get("/rubric-copy/")
    assert response.status_code == 302
    assert "Draft rubric" not in response.content.decode()


def test_a_page_under_an_alias_of_a_section_made_private_is_private(client, home_page):
    section, child = _section_with_page(home_page)
    alias = section.create_alias(parent=home_page, update_slug="papers-copy")
    note = StandardPage(title="Meeting note", slug="meeting-note")
    alias.add_child(instance=note)
    note.save_revision().publish()
    assert "Meeting note" in _get(client, "/papers-copy/meeting-note/")[0]

    # Restricting the source section restricts what lies under its alias.
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    response = Client().get("/papers-copy/meeting-note/")
    assert response.status_code == 302
    assert "Meeting note" not in response.content.decode()


def test_a_changed_site_is_looked_up_again(client, home_page):
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed"
    site.save()
    assert Client().get("/").wsgi_request._wagtail_site.site_name == "Renamed"
