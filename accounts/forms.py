from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm it. We never show it to anyone."),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("The name others see next to what you write."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for e-mails"), choices=settings.LANGUAGES, initial="ko"
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name", "preferred_language")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account already uses this e-mail address. "
                    "Try signing in or resetting your password."
                )
            )
        return email


class LoginForm(AuthenticationForm):
    """Django's login form with autocomplete hints for password managers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending its e-mail through the task queue."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        from django.template import loader

        from core.services import email_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_send(to=to_email, subject=subject, body=body)
