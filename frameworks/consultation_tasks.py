"""Emails about consultations, sent in the background after commit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_disposition_emails(consultation_id):
    """Tell each commenter that the working group's responses are published.

    One email per member with a published comment, unless they chose no email
    (`Profile.email_preference`); members who left are not written to. Each
    email is in the language of the member's last comment (`Comment.language`).
    """
    from community import emails
    from community.models import Profile

    from .consultation_models import Comment, Consultation

    consultation = (
        Consultation.objects.select_related("page").filter(pk=consultation_id).first()
    )
    if consultation is None or consultation.disposition_published_at is None:
        return 0
    latest = (
        Comment.objects.filter(
            consultation=consultation,
            author=OuterRef("pk"),
            status=Comment.Status.PUBLISHED,
        )
        .order_by("-created_at", "-pk")
        .values("language")[:1]
    )
    commenters = (
        get_user_model()
        .objects.filter(
            is_active=True,
            consultation_comments__consultation=consultation,
            consultation_comments__status=Comment.Status.PUBLISHED,
        )
        .exclude(community_profile__email_preference=Profile.EmailPreference.NONE)
        .exclude(email="")
        .annotate(comment_language=Subquery(latest))
        .distinct()
    )
    urls = {}
    sent = 0
    for user in commenters:
        # In the language the member last commented in, linking to the
        # disposition in that language's pages.
        language = user.comment_language or settings.LANGUAGE_CODE
        if language not in urls:
            url = consultation.get_url_in(language) + "disposition/"
            urls[language] = settings.SITE_URL + url if url.startswith("/") else url
        with translation.override(language):
            emails.send(
                user=user,
                subject=_("The responses to your comments on %(title)s")
                % {"title": f"{consultation.page.title} {consultation.version}"},
                template="consultation_disposition",
                context={
                    "consultation": consultation,
                    "disposition_url": urls[language],
                },
                # The comment's language, not the profile's: the email is
                # about what the member wrote.
                language=language,
            )
        sent += 1
    return sent
