"""Emails about consultations, sent in the background after commit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_disposition_emails(consultation_id):
    """Tell each commenter that the working group's responses are published.

    One email per member with a published comment, unless they chose no email
    (`Profile.email_preference`); members who left are not written to.
    """
    from community import emails
    from community.models import Profile

    from .consultation_models import Comment, Consultation

    consultation = (
        Consultation.objects.select_related("page").filter(pk=consultation_id).first()
    )
    if consultation is None or consultation.disposition_published_at is None:
        return 0
    commenters = (
        get_user_model()
        .objects.filter(
            is_active=True,
            consultation_comments__consultation=consultation,
            consultation_comments__status=Comment.Status.PUBLISHED,
        )
        .exclude(community_profile__email_preference=Profile.EmailPreference.NONE)
        .exclude(email="")
        .distinct()
    )
    url = consultation.get_url() + "disposition/"
    if url.startswith("/"):
        url = settings.SITE_URL + url
    sent = 0
    for user in commenters:
        emails.send(
            user=user,
            subject=_("The responses to your comments on %(title)s")
            % {"title": f"{consultation.page.title} {consultation.version}"},
            template="consultation_disposition",
            context={"consultation": consultation, "disposition_url": url},
        )
        sent += 1
    return sent
