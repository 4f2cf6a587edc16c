import hashlib
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms import fragments, http_cache

from . import services
from .emails import user_for_unsubscribe_token
from .forms import (
    DeleteAccountForm,
    FlagForm,
    InviteForm,
    MembershipRequestForm,
    MoveThreadForm,
    PostForm,
    ProfileForm,
    SuspendForm,
    ThreadForm,
)
from .managers import can_read_space, is_moderator
from .models import (
    Invitation,
    Membership,
    Notification,
    Post,
    Profile,
    Reaction,
    ReadState,
    Space,
    SpaceWatch,
    Thread,
    ThreadWatch,
    WorkingGroup,
)
from .templatetags.community_tags import member_name

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 20
MEMBERS_PER_PAGE = 30


def _visible_space(request, slug):
    return get_object_or_404(Space.objects.visible_to(request.user), slug=slug)


def _visible_thread(request, pk):
    return get_object_or_404(
        Thread.objects.visible_to(request.user).select_related("space__working_group"),
        pk=pk,
    )


def _bad_request(request, template, context):
    return render(request, template, context, status=400)


def index(request):
    http_cache.cache_publicly(request, "community")
    spaces = (
        Space.objects.visible_to(request.user)
        .select_related("working_group")
        .annotate(thread_count=Count("threads"))
    )
    return render(
        request,
        "community/index.html",
        {
            "spaces": spaces,
            "working_groups": WorkingGroup.objects.all(),
        },
    )


def space_detail(request, slug):
    space = _visible_space(request, slug)
    if space.visibility == Space.Visibility.PUBLIC:
        http_cache.cache_publicly(request, "community", f"space-{space.pk}")
    threads = space.threads.select_related("author__community_profile").order_by(
        "-is_pinned", "-last_activity_at", "-pk"
    )
    watching = False
    if request.user.is_authenticated:
        threads = threads.annotate(
            is_read=Exists(
                ReadState.objects.filter(
                    thread=OuterRef("pk"),
                    user=request.user,
                    last_read_at__gte=OuterRef("last_activity_at"),
                )
            )
        )
        watching = SpaceWatch.objects.filter(space=space, user=request.user).exists()
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/space.html",
        {
            "space": space,
            "page_obj": page,
            "threads": page.object_list,
            "can_post": services.can_post_in(request.user, space, readable=True),
            "watching": watching,
        },
    )


def _thread_posts(request, thread):
    # Likes are counted in a subquery, not a join: the page's count of posts
    # then needs neither the reactions nor a GROUP BY.
    likes = (
        Reaction.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    posts = (
        Post.objects.of_readable_thread(thread, request.user)
        .select_related("author__community_profile")
        .annotate(like_count=Coalesce(Subquery(likes), 0))
        .order_by("created_at", "pk")
    )
    if request.user.is_authenticated:
        posts = posts.annotate(
            liked=Exists(
                Reaction.objects.filter(post=OuterRef("pk"), user=request.user)
            )
        )
    return posts


def _page_of_posts(request, thread):
    """The page of posts asked for, loaded in a fixed number of queries."""
    paginator = Paginator(_thread_posts(request, thread), POSTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _keep_post_html(page.object_list)
    return page


def _keep_post_html(posts):
    """Give each post its header and text as HTML (`post.content_html`, from
    community/_post_content.html), kept in the cache.

    That part is the same for every reader: it is kept under a digest of all
    it shows (the language, the post's dates and text, whether it is hidden,
    its author's name and username), so an edit, a hiding or a new name is a
    new key and nothing needs forgetting. Which posts a reader sees is decided
    before, from the database; what is per reader (likes, their own actions)
    is rendered around it on each request. One round trip to the cache for
    the page's posts.
    """
    language = translation.get_language()
    zone = timezone.get_current_timezone_name()
    keyed = {}
    for post in posts:
        author = post.author
        facts = (
            post.pk,
            language,
            zone,
            post.created_at,
            post.edited_at,
            post.hidden_at is not None,
            author.get_username() if author else None,
            member_name(author),
            post.body_html,
        )
        digest = hashlib.md5(repr(facts).encode(), usedforsecurity=False)
        keyed[f"post-html:{digest.hexdigest()}"] = post
    kept = cache.get_many(list(keyed)) if keyed else {}
    made = {}
    for key, post in keyed.items():
        html = kept.get(key)
        if html is None:
            html = made[key] = render_to_string(
                "community/_post_content.html", {"post": post}
            )
        post.content_html = mark_safe(html)  # noqa: S308 - our own template's
    if made:
        cache.set_many(made, fragments.TIMEOUT)


def _handle_post_form(request, form, on_valid, template, context):
    """Preview or save a post form; on refusal keep the text in the form."""
    if not form.is_valid():
        return _bad_request(request, template, context)
    if "preview" in request.POST:
        context["preview_html"] = services.preview(form.cleaned_data["body"])
        return render(request, template, context)
    try:
        return on_valid(form.cleaned_data)
    except services.CommunityError as exc:
        form.add_error(None, exc.message)
        return _bad_request(request, template, context)


def thread_detail(request, pk):
    user = request.user
    # Found by its key, then its space is checked (can_read_space): the same
    # rule as Thread.objects.visible_to, without joining memberships here.
    threads = Thread.objects.select_related("space__working_group")
    if user.is_authenticated:
        # The member's read marker and watch come with the thread, not after it.
        threads = threads.annotate(
            last_read_at=Subquery(
                ReadState.objects.filter(thread=OuterRef("pk"), user=user).values(
                    "last_read_at"
                )[:1]
            ),
            watching=Exists(
                ThreadWatch.objects.filter(thread=OuterRef("pk"), user=user)
            ),
            group_member=Exists(
                Membership.objects.active().filter(
                    working_group=OuterRef("space__working_group"), user=user
                )
            ),
        )
    thread = get_object_or_404(threads, pk=pk)
    group_member = user.is_authenticated and thread.group_member
    if not can_read_space(user, thread.space, group_member=group_member):
        raise Http404
    if thread.space.visibility == Space.Visibility.PUBLIC:
        http_cache.cache_publicly(
            request, "community", f"space-{thread.space_id}", f"thread-{thread.pk}"
        )
    can_decide = bool(thread.space.working_group_id) and (
        is_moderator(user) or group_member
    )
    page = _page_of_posts(request, thread)
    shown = page.object_list
    first_unread = None
    watching = False
    if user.is_authenticated:
        last_read_at = thread.last_read_at
        if last_read_at is None or last_read_at < thread.last_activity_at:
            earlier = Post.objects.of_readable_thread(thread, user)
            if last_read_at is not None:
                unread = earlier.filter(created_at__gt=last_read_at)
                first = unread.order_by("created_at", "pk").first()
                if first is not None:
                    before = earlier.filter(
                        Q(created_at__lt=first.created_at)
                        | Q(created_at=first.created_at, pk__lt=first.pk)
                    ).count()
                    first_unread = {
                        "post": first,
                        "page": before // POSTS_PER_PAGE + 1,
                    }
        if shown and (last_read_at is None or last_read_at < shown[-1].created_at):
            services.mark_read(user=user, thread=thread, until=shown[-1].created_at)
        watching = thread.watching
    form = PostForm(request.POST or None)
    context = {
        "space": thread.space,
        "thread": thread,
        "page_obj": page,
        "posts": shown,
        "decision": thread.decision
        if thread.decision_id and thread.decision.is_visible
        else None,
        "form": form,
        "can_post": services.can_post_in(user, thread.space, readable=True)
        and (not thread.is_locked or is_moderator(user)),
        "can_decide": can_decide,
        "is_moderator": is_moderator(user),
        "first_unread": first_unread,
        "watching": watching,
    }
    if is_moderator(user):
        context["move_form"] = MoveThreadForm(initial={"space": thread.space})
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")

        def save(data):
            post = services.reply(author=user, thread=thread, body=data["body"])
            messages.success(request, _("Your reply has been posted."))
            return redirect(post.get_absolute_url())

        return _handle_post_form(request, form, save, "community/thread.html", context)
    return render(request, "community/thread.html", context)


def post_permalink(request, pk):
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("thread"), pk=pk
    )
    before = (
        Post.objects.visible_to(request.user)
        .filter(thread_id=post.thread_id)
        .filter(
            Q(created_at__lt=post.created_at)
            | Q(created_at=post.created_at, pk__lt=post.pk)
        )
        .count()
    )
    page = before // POSTS_PER_PAGE + 1
    suffix = f"?page={page}" if page > 1 else ""
    return redirect(f"{post.thread.get_absolute_url()}{suffix}#post-{post.pk}")


@login_required
def new_thread(request, slug):
    space = _visible_space(request, slug)
    if not services.can_post_in(request.user, space, readable=True):
        raise Http404
    form = ThreadForm(request.POST or None)
    context = {"space": space, "form": form}
    if request.method == "POST":

        def save(data):
            thread = services.create_thread(
                author=request.user,
                space=space,
                title=data["title"],
                body=data["body"],
            )
            messages.success(request, _("Your thread has been started."))
            return redirect(thread.get_absolute_url())

        return _handle_post_form(
            request, form, save, "community/new_thread.html", context
        )
    return render(request, "community/new_thread.html", context)


def _own_post(request, pk):
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("thread__space"), pk=pk
    )
    if post.author_id != request.user.pk:
        raise Http404
    return post


@login_required
def edit_post(request, pk):
    post = _own_post(request, pk)
    form = PostForm(request.POST or None, initial={"body": post.body})
    context = {"post": post, "thread": post.thread, "form": form}
    if request.method == "POST":

        def save(data):
            services.edit_post(user=request.user, post=post, body=data["body"])
            messages.success(request, _("Your post has been updated."))
            return redirect(post.get_absolute_url())

        return _handle_post_form(
            request, form, save, "community/edit_post.html", context
        )
    return render(request, "community/edit_post.html", context)


@login_required
def delete_post(request, pk):
    post = _own_post(request, pk)
    if request.method == "POST":
        services.delete_post(user=request.user, post=post)
        messages.success(request, _("Your post has been deleted."))
        return redirect(post.thread.get_absolute_url())
    return render(request, "community/delete_post.html", {"post": post})


def post_history(request, pk):
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related(
            "thread__space", "author__community_profile"
        ),
        pk=pk,
    )
    return render(
        request,
        "community/post_history.html",
        {"post": post, "revisions": post.revisions.all()},
    )


@login_required
@require_POST
def like_post(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    try:
        services.toggle_like(user=request.user, post=post)
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    return redirect(post.get_absolute_url())


@login_required
def flag_post(request, pk):
    post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("thread"), pk=pk
    )
    form = FlagForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag_post(
                    user=request.user, post=post, reason=form.cleaned_data["reason"]
                )
            except services.CommunityError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Thank you. The moderators will review this post.")
                )
                return redirect(post.get_absolute_url())
        return _bad_request(
            request, "community/flag_post.html", {"post": post, "form": form}
        )
    return render(request, "community/flag_post.html", {"post": post, "form": form})


@login_required
@require_POST
def mark_decision(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    try:
        services.mark_decision(user=request.user, post=post)
        messages.success(request, _("Marked as the thread's decision."))
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def watch_thread(request, pk):
    thread = _visible_thread(request, pk)
    watching = request.POST.get("watch") == "1"
    services.set_watch(user=request.user, target=thread, watching=watching)
    messages.success(
        request,
        _("You are watching this thread.")
        if watching
        else _("You no longer watch this thread."),
    )
    return redirect(thread.get_absolute_url())


@login_required
@require_POST
def watch_space(request, slug):
    space = _visible_space(request, slug)
    watching = request.POST.get("watch") == "1"
    services.set_watch(user=request.user, target=space, watching=watching)
    messages.success(
        request,
        _("You will hear about new threads in this space.")
        if watching
        else _("You no longer watch this space."),
    )
    return redirect(space.get_absolute_url())


@login_required
@require_POST
def moderate_thread(request, pk):
    thread = _visible_thread(request, pk)
    if not is_moderator(request.user):
        raise Http404
    action = request.POST.get("action")
    try:
        if action in {"pin", "unpin"}:
            services.set_thread_state(
                moderator=request.user, thread=thread, pinned=action == "pin"
            )
        elif action in {"lock", "unlock"}:
            services.set_thread_state(
                moderator=request.user, thread=thread, locked=action == "lock"
            )
        elif action == "move":
            form = MoveThreadForm(request.POST)
            if not form.is_valid():
                raise services.CommunityError(_("Choose a space to move it to."))
            services.move_thread(
                moderator=request.user, thread=thread, space=form.cleaned_data["space"]
            )
        else:
            raise services.CommunityError(_("Unknown action."))
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The thread has been updated."))
    return redirect(thread.get_absolute_url())


def search(request):
    """Discussions are searched by the site search, filtered to them: one
    search, asking community's own rules who may read what."""
    params = {"kind": "discussions"}
    query = request.GET.get("q", "").strip()[:200]
    if query:
        params["q"] = query
    return redirect(f"{reverse('search:search')}?{urlencode(params)}")


# --- Members ---------------------------------------------------------------


@login_required
def directory(request):
    query = request.GET.get("q", "").strip()[:100]
    profiles = Profile.objects.filter(user__is_active=True).select_related("user")
    if query:
        profiles = profiles.filter(
            Q(display_name__icontains=query)
            | Q(organisation__icontains=query)
            | Q(sector__icontains=query)
            | Q(role__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__username__icontains=query)
        )
    profiles = profiles.order_by("display_name", "user__username")
    page = Paginator(profiles, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/directory.html",
        {"query": query, "page_obj": page, "profiles": page.object_list},
    )


def _visible_profile(request, username):
    """The member's profile if this visitor may see it, else 404."""
    User = get_user_model()
    member = get_object_or_404(
        User.objects.select_related("community_profile"),
        username=username,
        is_active=True,
    )
    profile = services.profile_for(member)
    if (
        profile.visibility != Profile.Visibility.PUBLIC
        and not request.user.is_authenticated
    ):
        raise Http404
    return member, profile


def avatar(request, username):
    """The avatar image, with the same visibility as the profile."""
    _member, profile = _visible_profile(request, username)
    if not profile.avatar:
        raise Http404
    response = FileResponse(profile.avatar.open("rb"))
    response["Cache-Control"] = (
        "public, max-age=3600"
        if profile.visibility == Profile.Visibility.PUBLIC
        else "private, max-age=3600"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def profile(request, username):
    member, profile = _visible_profile(request, username)
    return render(
        request,
        "community/profile.html",
        {
            "member": member,
            "profile": profile,
            "working_groups": services.working_groups_of(member),
            "suspend_form": SuspendForm(initial={"days": 7})
            if is_moderator(request.user)
            else None,
        },
    )


@login_required
@require_POST
def suspend_member(request, username):
    if not is_moderator(request.user):
        raise Http404
    member = get_object_or_404(get_user_model(), username=username, is_active=True)
    form = SuspendForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CommunityError(
                _("Enter a number of days between 0 and 3650.")
            )
        services.suspend_member(
            moderator=request.user,
            member=member,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
        )
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The member's posting rights have been updated."))
    return redirect("community:profile", username=username)


@login_required
def edit_profile(request):
    profile = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("community:edit_profile")
        return _bad_request(request, "community/edit_profile.html", {"form": form})
    return render(request, "community/edit_profile.html", {"form": form})


@login_required
def notifications(request):
    items = list(
        Notification.objects.filter(
            user=request.user,
            post__in=Post.objects.visible_to(request.user),
        ).select_related("post__thread__space", "post__author__community_profile")[:100]
    )
    unread = [n.pk for n in items if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(
        request,
        "community/notifications.html",
        {"notifications": items, "unread": set(unread)},
    )


@login_required
def export_data(request):
    data = services.export_member_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, default=str, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-community-data.json"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            services.delete_account(user=user)
            messages.success(request, _("Your account has been deleted."))
            return redirect("/")
        return _bad_request(request, "community/delete_account.html", {"form": form})
    return render(request, "community/delete_account.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients POST it (RFC 8058)
def unsubscribe(request, token):
    user_id = user_for_unsubscribe_token(token)
    profile = Profile.objects.filter(user_id=user_id).first() if user_id else None
    if profile is None:
        return render(
            request, "community/unsubscribe.html", {"invalid": True}, status=400
        )
    if request.method == "POST":
        profile.email_preference = Profile.EmailPreference.NONE
        profile.save(update_fields=["email_preference"])
        return render(request, "community/unsubscribe.html", {"done": True})
    return render(request, "community/unsubscribe.html", {"token": token})


# --- Working groups --------------------------------------------------------


def working_group(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    user = request.user
    membership = (
        Membership.objects.filter(working_group=group, user=user).first()
        if user.is_authenticated
        else None
    )
    chair = services.is_chair(user, group)
    members = (
        group.memberships.active()
        .select_related("user__community_profile")
        .order_by("-is_chair", "user__community_profile__display_name")
        if user.is_authenticated
        else Membership.objects.none()
    )
    context = {
        "group": group,
        "membership": membership,
        "is_chair": chair,
        "can_appoint": services.can_appoint_chairs(user),
        "members": members,
        "chairs": group.memberships.active()
        .filter(is_chair=True)
        .select_related("user__community_profile"),
        "spaces": Space.objects.visible_to(user).filter(working_group=group),
        "request_form": MembershipRequestForm(),
        "invite_form": InviteForm(),
    }
    if chair:
        context["requests"] = group.memberships.filter(
            status=Membership.Status.REQUESTED
        ).select_related("user__community_profile")
    return render(request, "community/working_group.html", context)


@login_required
@require_POST
def join_working_group(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    form = MembershipRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.request_membership(
            user=request.user, working_group=group, message=message
        )
        messages.success(
            request, _("Your request has been sent to the working group's chairs.")
        )
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    return redirect(group.get_absolute_url())


@login_required
@require_POST
def manage_membership(request, slug, pk):
    group = get_object_or_404(WorkingGroup, slug=slug)
    membership = get_object_or_404(Membership, working_group=group, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.approve_membership(approver=request.user, membership=membership)
            messages.success(request, _("The member has been approved."))
        elif action == "remove":
            services.remove_membership(by=request.user, membership=membership)
            messages.success(request, _("The membership has been removed."))
        elif action in {"chair", "unchair"}:
            services.set_chair(
                by=request.user, membership=membership, chair=action == "chair"
            )
            messages.success(request, _("The chairs have been updated."))
        else:
            raise services.CommunityError(_("Unknown action."))
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    return redirect(group.get_absolute_url())


@login_required
@require_POST
def invite_member(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address to invite."))
        return redirect(group.get_absolute_url())
    try:
        services.invite(
            inviter=request.user, working_group=group, email=form.cleaned_data["email"]
        )
        messages.success(request, _("The invitation has been sent."))
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    return redirect(group.get_absolute_url())


@login_required
def accept_invitation(request, token):
    try:
        invitation_id = signing.loads(token, salt="community.invitation")
    except signing.BadSignature:
        raise Http404 from None
    invitation = get_object_or_404(
        Invitation.objects.select_related("working_group"), pk=invitation_id
    )
    if request.method == "POST":
        try:
            services.accept_invitation(user=request.user, invitation=invitation)
        except services.CommunityError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Welcome to the %(group)s.") % {"group": invitation.working_group},
            )
            return redirect(invitation.working_group.get_absolute_url())
    return render(
        request, "community/accept_invitation.html", {"invitation": invitation}
    )
