"""Petition pages. Thin: check, call one service or selector, render.
Everything works without JavaScript (plain GET and POST forms)."""

import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm import ConcurrentTransition

from core import http_errors
from core.errors import Invalid, Refused
from core.permissions import may
from moderation.services import may_moderate

from . import selectors, services
from .forms import AnswerForm, ListForm, ModerationForm, PetitionForm, SignForm
from .models import Petition

PER_PAGE = 20
EDITABLE_TEXT = ("title", "action", "background")

TAB_LABELS = {
    "open": Petition.Status.OPEN.label,
    "awaiting_response": Petition.Status.AWAITING_RESPONSE.label,
    "answered": Petition.Status.ANSWERED.label,
    "closed": Petition.Status.CLOSED.label,
}


def petition_url(petition: Petition) -> str:
    return reverse("petitions:detail", kwargs={"pk": petition.pk})


def _refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "petitions/refused.html", {"message": message}, status=status)


def _back_to_petition(request: HttpRequest, petition: Petition, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("petitions:detail", pk=petition.pk)


def _moved_on(request: HttpRequest, petition: Petition) -> HttpResponse:
    return _back_to_petition(
        request,
        petition,
        _(
            "This petition has changed in the meantime, so nothing was done. "
            "Check it and try again."
        ),
    )


def _sign_refusal_message(user) -> str:
    if not user.email_verified:
        return _(
            "Confirm your e-mail address before you sign or start a petition. "
            "You can send the confirmation link again from your account page."
        )
    return _("Only residents can sign or start petitions.")


def petition_list(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET or None)
    tab, search, sort = form.values()
    queryset = selectors.petition_public_list(tab=tab, search=search, sort=sort)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    tabs = [
        {"code": code, "label": label, "current": code == tab} for code, label in TAB_LABELS.items()
    ]
    return render(
        request,
        "petitions/petition_list.html",
        {
            "page_obj": page,
            "form": form,
            "tabs": tabs,
            "tab": tab,
            "tab_label": TAB_LABELS.get(tab, ""),
            "search": search,
            "sort": sort,
        },
    )


def _detail_context(request: HttpRequest, petition: Petition, **overrides) -> dict:
    user = request.user
    is_creator = may(user, "petitions.edit", petition)
    context = {
        "petition": petition,
        "signature": selectors.signature_of(petition=petition, user=user),
        "named_signers": selectors.signature_named_recent(petition=petition),
        "sign_form": SignForm(),
        # Say up front why someone signed in cannot sign, instead of a form that fails.
        "sign_refusal": _sign_refusal_message(user)
        if user.is_authenticated and not may(user, "petitions.sign", petition)
        else "",
        "is_creator": is_creator,
        "can_edit": is_creator and petition.is_editable,
        "can_moderate": petition.status == Petition.Status.AWAITING_MODERATION
        and may(user, "petitions.moderate", petition),
        "can_answer": petition.status == Petition.Status.AWAITING_RESPONSE
        and may(user, "petitions.answer", petition),
        "can_submit": may(user, "petitions.submit", petition),
        "moderation_form": ModerationForm(),
        # Reports and hiding: moderation's one way for every type.
        "is_moderator": may_moderate(user),
        "may_report": user.is_authenticated and petition.is_published,
    }
    context.update(overrides)
    return context


def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get_for(user=request.user, pk=pk)
    if petition.is_hidden and not may_moderate(request.user):
        # Like a hidden comment: the place stays, with the reason in words.
        return render(request, "petitions/petition_hidden.html", {"petition": petition})
    return render(request, "petitions/petition_detail.html", _detail_context(request, petition))


@login_required
@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "petitions.create"):
        return _refused(request, _sign_refusal_message(request.user))
    form = PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_create(creator=request.user, **form.cleaned_data)
        except Invalid as error:
            http_errors.add_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your petition is saved as a draft. "
                    "Read it once more, then send it to the moderators."
                ),
            )
            return redirect("petitions:detail", pk=petition.pk)
    return render(request, "petitions/petition_form.html", {"form": form})


def _not_editable(request: HttpRequest, petition: Petition) -> HttpResponse:
    return _back_to_petition(
        request,
        petition,
        _(
            "This petition was already sent to the moderators, so it can no longer be "
            "changed. Only a draft can be changed."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def petition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get_for(user=request.user, pk=pk)
    # Anyone but the creator gets the same 404 as for a petition that does not exist.
    if petition.creator_id != request.user.pk:
        raise Http404
    if not petition.is_editable:
        return _not_editable(request, petition)
    # Stored text is sanitised HTML text ("Tom &amp; Jerry"); the author edits their own words.
    form = PetitionForm(
        request.POST or None,
        initial={name: html.unescape(getattr(petition, name)) for name in EDITABLE_TEXT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_update(petition=petition, user=request.user, **form.cleaned_data)
        except Invalid as error:
            http_errors.add_to_form(form, error)
        except services.PetitionNotEditable as error:
            return http_errors.answer(request, error, back=petition_url(petition))
        else:
            messages.success(
                request,
                _("Your changes are saved. The petition is still a draft until you send it."),
            )
            return redirect("petitions:detail", pk=petition.pk)
    return render(request, "petitions/petition_form.html", {"form": form, "petition": petition})


@login_required
@require_POST
def petition_submit(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get_for(user=request.user, pk=pk)
    try:
        services.petition_submit(petition=petition, user=request.user)
    except Refused:
        raise Http404 from None
    except (services.TransitionRefused, ConcurrentTransition):
        return _moved_on(request, petition)
    messages.success(
        request, _("Your petition was sent to the moderators. We will tell you their decision.")
    )
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_POST
def petition_sign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get_for(user=request.user, pk=pk)
    form = SignForm(request.POST)
    show_name = form.is_valid() and form.cleaned_data["show_name"]
    try:
        result = services.petition_sign(petition=petition, user=request.user, show_name=show_name)
    except Refused:
        return _refused(request, _sign_refusal_message(request.user))
    except services.PetitionClosed as error:
        return http_errors.answer(request, error, back=petition_url(petition))
    if result.created:
        messages.success(request, _("Thank you. Your signature is counted."))
    else:
        messages.info(request, _("You have already signed this petition. Nothing changed."))
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_POST
def petition_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_get_for(user=request.user, pk=pk)
    try:
        services.petition_withdraw_signature(petition=petition, user=request.user)
    except services.PetitionClosed as error:
        return http_errors.answer(request, error, back=petition_url(petition))
    messages.success(request, _("Your signature was withdrawn."))
    return redirect("petitions:detail", pk=petition.pk)


@login_required
def petition_mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.petition_list_for_creator(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "petitions/petition_mine.html", {"page_obj": page})


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "petitions.moderate"):
        raise Http404
    page = Paginator(selectors.petition_moderation_queue(), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "petitions/moderation_queue.html", {"page_obj": page})


@login_required
@require_POST
def petition_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    if not may(request.user, "petitions.moderate"):
        raise Http404
    petition = selectors.petition_get_for(user=request.user, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "petitions/petition_detail.html",
            _detail_context(request, petition, moderation_form=form),
            status=400,
        )
    data = form.cleaned_data
    try:
        if data["decision"] == "publish":
            services.petition_publish(petition=petition, user=request.user)
            messages.success(request, _("The petition is published."))
        else:
            services.petition_reject(
                petition=petition, user=request.user, reason=data["reason"], note=data["note"]
            )
            messages.success(request, _("The petition is rejected. The creator was told why."))
    except (services.TransitionRefused, ConcurrentTransition):
        return _moved_on(request, petition)
    return redirect("petitions:moderation")


@login_required
@require_http_methods(["GET", "POST"])
def petition_answer(request: HttpRequest, pk: int) -> HttpResponse:
    if not may(request.user, "petitions.answer"):
        raise Http404
    petition = selectors.petition_get_for(user=request.user, pk=pk)
    if petition.status != Petition.Status.AWAITING_RESPONSE:
        return _moved_on(request, petition)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_answer(
                petition=petition, user=request.user, answer=form.cleaned_data["answer"]
            )
        except Invalid as error:
            form.add_error("answer", [str(e["message"]) for e in error.errors] or str(error))
        except (services.TransitionRefused, ConcurrentTransition):
            return _moved_on(request, petition)
        else:
            messages.success(request, _("The answer is published. Every signer will be told."))
            return redirect("petitions:detail", pk=petition.pk)
    return render(request, "petitions/petition_answer.html", {"petition": petition, "form": form})
