"""HTML views. Thin: check access, call one service or selector, render.
Every page works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import http_errors
from core.errors import DomainError, Invalid
from core.permissions import may
from moderation import views as moderation_views

from . import exports, selectors, services
from .forms import AnswerForm, CommentEditForm, CommentForm, ProposalForm, ReasonForm
from .models import Comment, Proposal
from .page_context import PAGE_COMMENTS


def index(request: HttpRequest) -> HttpResponse:
    """The nav's "Consultations": the index page in this language, or a plain list."""
    index_page = selectors.index_page_for(language=get_language())
    if index_page is not None:
        if index_page.url != request.path:
            return redirect(index_page.url)
        # This URL shadows an index page with the slug "consultations": serve it here.
        return index_page.serve(request)
    pages = selectors.consultation_list(language=get_language())
    return render(request, "consultations/index_list.html", {"consultations": pages})


def _form_page(
    request,
    *,
    form,
    title: str,
    submit: str,
    context: dict | None = None,
    template: str = "consultations/form_page.html",
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "title": title, "submit": submit, **(context or {})},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.consultation_get(pk=pk)
    parent = None
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    if parent_id:
        try:
            parent = selectors.comment_get(pk=int(parent_id))
        except ValueError:
            raise Http404 from None
    form = CommentForm(request.POST or None, sections=page.sections(), show_section=parent is None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_create(
                page=page,
                author=request.user,
                body=form.cleaned_data["body"],
                section=form.cleaned_data.get("section", ""),
                parent=parent,
                stance=form.cleaned_data["stance"],
                language=get_language() or "",
            )
        except DomainError as error:
            refused = http_errors.answer(request, error, form=form, back=page.url)
            if refused is not None:
                return refused
        else:
            messages.success(request, _("Thank you. Your comment is published."))
            if parent is not None:
                return redirect(
                    reverse("consultations:comment_thread", args=[parent.pk])
                    + f"#comment-{comment.pk}"
                )
            return redirect(f"{page.url}#comment-{comment.pk}")
    return _form_page(
        request,
        form=form,
        title=_("Reply") if parent else _("Comment on the draft"),
        submit=_("Publish comment"),
        context={
            "page_obj_parent": parent,
            "consultation": page,
            "parent_id": parent.pk if parent else "",
        },
    )


def comment_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment and its replies (one page of them), with a reply form."""
    comment = selectors.comment_get(pk=pk)
    page = selectors.page_for_discussion(discussion=comment.discussion, language=get_language())
    try:
        replies = selectors.comment_page(
            discussion=comment.discussion,
            parent=comment.pk,
            order="oldest",
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_COMMENTS,
        )
    except Invalid:
        raise Http404 from None
    user = request.user
    may_reply = bool(
        may(user, "consultations.participate")
        and page.is_open
        and comment.is_visible
        and comment.depth < services.MAX_DEPTH
    )
    comment.section_title = page.section_title(comment.section)
    return render(
        request,
        "consultations/comment_thread.html",
        {
            "comment": comment,
            "consultation": page,
            "replies": replies.items,
            "next_cursor": replies.next_cursor,
            "reply_form": CommentForm(show_section=False) if may_reply else None,
            "is_moderator": may(user, "consultations.moderate"),
        },
    )


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get(pk=pk)
    if not may(request.user, "consultations.edit_comment", comment):
        raise PermissionDenied  # a comment everyone sees: 403, as the API answers
    page = selectors.page_for_discussion(discussion=comment.discussion)
    form = CommentEditForm(
        request.POST or None, initial={"body": comment.body, "stance": comment.stance}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment,
                user=request.user,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
            )
        except DomainError as error:
            back = reverse("consultations:comment_thread", args=[pk])
            refused = http_errors.answer(request, error, form=form, back=back)
            if refused is not None:
                return refused
        else:
            messages.success(request, _("Your comment was changed."))
            return redirect(reverse("consultations:comment_thread", args=[pk]))
    return _form_page(
        request,
        form=form,
        title=_("Change your comment"),
        submit=_("Save"),
        context={"consultation": page},
    )


@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get(pk=pk)
    if not may(request.user, "consultations.delete_comment", comment):
        raise PermissionDenied
    if request.method == "POST":
        services.comment_delete(comment=comment, user=request.user)
        messages.success(request, _("Your comment was deleted."))
        return redirect(reverse("consultations:comment_thread", args=[pk]))
    return render(
        request,
        "consultations/confirm.html",
        {
            "title": _("Delete your comment?"),
            "text": _("Your words will be removed. Replies from others stay in place."),
            "submit": _("Delete comment"),
            "back": reverse("consultations:comment_thread", args=[pk]),
        },
    )


@login_required
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    return moderation_views.report(request, "comment", pk)


@login_required
def proposal_report(request: HttpRequest, pk: int) -> HttpResponse:
    return moderation_views.report(request, "proposal", pk)


@login_required
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.consultation_get(pk=pk)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                page=page,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                language=get_language() or "",
            )
        except DomainError as error:
            refused = http_errors.answer(request, error, form=form, back=page.url)
            if refused is not None:
                return refused
        else:
            messages.success(request, _("Thank you. Your proposal is published."))
            return redirect("consultations:proposal_detail", pk=proposal.pk)
    return _form_page(
        request,
        form=form,
        title=_("Make a proposal"),
        submit=_("Publish proposal"),
        context={"consultation": page},
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(pk=pk, user=request.user)
    page = selectors.page_for_discussion(discussion=proposal.discussion, language=get_language())
    user = request.user
    return render(
        request,
        "consultations/proposal_detail.html",
        {
            "proposal": proposal,
            "consultation": page,
            "may_support": may(user, "consultations.participate") and page.is_open,
            "answer_form": AnswerForm(
                initial={"status": proposal.status, "answer": proposal.answer}
            )
            if may(user, "consultations.answer")
            else None,
            "is_moderator": may(user, "consultations.moderate"),
        },
    )


@login_required
@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(pk=pk)
    back = reverse("consultations:proposal_detail", args=[pk])
    try:
        services.proposal_support(proposal=proposal, user=request.user)
    except DomainError as error:
        return http_errors.answer(request, error, back=back)
    messages.success(request, _("You support this proposal."))
    return redirect(back)


@login_required
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(pk=pk)
    if not may(request.user, "consultations.answer", proposal):
        raise PermissionDenied  # a proposal everyone sees: 403, as the API answers
    form = AnswerForm(
        request.POST or None, initial={"status": proposal.status, "answer": proposal.answer}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_answer(
                proposal=proposal,
                staff=request.user,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
            )
        except Invalid as error:
            http_errors.add_to_form(form, error)
        except DomainError as error:
            return http_errors.answer(
                request, error, back=reverse("consultations:proposal_answer", args=[pk])
            )
        else:
            messages.success(request, _("The answer is published and people were notified."))
            return redirect("consultations:proposal_detail", pk=pk)
    return _form_page(
        request, form=form, title=_("Answer the proposal"), submit=_("Publish answer")
    )


# -- moderation ------------------------------------------------------------


def _moderator_only(request) -> None:
    if not may(request.user, "consultations.moderate"):
        raise Http404


def moderation_queue(request: HttpRequest) -> HttpResponse:
    """The queue moved to moderation (one for every type); old links follow it."""
    return moderation_views.queue(request)


@login_required
def moderate(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """Hide, restore or dismiss reports (moderation's one view); block the author
    here. The comment or proposal is public, so whoever may not moderate gets
    403, as from the API (the queue itself is 404 to them: they may not see it)."""
    if action != "block":
        return moderation_views.act(request, kind, pk, action)
    if kind not in ("comment", "proposal"):
        raise Http404
    target = get_object_or_404(Comment if kind == "comment" else Proposal, pk=pk)
    if not may(request.user, "consultations.moderate", target):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    back = reverse("moderation:queue")
    if request.method == "POST" and form.is_valid():
        try:
            services.author_block(
                moderator=request.user,
                user=target.author,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Done. The decision is recorded."))
        return redirect(back)
    title = _("Stop the author from posting")
    return _form_page(request, form=form, title=title, submit=title, context={"back": back})


@login_required
def my_block(request: HttpRequest) -> HttpResponse:
    block = selectors.posting_block_of(user=request.user)
    return render(request, "consultations/my_block.html", {"posting_block": block})


# -- for the office --------------------------------------------------------


def _staff_page(request, pk: int):
    if not may(request.user, "consultations.export"):
        raise Http404
    return selectors.consultation_get(pk=pk)


@login_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    page = _staff_page(request, pk)
    return render(
        request,
        "consultations/summary.html",
        {"consultation": page, **selectors.consultation_summary(page=page)},
    )


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    page = _staff_page(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    discussion = selectors.discussion_of(page=page)
    if fmt == "csv":
        return exports.csv_response(page=page, discussion=discussion)
    return exports.xlsx_response(page=page, discussion=discussion)


def posting_blocks(request: HttpRequest) -> HttpResponse:
    """Blocks are listed, and lifted, on the one moderation queue."""
    _moderator_only(request)
    return redirect(reverse("moderation:queue") + "#blocks")
