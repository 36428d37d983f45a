from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.grounds import FieldOfLife, Ground

from .models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Outcome


class FiltersForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    ground = forms.ChoiceField(
        label=_("Ground"), required=False, choices=[("", _("All")), *Ground.choices]
    )

    def __init__(self, *args, departments, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", _("All")),
            *((d.code, str(d)) for d in departments),
        ]
        self.fields["status"].choices = [("", _("All")), *statuses]


def _text(label, *, title=False, required=False):
    if title:
        return forms.CharField(label=label, max_length=TITLE_MAX_LENGTH, required=required)
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DecisionForm(forms.Form):
    title_ko = _text(_("Title (Korean)"), title=True)
    title_en = _text(_("Title (English)"), title=True)
    summary_ko = _text(_("Summary (Korean)"))
    summary_en = _text(_("Summary (English)"))
    easy_read_ko = _text(_("Easy-read summary (Korean)"))
    easy_read_en = _text(_("Easy-read summary (English)"))
    body_ko = _text(_("Decision, anonymised (Korean)"))
    body_en = _text(_("Decision, anonymised (English)"))
    grounds = forms.MultipleChoiceField(
        label=_("Grounds"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple
    )
    field_of_life = forms.ChoiceField(label=_("Field of life"), choices=FieldOfLife.choices)
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
