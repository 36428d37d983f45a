"""Filing through the HTML form, as a person does, one page at a time: one
helper, so tests do not depend on how the form is split into pages."""

from django.urls import reverse
from django.utils import translation

from complaints.forms import STEPS

GOOD_FORM = {
    "description": "The clinic refused to register me.",
    "grounds": ["disability", "medical_history"],
    "field_of_life": "health",
    "incident_date": "2026-02-01",
    "location": "Clinic",
    "identity": "named",
    "contact_name": "Kim Mina",
    "contact_email": "mina@example.org",
    "contact_phone": "",
    "consent": "on",
}


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def step_url(step, lang="en"):
    if step == STEPS[0][0]:
        return url("complaints:new", lang)
    return url("complaints:step", lang, step=step)


def file_by_form(client, lang="en", **changes):
    """Walk the intake pages with GOOD_FORM + changes and send. Returns the
    last response (not followed: a success is a redirect to the receipt page;
    a page with an error answers 200) and the data used."""
    data = {**GOOD_FORM, **changes}
    response = None
    for step, fields in STEPS:
        posted = {name: data[name] for name in fields if name in data}
        response = client.post(step_url(step, lang), posted)
        if response.status_code != 302:
            return response, data
    return response, data
