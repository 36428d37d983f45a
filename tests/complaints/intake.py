"""Filing through the HTML form, as a person does: one helper, so tests do not
depend on how the form is split into pages."""

from django.urls import reverse
from django.utils import translation

GOOD_FORM = {
    "description": "The clinic refused to register me.",
    "grounds": ["disability", "medical_history"],
    "field_of_life": "health",
    "incident_date": "2026-02-01",
    "location": "Clinic",
    "identity": "named",
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "consent": "on",
}


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def file_by_form(client, lang="en", **changes):
    """POST the intake form with GOOD_FORM + changes; return the last response
    (not followed: a success is a redirect to the receipt page)."""
    form = client.get(url("complaints:new", lang)).context["form"]
    data = {"submission_key": form["submission_key"].value(), **GOOD_FORM, **changes}
    return client.post(url("complaints:new", lang), data), data
