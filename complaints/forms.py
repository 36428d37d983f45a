from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .grounds import GROUND_EXPLANATIONS, FieldOfLife, Ground
from .models import (
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_PHONE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Status,
)
from .selectors import QUEUE_VIEWS

NAMED, ANONYMOUS = "named", "anonymous"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Same name as Django's (templates choose by widget type); the error summary
    links to the first box, since the group itself has no id."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class RadioSelect(forms.RadioSelect):
    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


def ground_choices():
    return [(g.value, format_lazy("{}: {}", g.label, GROUND_EXPLANATIONS[g])) for g in Ground]


# The first page must show its question on a phone's first screen: a short line
# above the choices, the full answer to "who reads it" in a disclosure under them
# (new.html shows IDENTITY_MORE).
IDENTITY_HELP = _(
    "Only the office's caseworkers read it. The other party is not told while the office reads it."
)
IDENTITY_MORE = _(
    "Who reads your complaint: only the Human Rights Ombudsman's caseworkers who handle "
    "complaints and their supervisor. The person or organisation you complain about is not "
    "told while the office reads your complaint. If the office investigates, it asks them for "
    "their side and tells you first; it does not give them your name without asking you."
)


class ComplaintForm(forms.Form):
    # Sent back with the form: a repeated POST (refresh, double click) finds the
    # first complaint instead of filing a second one.
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    # The identity question comes first: what follows depends on it.
    identity = forms.ChoiceField(
        label=_("Do you want to give your name?"),
        help_text=IDENTITY_HELP,
        choices=[
            (NAMED, _("Yes, give my name: the office can contact me and act for me")),
            (ANONYMOUS, _("No, stay anonymous: nobody in the office learns who I am")),
        ],
        widget=RadioSelect,
        error_messages={
            "required": _("Choose whether you want to give your name or stay anonymous.")
        },
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        help_text=_("If you give your name, fill this in. The name you want the office to use."),
        required=False,
        max_length=CONTACT_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address for news about your complaint"),
        help_text=_(
            "The e-mail only says that there is news, never what it is. "
            "If you give your name, give an e-mail address or a phone number."
        ),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Enter your e-mail address in the right form, like name@example.com.")
        },
    )
    contact_phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("For example 010-1234-5678. The office calls only if you gave your name."),
        required=False,
        max_length=CONTACT_PHONE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "Describe in your own words what happened, who was involved and how you were "
            "treated. You do not need to use legal words."
        ),
        # Not kept by the browser: on a shared phone, the next person sees nothing.
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        max_length=DESCRIPTION_MAX_LENGTH,
        error_messages={"required": _("Tell us what happened.")},
    )
    grounds = forms.MultipleChoiceField(
        label=_("Why do you think you were treated this way?"),
        help_text=_("Choose every reason that applies. Often there is more than one."),
        choices=ground_choices,
        widget=CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one reason why you think you were treated this way.")
        },
    )
    field_of_life = forms.ChoiceField(
        label=_("Where did it happen?"),
        choices=FieldOfLife.choices,
        widget=RadioSelect,
        error_messages={"required": _("Choose where it happened.")},
    )
    incident_date = forms.DateField(
        label=_("When did it happen?"),
        help_text=_(
            "If you are not sure of the day, choose an approximate date or leave it empty."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as year, month and day, like 2026-12-01.")},
    )
    location = forms.CharField(
        label=_("Place"),
        help_text=_("For example the name of the shop, office or street."),
        required=False,
        max_length=LOCATION_MAX_LENGTH,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Human Rights Ombudsman stores and uses what I wrote here to handle "
            "my complaint."
        ),
        help_text=_("Your complaint is kept confidential and used for nothing else."),
        error_messages={
            "required": _("Tick the box to agree, so that we can handle your complaint.")
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # Signed in, a named complaint is tied to the account.
            del self.fields["contact_name"]
            del self.fields["contact_phone"]

    def clean_incident_date(self):
        value = self.cleaned_data.get("incident_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_LENGTH
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
    )


class QueueFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[
            ("mine", _("Assigned to me")),
            ("unassigned", _("New and unassigned")),
            ("all", _("All cases")),
            ("overdue", _("Overdue")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    ground = forms.ChoiceField(
        label=pgettext_lazy("ground", "Reason"),
        required=False,
        choices=[("", _("Any reason")), *Ground.choices],
    )
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)

    def __init__(self, *args, supervisor: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not supervisor:
            self.fields["view"].choices = [c for c in self.fields["view"].choices if c[0] == "mine"]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        view = data.get("view") or "mine"
        return {
            "view": view if view in QUEUE_VIEWS else "mine",
            "status": data.get("status") or "",
            "ground": data.get("ground") or "",
            "overdue": bool(data.get("overdue")),
        }


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt number (16 digits)"),
        help_text=_(
            "The 16 digits you got when you sent your complaint. Spaces and dashes do not matter."
        ),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the 16-digit receipt number you got when you sent your complaint.")
        },
    )


class ReceiptSavedForm(forms.Form):
    saved = forms.BooleanField(
        label=_("I have written down or saved my receipt number"),
        error_messages={
            "required": _("Tick the box to confirm you wrote down or saved your receipt number.")
        },
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I want to withdraw my complaint"),
        error_messages={"required": _("Tick the box to confirm that you want to withdraw.")},
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_(
            "PDF, PNG, JPEG or plain text, at most 10 MB. "
            "Photos lose their location and camera data."
        ),
        allow_empty_file=True,  # the service refuses it with its own clear message
    )


# --- the form one question (or small group) per page, GOV.UK style ----------------

STEPS = (
    ("identity", ("identity",)),
    ("contact", ("contact_name", "contact_email", "contact_phone")),
    ("story", ("description", "incident_date", "location")),
    ("grounds", ("grounds",)),
    ("place", ("field_of_life",)),
    ("check", ("consent",)),
)
STEP_NAMES = tuple(name for name, _fields in STEPS)
# Short names for the step indicator (KRDS 단계 표시기).
STEP_LABELS = {
    "identity": pgettext_lazy("complaint form step", "Name"),
    "contact": pgettext_lazy("complaint form step", "Contact"),
    "story": pgettext_lazy("complaint form step", "What happened"),
    "grounds": pgettext_lazy("complaint form step", "Reason"),
    "place": pgettext_lazy("complaint form step", "Place"),
    "check": pgettext_lazy("complaint form step", "Check"),
}
STEP_TITLES = {
    "identity": _("Do you want to give your name?"),
    "contact": _("How can the office reach you?"),
    "story": _("What happened?"),
    "grounds": _("Why do you think you were treated this way?"),
    "place": _("Where did it happen?"),
    "check": _("Check your answers before sending"),
}


class ComplaintStepForm(ComplaintForm):
    """One page of the intake form: ComplaintForm's fields for that step only."""

    def __init__(self, *args, step: str, user=None, anonymous: bool = False, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.step = step
        self.signed_in = bool(user is not None and user.is_authenticated)
        self.anonymous = anonymous
        keep = set(dict(STEPS)[step])
        if step == "contact" and anonymous:
            keep = {"contact_email"}  # anonymous: an e-mail for news, if wanted
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.step == "contact" and not self.anonymous and not self.signed_in:
            # The same rule as the service (complaints.services._clean_contact).
            if not (data.get("contact_name") or "").strip() and "contact_name" not in self.errors:
                self.add_error(
                    "contact_name",
                    _("Tell us your name, so the office knows who you are, or choose anonymous."),
                )
            if (
                not data.get("contact_email")
                and not (data.get("contact_phone") or "").strip()
                and "contact_email" not in self.errors
            ):
                self.add_error(
                    "contact_email",
                    _("Give an e-mail address or a phone number, so the office can reach you."),
                )
        return data
