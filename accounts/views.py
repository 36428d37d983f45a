from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import SignUpForm
from .models import User
from .services import email_verification_send, email_verify, user_signup


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
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
        {"languages": settings.LANGUAGES},
    )
