"""The consultation pages, served under the frameworks index page:
/frameworks/<slug>/consultation/<version>/…  (see FrameworkIndexPage routes).

Access is read from the database on every request (`consultation_managers`);
the shared cache may keep the anonymous views until the next comment, response
or date change (tagged `consultation-<pk>`, `cache_until` the next date).
"""

import csv
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cms.exports import neutralise
from cms.http_cache import cache_publicly, cache_until, keep_private

from . import consultation_services as services
from .consultation_forms import (
    CommentFilterForm,
    CommentForm,
    NewCommentForm,
    PublishForm,
    ResponseForm,
)
from .consultation_models import Clause, Comment, Consultation

PER_PAGE = 50
ACTIONS = [
    (re.compile(r"^$"), "overview"),
    (re.compile(r"^clause/(?P<number>[0-9.]{1,20})/$"), "clause"),
    (re.compile(r"^general/$"), "clause"),
    (re.compile(r"^comments/(?P<pk>[0-9]{1,12})/edit/$"), "edit"),
    (re.compile(r"^respond/$"), "respond"),
    (re.compile(r"^respond/(?P<pk>[0-9]{1,12})/$"), "respond_one"),
    (re.compile(r"^publish/$"), "publish"),
    (re.compile(r"^disposition/$"), "disposition"),
    (re.compile(r"^disposition/csv/$"), "disposition_csv"),
    (re.compile(r"^disposition/pdf/$"), "disposition_pdf"),
    (re.compile(r"^closing\.ics/?$"), "calendar"),
]


def serve(request, page, components):
    """Everything under …/<document>/consultation/, found from the path's rest."""
    if not components:
        return current(request, page)
    number, rest = components[0], components[1:]
    if not re.fullmatch(r"[0-9.]{1,20}", number):
        raise Http404
    return dispatch(request, page, number, "".join(f"{part}/" for part in rest))


def current(request, page):
    """…/consultation/: the page's latest consultation, at its own address."""
    consultation = (
        Consultation.objects.announced_to(request.user)
        .filter(page=page)
        .order_by("-opens_at")
        .first()
    )
    if consultation is None:
        raise Http404
    consultation.page = page
    return HttpResponseRedirect(consultation.get_url(request))


def _is_public(request, page):
    """Whether the page has no view restriction (read by the serve hooks already)."""
    if request.user.is_superuser:
        return True
    # Read by the serve hooks already (FrameworkPage.get_view_restrictions).
    restrictions = page.__dict__.get("_view_restrictions_served")
    if restrictions is None:
        restrictions = page.get_view_restrictions()
    return not restrictions


def dispatch(request, page, number, action):
    # Consultation.objects.announced_to(user), for a page already in hand. A
    # translation of the page (/fr/…) shows the same consultation in its
    # language.
    consultation = None
    if _is_public(request, page):
        consultation = Consultation.objects.filter(
            page__translation_key=page.translation_key, version=number
        ).first()
    if consultation is None:
        raise Http404
    if consultation.page_id == page.pk:
        consultation.page = page
    consultation.shown_page = page
    # The page changes by itself when the consultation opens and closes.
    cache_until(request, consultation.opens_at)
    cache_until(request, consultation.closes_at)
    cache_publicly(request, f"consultation-{consultation.pk}")
    for pattern, name in ACTIONS:
        match = pattern.match(action)
        if match:
            view = globals()[f"_{name}"]
            return view(request, consultation, **match.groupdict())
    raise Http404


def _base_context(request, consultation):
    state = consultation.state()
    return {
        "page": consultation.shown_page,
        "consultation": consultation,
        "state": state,
        "url": consultation.get_url(request),
        # Only after closing is there anything to respond to.
        "can_respond": state == "closed" and services.can_respond(request.user),
    }


def _render(request, template, context, status=200):
    return TemplateResponse(
        request, f"frameworks/consultation/{template}.html", context, status=status
    )


def _counts(consultation, user, filters):
    """{clause key: {"total": n, type: n…}} of the comments this user may read."""
    rows = (
        Comment.objects.filter(consultation=consultation, **filters)
        .readable_by(user)
        .values_list("clause__key", "type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for key, kind, n in rows:
        entry = counts.setdefault(key, {"total": 0})
        entry[kind] = n
        entry["total"] += n
    return counts


def _heat(count, highest):
    """A level from 0 to 4 for the margin strip (shown beside the number)."""
    if not count:
        return 0
    return min(4, 1 + (3 * count) // max(highest, 1))


def _overview(request, consultation):
    context = _base_context(request, consultation)
    state = context["state"]
    filter_form = CommentFilterForm(request.GET)
    filters = filter_form.filters()
    clauses = []
    counts = {}
    if state != "upcoming":
        counts = _counts(consultation, request.user, filters)
        clauses = Clause.objects.filter(consultation=consultation)
        if state == "open":
            clauses = list(clauses.current())
        else:
            # Closed: the draft is no longer open; the clauses that were
            # commented on stay, with their numbers, beside the comments.
            clauses = services.clauses_at_closing(
                consultation, keys=[key for key in counts if key]
            )
        highest = max((c["total"] for k, c in counts.items() if k), default=0)
        for clause in clauses:
            clause.counts = counts.get(clause.key, {"total": 0})
            clause.heat = _heat(clause.counts["total"], highest)
    context.update(
        clauses=clauses,
        general=counts.get(None, {"total": 0}),
        total=sum(c["total"] for c in counts.values()),
        filter_form=filter_form,
        filtered=bool(filters),
        questions=list(consultation.questions.all()),
    )
    status = 400 if request.GET and not filter_form.is_valid() else 200
    return _render(request, "overview", context, status)


def _comment_form(request, consultation, questions, data=None):
    """The comment form for this member, the organisation asked only once:
    it starts with their last comment's, else their profile's."""
    facts = services.member_facts(request.user) or {}
    if facts.get("last_organisation") is not None:
        initial = {
            "organisation": facts["last_organisation"],
            "organisation_type": facts["last_organisation_type"],
            "role": facts["last_role"],
        }
    else:
        initial = {
            "organisation": facts.get("profile_organisation") or "",
            "role": facts.get("profile_role") or "",
        }
    return NewCommentForm(data, questions=questions, initial=initial)


def _clause(request, consultation, number=None):
    """One clause (or, without a number, the whole draft): its comments and the form."""
    services.member_facts(request.user)  # one query for all the member's facts
    context = _base_context(request, consultation)
    state = context["state"]
    if state == "upcoming":
        raise Http404
    clause = None
    comments = Comment.objects.filter(consultation=consultation)
    if number is not None:
        if state == "closed":
            # As it read when the consultation closed, not as revised since.
            found = services.clauses_at_closing(consultation, number=number)
            clause = found[-1] if found else None
        else:
            clause = Clause.objects.filter(
                consultation=consultation, number=number, is_current=True
            ).first()
        if clause is None:
            raise Http404
        comments = comments.filter(clause__key=clause.key)
        if state == "closed" and not comments.readable_by(request.user).exists():
            raise Http404  # the draft is no longer open; only commented clauses stay
    else:
        comments = comments.filter(clause=None)
    questions = list(consultation.questions.all())
    form = None
    status = 200
    if request.method == "POST":
        keep_private(request)
        if not services.can_comment(request.user):
            messages.error(
                request, _("Sign in with a verified email address to comment.")
            )
            return HttpResponseRedirect(request.path)
        form = _comment_form(request, consultation, questions, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment = services.post_comment(
                    author=request.user,
                    consultation=consultation,
                    clause_number=clause.number if clause else "",
                    type=data["type"],
                    body=data["body"],
                    replacement=data["replacement"],
                    answers=form.answers(),
                    organisation=data["organisation"],
                    organisation_type=data["organisation_type"],
                    role=data["role"],
                )
            except services.ConsultationError as error:
                form.add_error(None, error.message)
                status = 429 if isinstance(error, services.RateLimited) else 400
            else:
                if comment.status == Comment.Status.HELD:
                    messages.success(
                        request,
                        _(
                            "Thank you. Your comment will appear once a moderator "
                            "has read it (we do this for new members)."
                        ),
                    )
                else:
                    messages.success(
                        request, _("Thank you: your comment is published.")
                    )
                return HttpResponseRedirect(f"{request.path}#{comment.anchor}")
        else:
            status = 400
    elif state == "open" and services.can_comment(request.user):
        form = _comment_form(request, consultation, questions)
    filter_form = CommentFilterForm(request.GET)
    page_obj = Paginator(
        comments.readable_by(request.user)
        .filter(**filter_form.filters())
        .select_related("clause", "response")
        .order_by("created_at", "pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    context.update(
        clause=clause,
        form=form,
        filter_form=filter_form,
        page_obj=page_obj,
        comments=page_obj.object_list,
        questions=questions,
        question_texts={str(q.pk): q.text for q in questions},
        signed_in=request.user.is_authenticated,
        show_responses=consultation.disposition_published or context["can_respond"],
    )
    return _render(request, "clause", context, status)


def _edit(request, consultation, pk):
    keep_private(request)
    comment = (
        Comment.objects.filter(consultation=consultation, pk=pk)
        .select_related("clause")
        .first()
    )
    if comment is None or not request.user.is_authenticated:
        raise Http404
    if comment.author_id != request.user.pk:
        raise Http404
    questions = list(consultation.questions.all())
    context = _base_context(request, consultation)
    back = (
        f"{context['url']}clause/{comment.clause.number}/"
        if comment.clause
        else (f"{context['url']}general/")
    )
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                services.edit_comment(
                    user=request.user,
                    comment=comment,
                    type=form.cleaned_data["type"],
                    body=form.cleaned_data["body"],
                    replacement=form.cleaned_data["replacement"],
                    answers=form.answers(),
                )
            except services.ConsultationError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("Your comment is updated."))
                return HttpResponseRedirect(f"{back}#{comment.anchor}")
        else:
            status = 400
    else:
        initial = {
            "type": comment.type,
            "body": comment.body,
            "replacement": comment.replacement,
            **{f"answer_{key}": value for key, value in comment.answers.items()},
        }
        form = CommentForm(initial=initial, questions=questions)
    if context["state"] != "open" and status == 200:
        form = None  # closed: nothing to edit, the page says so
    context.update(form=form, comment=comment, back=back)
    return _render(request, "edit", context, status)


def _respondable(request, consultation):
    keep_private(request)
    if not services.can_respond(request.user) or not consultation.is_closed:
        raise Http404


def _respond(request, consultation, bound=None, status=200):
    _respondable(request, consultation)
    context = _base_context(request, consultation)
    rows = services.disposition_rows(consultation)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    changed = list(services.next_version_clauses(consultation))
    for comment in page_obj.object_list:
        if bound is not None and bound[0] == comment.pk:
            comment.form = bound[1]
            continue
        response = getattr(comment, "response", None)
        initial = {}
        if response is not None:
            initial = {
                "disposition": response.disposition,
                "reason": response.reason,
                "change": response.change,
                "changed_clause": response.changed_clause_id or "",
            }
        comment.form = ResponseForm(
            initial=initial, prefix=f"c{comment.pk}", clauses=changed
        )
    versions = consultation.page.versions.order_by("-published_at")
    context.update(
        page_obj=page_obj,
        comments=page_obj.object_list,
        waiting=sum(1 for c in rows if not hasattr(c, "response")),
        publish_form=PublishForm(
            versions=versions,
            initial={"next_version": consultation.next_version_id or ""},
        ),
    )
    return _render(request, "respond", context, status)


def _respond_one(request, consultation, pk):
    _respondable(request, consultation)
    if request.method != "POST":
        return HttpResponseRedirect(f"{consultation.get_url(request)}respond/")
    comment = Comment.objects.filter(
        consultation=consultation, pk=pk, status=Comment.Status.PUBLISHED
    ).first()
    if comment is None:
        raise Http404
    form = ResponseForm(
        request.POST,
        prefix=f"c{comment.pk}",
        clauses=services.next_version_clauses(consultation),
    )
    if form.is_valid():
        try:
            services.respond(by=request.user, comment=comment, **form.cleaned_data)
        except services.ConsultationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The response is saved."))
            page = request.GET.get("page", "1")
            return HttpResponseRedirect(
                f"{consultation.get_url(request)}respond/?page={page}#{comment.anchor}"
            )
    return _respond(request, consultation, bound=(comment.pk, form), status=400)


def _publish(request, consultation):
    _respondable(request, consultation)
    if request.method != "POST":
        return HttpResponseRedirect(f"{consultation.get_url(request)}respond/")
    form = PublishForm(request.POST, versions=consultation.page.versions.all())
    if not form.is_valid():
        messages.error(request, _("Choose a version of this document."))
        return HttpResponseRedirect(f"{consultation.get_url(request)}respond/")
    try:
        services.publish_disposition(
            by=request.user, consultation=consultation, next_version=form.version()
        )
    except services.ConsultationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(f"{consultation.get_url(request)}respond/")
    messages.success(request, _("The disposition is published; commenters are told."))
    return HttpResponseRedirect(f"{consultation.get_url(request)}disposition/")


def _disposition_visible(request, consultation):
    if consultation.disposition_published:
        return
    if services.can_respond(request.user) and consultation.is_closed:
        keep_private(request)
        return
    raise Http404


def _disposition(request, consultation):
    _disposition_visible(request, consultation)
    context = _base_context(request, consultation)
    next_version = consultation.next_version
    compare_url = ""
    if next_version is not None:
        next_version.url = consultation.page.version_url(next_version.number, request)
        # The version comparison shows each changed clause with its comments.
        compare_url = (
            consultation.page.get_url(request)
            + consultation.page.reverse_subpage("compare")
            + f"?to={next_version.number}"
        )
    context.update(
        rows=services.disposition_rows(consultation),
        next_version=next_version,
        compare_url=compare_url,
    )
    return _render(request, "disposition", context)


CSV_COLUMNS = [
    _("Clause"),
    _("Clause text commented on"),
    _("Comment"),
    _("Type"),
    _("Organisation"),
    _("Type of organisation"),
    _("Role"),
    _("Commenter"),
    _("Comment text"),
    _("Proposed text"),
    _("Decision"),
    _("Reason"),
    _("Change made"),
]


def _disposition_csv(request, consultation):
    """Every comment, its response and the change, as CSV (formulas neutralised;
    names and organisations only, never an email address)."""
    _disposition_visible(request, consultation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{consultation.page.slug}-{consultation.version}-disposition.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([str(column) for column in CSV_COLUMNS])
    for comment in services.disposition_rows(consultation):
        answer = getattr(comment, "response", None)
        clause = comment.clause
        row = [
            clause.number if clause else _("Whole draft"),
            clause.text if clause else "",
            comment.pk,
            comment.get_type_display(),
            comment.organisation,
            comment.get_organisation_type_display(),
            comment.role,
            comment.author_name,
            comment.body,
            comment.replacement,
            answer.get_disposition_display() if answer else "",
            answer.reason if answer else "",
            _change_made(answer),
        ]
        writer.writerow([neutralise(str(cell)) for cell in row])
    return response


def _change_made(answer):
    """The change as written, or the revised clause the response names."""
    if answer is None:
        return ""
    changed = answer.changed_clause
    if changed is not None and not answer.change:
        return f"{changed.number}: {changed.text}"
    return answer.change


def _disposition_pdf(request, consultation):
    from .consultation_pdf import disposition_pdf

    _disposition_visible(request, consultation)
    url = request.build_absolute_uri(consultation.get_url(request) + "disposition/")
    data = disposition_pdf(
        consultation=consultation,
        rows=services.disposition_rows(consultation),
        url=url,
    )
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{consultation.page.slug}-{consultation.version}-disposition.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _calendar(request, consultation):
    """An .ics reminder of the closing date."""
    from .consultation_calendar import closing_reminder

    response = HttpResponse(
        closing_reminder(consultation, request), content_type="text/calendar"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{consultation.page.slug}-consultation.ics"'
    )
    return response
