"""Limits on the models (issue 15): the person's name and phone taken down in
assisted intake are Complaint.contact_name / contact_phone, so intake (form,
API schema, service) takes the same limits as a resident filing online; the
API's conflict override reason takes the casework model's limit."""

import pytest
from pydantic import ValidationError as SchemaError

from complaints import api, casework_forms, intake
from complaints.casework_models import REASON_MAX_LENGTH
from complaints.models import CONTACT_NAME_MAX_LENGTH, CONTACT_PHONE_MAX_LENGTH
from core.errors import Invalid


def test_the_intake_schema_takes_the_contact_limits():
    api.OnBehalfIn(name="n" * CONTACT_NAME_MAX_LENGTH, contact_phone="1" * CONTACT_PHONE_MAX_LENGTH)
    with pytest.raises(SchemaError):
        api.OnBehalfIn(name="n" * (CONTACT_NAME_MAX_LENGTH + 1))
    with pytest.raises(SchemaError):
        api.OnBehalfIn(name="n", contact_phone="1" * (CONTACT_PHONE_MAX_LENGTH + 1))
    with pytest.raises(SchemaError):
        api.AssignIn(caseworker="c", override_reason="r" * (REASON_MAX_LENGTH + 1))


def test_the_intake_form_and_service_take_the_contact_limits():
    form = casework_forms.IntakeForm
    assert form.base_fields["name"].max_length == CONTACT_NAME_MAX_LENGTH
    person = intake.Person(name="n" * (CONTACT_NAME_MAX_LENGTH + 1), consent=True)
    with pytest.raises(Invalid) as error:
        intake._clean_person(person, "phone")
    assert error.value.field == "on_behalf_of.name"
    person = intake.Person(
        name="n", contact_phone="1" * (CONTACT_PHONE_MAX_LENGTH + 1), consent=True
    )
    with pytest.raises(Invalid) as error:
        intake._clean_person(person, "phone")
    assert error.value.field == "on_behalf_of.contact_phone"
