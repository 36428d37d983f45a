from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import http_errors
from core.errors import DomainError, Invalid
from core.permissions import may

from . import privacy, second_factor, selectors
from .forms import AccountDeleteForm, RoleProposalForm, SecondFactorForm, SignUpForm
from .models import RoleGrant, User
from .services import (
    email_verification_send,
    email_verify,
    role_grant_confirm,
    role_grant_propose,
    role_grant_revoke,
    user_signup,
)


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None, initial={"preferred_language": get_language()})
    if request.method == "POST" and form.is_valid():
        user = user_signup(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            preferred_language=form.cleaned_data["preferred_language"],
            site_url=_site_url(request),
        )
        login(request, user, backend="accounts.backends.RolesWithUserBackend")
        messages.success(
            request,
            _("Welcome! We sent a confirmation link to %(email)s. Open it to take part.")
            % {"email": user.email},
        )
        return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    verified = user is not None and email_verify(user=user, token=token)
    return render(
        request,
        "accounts/verify_email.html",
        {"verified": verified},
        status=200 if verified else 400,
    )


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    if not request.user.email_verified and request.user.email:
        email_verification_send(user=request.user, site_url=_site_url(request))
        messages.success(request, _("We sent a new confirmation link."))
    return redirect("accounts:profile")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "languages": settings.LANGUAGES,
            "staff": second_factor.needs_second_factor(request.user),
            "supervisor": may(request.user, "accounts.grant_roles"),
            "has_second_factor": second_factor.has_device(request.user),
        },
    )


def _office_supervisor(request: HttpRequest) -> None:
    if not may(request.user, "accounts.grant_roles"):
        raise Http404


@login_required
def office_roles(request: HttpRequest) -> HttpResponse:
    """The office's roles page: open grants and proposals, the security log, and
    a form to propose someone. Only supervisors; everyone else gets 404."""
    _office_supervisor(request)
    form = RoleProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_grant_propose(
                actor=request.user,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except Invalid as error:
            http_errors.add_to_form(form, error)
        else:
            messages.success(request, _("Proposed. A different supervisor must confirm it."))
            return redirect("accounts:office-roles")
    return render(
        request,
        "accounts/office_roles.html",
        {
            "form": form,
            "grants": selectors.role_grants_open(),
            "events": selectors.security_log(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def office_role_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _office_supervisor(request)
    grant = get_object_or_404(RoleGrant, pk=pk, revoked_at__isnull=True)
    try:
        if action == "confirm":
            role_grant_confirm(actor=request.user, grant=grant)
            messages.success(request, _("Confirmed. The role now takes effect."))
        elif action == "revoke":
            role_grant_revoke(actor=request.user, grant=grant)
            messages.success(request, _("Removed."))
        else:
            raise Http404
    except DomainError as error:
        return http_errors.answer(request, error, back=reverse("accounts:office-roles"))
    return redirect("accounts:office-roles")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:profile")


@login_required
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code (inline SVG) and the secret in text,
    then a first code confirms it and the recovery codes are shown once."""
    if second_factor.has_device(request.user):
        if second_factor.is_verified(request):
            messages.info(request, _("Your second factor is already set up."))
            return redirect("accounts:profile")
        return redirect(f"{reverse('accounts:second-factor-verify')}?{request.GET.urlencode()}")
    device = second_factor.enrolment_device(request.user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.second_factor_confirm(
            request=request, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            return render(
                request,
                "accounts/second_factor_codes.html",
                {"codes": codes, "next": _safe_next(request)},
            )
        form.add_error("token", _("This code is not right. Enter the code the app shows now."))
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "qr_svg": mark_safe(second_factor.qr_svg(device)),  # noqa: S308 - made by qrcode, no user text
            "secret": second_factor.secret_text(device),
            "next": _safe_next(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_device(request.user):
        return redirect(f"{reverse('accounts:second-factor')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.second_factor_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not right. Try again, or use a recovery code."))
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """The same JSON as GET /api/v1/me/data, as a file to keep."""
    from django.http import JsonResponse

    response = JsonResponse(
        privacy.account_data(user=request.user), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.account_delete(user=request.user, password=form.cleaned_data["password"])
        except Invalid as error:
            http_errors.add_to_form(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. We sent a confirmation."))
            return redirect("/")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
