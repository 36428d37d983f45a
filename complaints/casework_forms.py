"""Forms of the casework workspace added by issue 16 (intake, deadlines,
conflicts, the triage inbox, exports)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .casework_models import REASON_MAX_LENGTH, ConflictKind, DeadlineKind
from .deadlines import EXTEND_MAX_DAYS
from .forms import CheckboxSelectMultiple, RadioSelect
from .grounds import FieldOfLife, Ground
from .intake import ASSISTED_CHANNELS, NAME_MAX_LENGTH, PHONE_MAX_LENGTH
from .models import DESCRIPTION_MAX_LENGTH, LOCATION_MAX_LENGTH, NOTE_MAX_LENGTH, Channel, Status


class IntakeForm(forms.Form):
    """A complaint taken down by the office for someone else."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    channel = forms.ChoiceField(
        label=_("How did the complaint reach the office?"),
        choices=[(c.value, c.label) for c in ASSISTED_CHANNELS],
        widget=RadioSelect,
        initial=Channel.PHONE,
    )
    name = forms.CharField(label=_("The person's name"), max_length=NAME_MAX_LENGTH)
    contact_phone = forms.CharField(
        label=_("Phone number"), required=False, max_length=PHONE_MAX_LENGTH
    )
    contact_email = forms.EmailField(label=_("E-mail address"), required=False)
    consent = forms.BooleanField(
        label=_(
            "The person agreed that the Human Rights Office stores and uses what they told us "
            "to handle their complaint."
        ),
        error_messages={"required": _("Confirm that the person agreed.")},
    )
    description = forms.CharField(
        label=_("What happened, in the person's words"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    grounds = forms.MultipleChoiceField(
        label=pgettext_lazy("ground", "Grounds"),
        choices=Ground.choices,
        widget=CheckboxSelectMultiple,
    )
    field_of_life = forms.ChoiceField(
        label=pgettext_lazy("field of life", "Field of life"),
        choices=FieldOfLife.choices,
        initial=FieldOfLife.OTHER,
    )
    incident_date = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    location = forms.CharField(label=_("Place"), required=False, max_length=LOCATION_MAX_LENGTH)


class PauseForm(forms.Form):
    kind = forms.ChoiceField(choices=DeadlineKind.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why is the clock paused?"),
        help_text=_("For example: waiting for the complainant, waiting for a document."),
        max_length=REASON_MAX_LENGTH,
    )


class ResumeForm(forms.Form):
    kind = forms.ChoiceField(choices=DeadlineKind.choices, widget=forms.HiddenInput)


class ExtendForm(forms.Form):
    kind = forms.ChoiceField(choices=DeadlineKind.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Days to add"), min_value=1, max_value=EXTEND_MAX_DAYS)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(label=_("The party is"), choices=ConflictKind.choices)
    name = forms.CharField(label=_("Name of the organisation or person"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH)


SORTS = {
    "deadline": _("Nearest deadline"),
    "received": _("Newest first"),
    "activity": _("Latest activity"),
}


class InboxFilterForm(forms.Form):
    """The triage inbox's filters (all optional; bad values are dropped)."""

    q = forms.CharField(label=_("Reference"), required=False, max_length=20)
    grounds = forms.MultipleChoiceField(
        label=pgettext_lazy("ground", "Grounds"),
        required=False,
        choices=Ground.choices,
        widget=CheckboxSelectMultiple,
    )
    match = forms.ChoiceField(
        label=_("Cases with"),
        required=False,
        choices=[("any", _("any of these grounds")), ("all", _("all of these grounds"))],
        widget=RadioSelect,
        initial="any",
    )
    field_of_life = forms.ChoiceField(
        label=pgettext_lazy("field of life", "Field of life"),
        required=False,
        choices=[("", _("Any")), *FieldOfLife.choices],
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("complaint status", "Status"),
        required=False,
        choices=[("", _("Any")), *Status.choices],
    )
    caseworker = forms.CharField(label=_("Caseworker"), required=False, max_length=150)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=list(SORTS.items()), initial="deadline"
    )

    def __init__(self, *args, caseworkers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].widget = forms.Select(
            choices=[("", _("Anyone")), *[(u.username, u.get_display_name()) for u in caseworkers]]
        )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "grounds": data.get("grounds") or [],
            "match": data.get("match") or "any",
            "field_of_life": data.get("field_of_life") or "",
            "status": data.get("status") or "",
            "caseworker": data.get("caseworker") or "",
            "channel": data.get("channel") or "",
            "sort": data.get("sort") or "deadline",
        }


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], widget=RadioSelect
    )
    with_narratives = forms.BooleanField(
        label=_("Include what happened (the complainants' own words)"), required=False
    )
    with_contacts = forms.BooleanField(label=_("Include names and contact details"), required=False)
