"""Limits on the models (issue 15): the moderation note and the official
answer had a limit in the form only; the service now refuses the same length,
from petitions.models, whichever door the text comes through."""

import pytest

from core.errors import Invalid
from petitions import forms, models, services

pytestmark = pytest.mark.django_db


def test_the_forms_take_the_model_limits():
    assert forms.ModerationForm().fields["note"].max_length == models.REJECTION_NOTE_MAX_LENGTH
    assert forms.AnswerForm().fields["answer"].max_length == models.ANSWER_MAX_LENGTH
    assert models.Petition._meta.get_field("title").max_length == models.TITLE_MAX_LENGTH


def test_a_too_long_rejection_note_is_refused_before_anything_changes():
    reason = models.Petition.RejectionReason.values[0]
    with pytest.raises(Invalid) as error:
        services.petition_reject(
            petition=None,
            user=None,
            reason=reason,
            note="x" * (models.REJECTION_NOTE_MAX_LENGTH + 1),
        )
    assert "note" in {e["field"] for e in error.value.errors}


def test_a_too_long_answer_is_refused_before_anything_changes():
    with pytest.raises(Invalid) as error:
        services.petition_answer(
            petition=None, user=None, answer="x" * (models.ANSWER_MAX_LENGTH + 1)
        )
    assert "answer" in {e["field"] for e in error.value.errors}
