from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ANSWER_MAX_LENGTH, REJECTION_NOTE_MAX_LENGTH, Petition
from .selectors import SORTS, TABS


class PetitionForm(forms.ModelForm):
    class Meta:
        model = Petition
        fields = ["title", "action", "background"]
        labels = {
            "title": _("Title"),
            "action": _("What should the city do?"),
            "background": _("Why? Background and reasons"),
        }
        help_texts = {
            "title": _("One short sentence, for example “Build ramps at the Central Library”."),
            "action": _("Say clearly what you want the city to do."),
            "background": _("Do not name private people or share anyone's personal details."),
        }
        widgets = {
            "action": forms.Textarea(attrs={"rows": 4}),
            "background": forms.Textarea(attrs={"rows": 8}),
        }


class SignForm(forms.Form):
    show_name = forms.BooleanField(
        label=_("Show my name on the petition page"),
        required=False,
        help_text=_(
            "If you leave this unticked, your signature is counted but your name is not shown."
        ),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish the petition")), ("reject", _("Reject the petition"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for rejection"),
        choices=Petition.RejectionReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the creator"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=REJECTION_NOTE_MAX_LENGTH,
        help_text=_("Explain the decision in plain words. The creator sees this note."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Choose a reason when you reject a petition."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Official answer"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("Paragraphs, lists and links are kept. Every signer will be told."),
    )


class ListForm(forms.Form):
    status = forms.ChoiceField(choices=[(t, t) for t in TABS], required=False)
    q = forms.CharField(label=_("Search petitions"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("signatures", _("Most signatures")), ("closing", _("Closing soonest"))],
        required=False,
    )

    def values(self) -> tuple[str, str, str]:
        if not self.is_valid():
            return "open", "", "signatures"
        data = self.cleaned_data
        sort = data.get("sort") if data.get("sort") in SORTS else "signatures"
        return data.get("status") or "open", data.get("q", "").strip(), sort
