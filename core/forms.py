from django import forms

from .models import Frequency, PreferenceKind


class PreferencesForm(forms.Form):
    """One choice of how often per kind of news."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in PreferenceKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Frequency.choices, widget=forms.RadioSelect
            )
