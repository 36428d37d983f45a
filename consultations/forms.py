from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    ANSWER_MAX_LENGTH,
    ANSWER_STATUSES,
    COMMENT_BODY_MAX_LENGTH,
    MODERATION_NOTE_MAX_LENGTH,
    PROPOSAL_BODY_MAX_LENGTH,
    PROPOSAL_TITLE_MAX_LENGTH,
    ProposalStatus,
    Reason,
    Stance,
)


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("What are you commenting on?"), required=False)
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_BODY_MAX_LENGTH,
        help_text=_("Be respectful. Do not write anyone's personal details."),
    )
    stance = forms.ChoiceField(
        label=_("Your view"),
        required=False,
        choices=[("", _("No view given")), *Stance.choices],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, sections=(), show_section=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("The whole draft"))] + [
            (s["anchor"], s["title"]) for s in sections
        ]
        if not show_section:
            del self.fields["section"]


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_BODY_MAX_LENGTH,
    )
    stance = forms.ChoiceField(
        label=_("Your view"),
        required=False,
        choices=[("", _("No view given")), *Stance.choices],
        widget=forms.RadioSelect,
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title of your proposal"), max_length=PROPOSAL_TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=PROPOSAL_BODY_MAX_LENGTH,
        help_text=_("Say what should change and why."),
    )


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Anything else we should know"),
        required=False,
        max_length=MODERATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(s.value, s.label) for s in ProposalStatus if s in ANSWER_STATUSES],
    )
    answer = forms.CharField(
        label=_("Public answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("Shown to everyone. When you reject a proposal, give the reasons."),
    )
