from django.urls import re_path
from wagtail import views as wagtail_views

app_name = "frameworks"

# Wagtail's own page URL pattern allows no dots, but version numbers have them
# (/frameworks/<slug>/v/1.0/). This lets such paths through to Wagtail's page
# routing, where FrameworkPage.version_route serves them with the usual checks.
urlpatterns = [
    re_path(
        r"^((?:[\w\-]+/)+v/[0-9]{1,3}(?:\.[0-9]{1,3}){0,2}/)$",
        wagtail_views.serve,
        name="version",
    ),
    # Consultations: /frameworks/<slug>/consultation/1.1/clause/4.2/ and so on
    # (FrameworkPage.route).
    re_path(
        r"^((?:[\w\-]+/)+consultation/[0-9]{1,3}(?:\.[0-9]{1,3}){0,2}/"
        r"(?:[\w\-]+/)*(?:[0-9]{1,3}(?:\.[0-9]{1,3})*/)?(?:closing\.ics)?)$",
        wagtail_views.serve,
        name="consultation",
    ),
]
