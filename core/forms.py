from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EMAIL_ONLY_KINDS, Frequency, PreferenceKind


class PreferencesForm(forms.Form):
    """Per kind of news: how often (now, daily, weekly, never) and, for news
    of followed things, through which channels (the notification list,
    e-mail). Plain radio buttons and checkboxes: it works without JavaScript."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in PreferenceKind:
            email_only = kind.value in EMAIL_ONLY_KINDS
            choices = [
                (value, label)
                for value, label in Frequency.choices
                if not email_only or value in (Frequency.NOW, Frequency.NEVER)
            ]
            self.fields[kind.value] = forms.ChoiceField(
                label=_("How often"), choices=choices, widget=forms.RadioSelect
            )
            if not email_only:
                self.fields[f"{kind.value}_in_app"] = forms.BooleanField(
                    label=_("In my notifications on this site"), required=False
                )
                self.fields[f"{kind.value}_email"] = forms.BooleanField(
                    label=_("By e-mail"), required=False
                )

    @staticmethod
    def initial_from(settings: dict[str, dict]) -> dict:
        initial: dict = {}
        for kind, chosen in settings.items():
            initial[kind] = chosen["frequency"]
            initial[f"{kind}_in_app"] = chosen["in_app"]
            initial[f"{kind}_email"] = chosen["email"]
        return initial

    def groups(self) -> list[dict]:
        """One group per kind, for the template: its label and its fields."""
        groups = []
        for kind in PreferenceKind:
            channels = [
                self[name]
                for name in (f"{kind.value}_in_app", f"{kind.value}_email")
                if name in self.fields
            ]
            groups.append(
                {"label": kind.label, "frequency": self[kind.value], "channels": channels}
            )
        return groups

    def choices(self) -> list[dict]:
        """kind -> {"frequency", "in_app"?, "email"?} from the cleaned data."""
        result = []
        for kind in PreferenceKind:
            choice = {"kind": kind.value, "frequency": self.cleaned_data[kind.value]}
            if kind.value not in EMAIL_ONLY_KINDS:
                choice["in_app"] = self.cleaned_data.get(f"{kind.value}_in_app", False)
                choice["email"] = self.cleaned_data.get(f"{kind.value}_email", False)
            result.append(choice)
        return result
