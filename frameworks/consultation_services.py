"""Everything that changes a consultation: clauses, comments, responses.

Each service takes keyword arguments, runs in one transaction, raises
`ConsultationError` with a message for the member when it refuses (and then
changes nothing), and schedules emails with `transaction.on_commit`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms import ratelimit
from cms.http_cache import purge_tags
from community import markdown

from . import clauses as clause_text
from .consultation_managers import can_moderate
from .consultation_models import (
    REPLACEMENT_MAX_LENGTH,
    Clause,
    Comment,
    CommentType,
    Consultation,
    OrganisationType,
    Response,
)

DEFAULT_COMMENT_RATE = "10/h"


class ConsultationError(Exception):
    """A refusal with a message the member can read."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class RateLimited(ConsultationError):
    """Too many comments in a short time (HTTP 429)."""


# --- The draft and its clauses ----------------------------------------------


def draft_body(page):
    """The body of the page's latest draft (its newest revision, read afresh:
    the page object in hand may predate it)."""
    revision = page.revisions.order_by("-created_at", "-pk").first()
    return (revision.as_object() if revision else page).body


def sync_clauses(*, consultation, body=None, now=None):
    """Bring the consultation's clauses in line with the draft's body.

    Unchanged clauses stay as they are (moved if the draft was reordered);
    a clause whose text changed gets a new revision under the same number,
    its comments staying on the revision they were made on; new clauses get
    new numbers; deleted ones are marked removed, never deleted. Returns the
    number of clauses that changed.
    """
    now = now or timezone.now()
    if body is None:
        body = draft_body(consultation.page)
    with transaction.atomic():
        locked = (
            Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        )
        # After closing, new revisions are changes toward the next version.
        for_next_version = locked is not None and locked.state(now) == "closed"
        current = {
            clause.key: clause
            for clause in Clause.objects.filter(
                consultation=consultation, is_current=True
            )
        }
        items = clause_text.extract(
            body, previous={key: c.text for key, c in current.items()}
        )
        numbers = clause_text.number(
            items, {key: c.number for key, c in current.items()}
        )
        changed, to_create, to_update, retired = 0, [], [], []
        for position, item in enumerate(items):
            clause = current.pop(item.key, None)
            fields = {"kind": item.kind, "level": item.level, "text": item.text}
            if clause is None or clause.text != item.text:
                if clause is not None:
                    clause.is_current = False
                    retired.append(clause)
                to_create.append(
                    Clause(
                        consultation=consultation,
                        key=item.key,
                        number=numbers[item.key],
                        revision=clause.revision + 1 if clause else 1,
                        position=position,
                        created_at=now,
                        for_next_version=for_next_version,
                        **fields,
                    )
                )
                changed += 1
            elif (
                clause.position != position
                or clause.removed_at
                or (
                    clause.kind,
                    clause.level,
                )
                != (item.kind, item.level)
            ):
                clause.position = position
                clause.removed_at = None
                clause.kind, clause.level = item.kind, item.level
                to_update.append(clause)
        for clause in current.values():
            if clause.removed_at is None:
                clause.removed_at = now
                to_update.append(clause)
                changed += 1
        Clause.objects.bulk_update(retired, ["is_current"])
        Clause.objects.bulk_create(to_create)
        Clause.objects.bulk_update(
            to_update, ["position", "removed_at", "kind", "level"]
        )
        if changed or to_update:
            # Bulk writes send no signals: the cached pages are purged here,
            # and site search told which clauses came and went.
            purge_tags([f"consultation-{consultation.pk}"])
            from .search import CLAUSES, index_later

            index_later(
                CLAUSES,
                ids=[clause.pk for clause in to_create if clause.pk],
                removed=[clause.pk for clause in retired]
                + [clause.pk for clause in to_update if clause.removed_at],
            )
    return changed


def sync_open_consultations(*, page_id, revision):
    """After a new revision of a page: follow it in consultations whose
    disposition is not published yet.

    Until closing, edits make the draft that is commented on; after closing,
    they are the working group's changes toward the next version: the clause
    revisions made then (`next_version_clauses`) are what responses link to.
    """
    now = timezone.now()
    consultations = Consultation.objects.filter(page_id=page_id).filter(
        Q(closes_at__gt=now) | Q(disposition_published_at__isnull=True)
    )
    if not consultations.exists():
        return
    body = revision.as_object().body
    for consultation in consultations:
        sync_clauses(consultation=consultation, body=body, now=now)


def clauses_at_closing(consultation, *, keys=None, number=None):
    """The clauses as the draft read when the consultation closed, in order.

    Revisions made after closing (toward the next version) are left out, so
    the closed consultation shows the text that was commented on.
    """
    clauses = Clause.objects.filter(consultation=consultation, for_next_version=False)
    if keys is not None:
        clauses = clauses.filter(key__in=list(keys))
    if number is not None:
        clauses = clauses.filter(number=number)
    latest = {}
    for clause in clauses.order_by("key", "revision"):
        latest[clause.key] = clause
    return sorted(latest.values(), key=lambda clause: clause.position)


def next_version_clauses(consultation):
    """The clause revisions made after closing: the changes toward the next
    version that a response can name as the change a comment led to."""
    return Clause.objects.filter(
        consultation=consultation, for_next_version=True
    ).order_by("position", "revision")


# --- Comments ------------------------------------------------------------------


def member_facts(user):
    """What the consultation pages ask about a signed-in member, in one query:
    whether they have a verified email and may moderate, and the affiliation
    their comment form starts with (their last comment's, else their
    profile's). Kept on the user object for the rest of the request, where
    `has_verified_email` and `can_moderate` find it; None when signed out."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Exists, OuterRef, Subquery

    from community.models import Profile

    if user is None or not user.is_authenticated:
        return None
    if hasattr(user, "_consultation_facts"):
        return user._consultation_facts
    last = Comment.objects.filter(author=OuterRef("pk")).order_by("-created_at", "-pk")
    profile = Profile.objects.filter(user=OuterRef("pk"))
    moderator = Permission.objects.filter(
        content_type__app_label="community", codename="moderate_post"
    ).filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
    facts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            verified=Exists(
                EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
            ),
            moderator=Exists(moderator),
            last_organisation=Subquery(last.values("organisation")[:1]),
            last_organisation_type=Subquery(last.values("organisation_type")[:1]),
            last_role=Subquery(last.values("role")[:1]),
            profile_organisation=Subquery(profile.values("organisation")[:1]),
            profile_role=Subquery(profile.values("role")[:1]),
        )
        .values(
            "verified",
            "moderator",
            "last_organisation",
            "last_organisation_type",
            "last_role",
            "profile_organisation",
            "profile_role",
        )
        .first()
    ) or {"verified": False, "moderator": False}
    user._consultation_facts = facts
    if not hasattr(user, "_can_moderate_consultations"):
        user._can_moderate_consultations = bool(facts["moderator"])
    return facts


def has_verified_email(user):
    from allauth.account.models import EmailAddress

    facts = getattr(user, "_consultation_facts", None)
    if facts is not None:
        return bool(facts["verified"])
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def can_comment(user):
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and has_verified_email(user)
    )


def _is_new_member(user, now):
    from community.services import rate_limits

    days = rate_limits()["new_member_days"]
    return user.date_joined > now - timedelta(days=days)


def _clean_fields(*, type, body, replacement, organisation, organisation_type, role):
    if type not in CommentType.values:
        raise ConsultationError(
            _("Choose whether you support, have a concern or propose a change.")
        )
    if not body.strip():
        raise ConsultationError(_("Write your comment."))
    if type == CommentType.CHANGE and not replacement.strip():
        raise ConsultationError(_("Write the text you propose for the clause."))
    if len(replacement) > REPLACEMENT_MAX_LENGTH:
        raise ConsultationError(
            _("The proposed text can be at most %(n)d characters.")
            % {"n": REPLACEMENT_MAX_LENGTH}
        )
    if not organisation.strip() or not role.strip():
        raise ConsultationError(_("Tell us your organisation and your role."))
    if organisation_type not in OrganisationType.values:
        raise ConsultationError(_("Choose the type of your organisation."))


def comment_language(language=""):
    """One of the site's languages ("en", "fr"): the one given, else the active one."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or translation.get_language() or "").lower()
    for code in codes:
        if language == code or language.startswith(f"{code}-"):
            return code
    return settings.LANGUAGE_CODE.split("-")[0]


def _clean_answers(consultation, answers):
    known = {str(pk) for pk in consultation.questions.values_list("pk", flat=True)}
    return {
        str(key): value.strip()[:2000]
        for key, value in (answers or {}).items()
        if str(key) in known and value and value.strip()
    }


def find_clause(consultation, number):
    """The current revision of the clause with this number, or an error."""
    clause = (
        Clause.objects.current()
        .filter(consultation=consultation, number=number)
        .first()
    )
    if clause is None:
        raise ConsultationError(
            _("There is no clause %(number)s in this draft.") % {"number": number}
        )
    return clause


def post_comment(
    *,
    author,
    consultation,
    clause_number="",
    type,
    body,
    replacement="",
    answers=None,
    organisation,
    organisation_type,
    role,
    language="",
):
    """Comment on one clause (by its number) or, with no number, the whole draft.

    Published at once, or held for moderation when the author joined less than
    the community's `new_member_days` ago. Rate-limited per member
    (`CONSULTATION_COMMENT_RATE`, "10/h" by default); the same comment twice
    (a double submit) is refused. `language` is the language of the pages
    the member commented from (the active one by default): the emails about
    the comment are written in it.
    """
    from community.services import profile_for

    now = timezone.now()
    if not can_comment(author):
        raise ConsultationError(_("Sign in with a verified email address to comment."))
    _clean_fields(
        type=type,
        body=body,
        replacement=replacement,
        organisation=organisation,
        organisation_type=organisation_type,
        role=role,
    )
    profile = profile_for(author)
    if profile.is_suspended:
        raise ConsultationError(_("Your posting is suspended."))
    with transaction.atomic():
        # One comment at a time per consultation: a double submit finds the first.
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.state(now) != "open":
            raise ConsultationError(_("This consultation is not open for comments."))
        clause = find_clause(consultation, clause_number) if clause_number else None
        duplicates = Comment.objects.filter(
            consultation=consultation, author=author, body=body
        )
        if clause is None:
            duplicates = duplicates.filter(clause=None)
        else:
            duplicates = duplicates.filter(clause__key=clause.key)
        if duplicates.exists():
            raise ConsultationError(_("You have already made this comment."))
        rate = getattr(settings, "CONSULTATION_COMMENT_RATE", DEFAULT_COMMENT_RATE)
        if not can_moderate(author) and not ratelimit.consume(
            "consultation-comment", author.pk, rate
        ):
            raise RateLimited(
                _(
                    "You have commented a lot in a short time. Please try again later; "
                    "your comment is kept below."
                )
            )
        held = not can_moderate(author) and _is_new_member(author, now)
        comment = Comment.objects.create(
            consultation=consultation,
            clause=clause,
            author=author,
            author_name=profile.name,
            organisation=organisation.strip(),
            organisation_type=organisation_type,
            role=role.strip(),
            type=type,
            body=body,
            body_html=markdown.render(body, {}),
            replacement=replacement.strip() if type == CommentType.CHANGE else "",
            answers=_clean_answers(consultation, answers),
            status=Comment.Status.HELD if held else Comment.Status.PUBLISHED,
            created_at=now,
            language=comment_language(language),
        )
        # Asked once: the profile keeps the organisation and role for next time.
        if not profile.organisation or not profile.role:
            profile.organisation = profile.organisation or comment.organisation
            profile.role = profile.role or comment.role
            profile.save(update_fields=["organisation", "role"])
    return comment


def edit_comment(*, user, comment, type, body, replacement="", answers=None):
    """The author changes their comment, until the consultation closes."""
    now = timezone.now()
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .select_related("consultation")
            .get(pk=comment.pk)
        )
        if user is None or comment.author_id != user.pk:
            raise ConsultationError(_("You can only edit your own comments."))
        if comment.consultation.state(now) != "open":
            raise ConsultationError(
                _("The consultation has closed: comments can no longer be changed.")
            )
        _clean_fields(
            type=type,
            body=body,
            replacement=replacement,
            organisation=comment.organisation,
            organisation_type=comment.organisation_type,
            role=comment.role,
        )
        comment.type = type
        comment.body = body
        comment.body_html = markdown.render(body, {})
        comment.replacement = replacement.strip() if type == CommentType.CHANGE else ""
        comment.answers = _clean_answers(comment.consultation, answers)
        comment.edited_at = now
        comment.save()
    return comment


def moderate_comment(*, moderator, comment, status):
    """Publish a held comment, or hide one."""
    if not can_moderate(moderator):
        raise ConsultationError(_("Only moderators can do this."))
    if status not in Comment.Status.values:
        raise ConsultationError(_("Unknown status."))
    comment.status = status
    comment.save(update_fields=["status"])
    return comment


# --- Responses and the disposition -------------------------------------------------


def can_respond(user):
    """Staff and the chairs of the framework working group answer comments."""
    from community.models import Membership

    from . import constants

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return (
        Membership.objects.active()
        .filter(
            user=user,
            is_chair=True,
            working_group__group__name=constants.WORKING_GROUP,
        )
        .exists()
    )


def respond(*, by, comment, disposition, reason, change="", changed_clause=None):
    """Record (or correct) the working group's answer to a comment, after closing.

    `changed_clause` is the clause revision of the next version the comment
    led to (one of `next_version_clauses`), shown beside it in the version diff.
    """
    if not can_respond(by):
        raise ConsultationError(_("Only staff and the working group's chairs respond."))
    if disposition not in Response.Disposition.values:
        raise ConsultationError(_("Choose a decision for this comment."))
    if not reason.strip():
        raise ConsultationError(_("Give a short reason for the decision."))
    if len(change) > REPLACEMENT_MAX_LENGTH:
        raise ConsultationError(
            _("The change can be at most %(n)d characters.")
            % {"n": REPLACEMENT_MAX_LENGTH}
        )
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .select_related("consultation")
            .get(pk=comment.pk)
        )
        if not comment.consultation.is_closed:
            raise ConsultationError(
                _("Comments are answered once the consultation has closed.")
            )
        if (
            changed_clause is not None
            and not next_version_clauses(comment.consultation)
            .filter(pk=changed_clause.pk)
            .exists()
        ):
            raise ConsultationError(
                _("Choose a clause changed in the next version of this draft.")
            )
        response, _created = Response.objects.update_or_create(
            comment=comment,
            defaults={
                "disposition": disposition,
                "reason": reason.strip(),
                "change": change.strip(),
                "changed_clause": changed_clause,
                "responded_by": by,
                "responded_at": timezone.now(),
            },
        )
    return response


def publish_disposition(*, by, consultation, next_version=None):
    """Publish the disposition table and tell the commenters.

    Every published comment must have a response. Commenters are emailed once,
    after commit, unless they chose no email.
    """
    if not can_respond(by):
        raise ConsultationError(_("Only staff and the working group's chairs publish."))
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.is_closed:
            raise ConsultationError(_("The consultation has not closed yet."))
        waiting = Comment.objects.filter(
            consultation=consultation,
            status=Comment.Status.PUBLISHED,
            response__isnull=True,
        ).count()
        if waiting:
            raise ConsultationError(
                _("%(n)d comments still wait for a response.") % {"n": waiting}
            )
        if next_version is not None:
            if next_version.page_id != consultation.page_id:
                raise ConsultationError(_("Choose a version of the same document."))
            consultation.next_version = next_version
        first_time = consultation.disposition_published_at is None
        consultation.disposition_published_at = (
            consultation.disposition_published_at or timezone.now()
        )
        consultation.save(update_fields=["next_version", "disposition_published_at"])
        if first_time:
            consultation_id = consultation.pk
            transaction.on_commit(lambda: _enqueue_notices(consultation_id))
    return consultation


def _enqueue_notices(consultation_id):
    from .consultation_tasks import send_disposition_emails

    send_disposition_emails.enqueue(consultation_id)


def disposition_rows(consultation):
    """Every published comment with its clause and response, in the draft's order.

    One query, whatever the number of comments.
    """
    return list(
        Comment.objects.filter(
            consultation=consultation, status=Comment.Status.PUBLISHED
        )
        .select_related("clause", "response__changed_clause")
        .order_by(
            F("clause__position").asc(nulls_first=True),
            "clause__revision",
            "created_at",
            "pk",
        )
    )
