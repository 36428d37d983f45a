from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NOTE_MAX_LENGTH, Reason


class ReasonForm(forms.Form):
    """A report, or a moderator's hide: one reason from the list and a note."""

    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Anything else we should know"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkForm(forms.Form):
    """The queue's form: the ticked items and what to do with all of them."""

    ACTIONS = [
        ("hide", _("Hide with a reason")),
        ("restore", _("Show again")),
        ("dismiss", _("Dismiss the reports")),
    ]

    items = forms.MultipleChoiceField(label=_("Selected items"))
    action = forms.ChoiceField(label=_("What to do"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason (for hiding)"),
        choices=[("", _("Choose a reason")), *Reason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note for the log (and for the author, when hiding)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any "kind:id" value is accepted here; the service checks each one.
        self.fields["items"].choices = [(key, key) for key in keys]
        self.fields["items"].valid_value = lambda value: True  # type: ignore[method-assign]

    def clean(self):
        data = super().clean()
        if data.get("action") == "hide" and not data.get("reason"):
            self.add_error("reason", _("Choose why these items are hidden."))
        return data


class UnblockForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the block lifted?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
