"""Limits on the models (issue 15): the form, the API schema and the service
take each length limit from consultations.models, so the doors cannot drift
(the API took 20,000-character comments, answers and proposals, 1,000-character
titles and 2,000-character notes that the forms refused)."""

import pytest
from pydantic import ValidationError

from consultations import api, forms, models, services
from core.errors import DomainError
from moderation import api as moderation_api

LIMITS = [
    (api.CommentIn, {}, "body", models.COMMENT_BODY_MAX_LENGTH),
    (api.CommentEditIn, {}, "body", models.COMMENT_BODY_MAX_LENGTH),
    (api.ProposalIn, {"body": "b"}, "title", models.PROPOSAL_TITLE_MAX_LENGTH),
    (api.ProposalIn, {"title": "t"}, "body", models.PROPOSAL_BODY_MAX_LENGTH),
    (moderation_api.ReportIn, {"reason": "spam"}, "note", models.MODERATION_NOTE_MAX_LENGTH),
    (moderation_api.HideIn, {"reason": "spam"}, "note", models.MODERATION_NOTE_MAX_LENGTH),
    (api.AnswerIn, {"status": "accepted"}, "answer", models.ANSWER_MAX_LENGTH),
]


@pytest.mark.parametrize(("schema", "rest", "field", "limit"), LIMITS)
def test_the_api_schema_takes_the_model_limit(schema, rest, field, limit):
    schema(**rest, **{field: "x" * limit})
    with pytest.raises(ValidationError):
        schema(**rest, **{field: "x" * (limit + 1)})


@pytest.mark.parametrize(
    ("form", "field", "limit"),
    [
        (forms.CommentForm, "body", models.COMMENT_BODY_MAX_LENGTH),
        (forms.CommentEditForm, "body", models.COMMENT_BODY_MAX_LENGTH),
        (forms.ProposalForm, "title", models.PROPOSAL_TITLE_MAX_LENGTH),
        (forms.ProposalForm, "body", models.PROPOSAL_BODY_MAX_LENGTH),
        (forms.ReasonForm, "note", models.MODERATION_NOTE_MAX_LENGTH),
        (forms.AnswerForm, "answer", models.ANSWER_MAX_LENGTH),
    ],
)
def test_the_form_takes_the_model_limit(form, field, limit):
    assert form().fields[field].max_length == limit


def test_the_answer_service_refuses_what_the_form_refuses(consultation, resident, supervisor):
    proposal = services.proposal_create(page=consultation, author=resident, title="Ramps", body="b")
    too_long = "x" * (models.ANSWER_MAX_LENGTH + 1)
    with pytest.raises(DomainError) as error:
        services.proposal_answer(
            proposal=proposal, staff=supervisor, status="accepted", answer=too_long
        )
    assert error.value.field == "answer"
    proposal.refresh_from_db()
    assert proposal.answer == ""
