from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_fsm import has_transition_perm

from core.errors import Invalid, Refused
from core.models import Notification
from petitions import services
from petitions.models import Petition, Signature
from tests import factories
from tests.petitions.factories import PetitionFactory, SignatureFactory, add_signatures

pytestmark = pytest.mark.django_db

S = Petition.Status
ROLES = ["anonymous", "creator", "other_resident", "moderator", "supervisor", "caseworker"]


def make_user(role, petition):
    return {
        "anonymous": lambda: AnonymousUser(),
        "creator": lambda: petition.creator,
        "other_resident": factories.resident,
        "moderator": factories.moderator,
        "supervisor": factories.supervisor,
        "caseworker": factories.caseworker,
    }[role]()


def call(transition, petition, user):
    if transition == "submit":
        return services.petition_submit(petition=petition, user=user)
    if transition == "publish":
        return services.petition_publish(petition=petition, user=user)
    if transition == "reject":
        return services.petition_reject(
            petition=petition, user=user, reason="unclear", note="Please say which park."
        )
    if transition == "publish_answer":
        return services.petition_answer(petition=petition, user=user, answer="<p>Yes.</p>")
    raise AssertionError(transition)


# Who may make each person-made move, and from which state.
ALLOWED = {
    "submit": (S.DRAFT, "creator"),
    "publish": (S.AWAITING_MODERATION, "moderator"),
    "reject": (S.AWAITING_MODERATION, "moderator"),
    "publish_answer": (S.AWAITING_RESPONSE, "supervisor"),
}
TARGET = {
    "submit": S.AWAITING_MODERATION,
    "publish": S.OPEN,
    "reject": S.REJECTED,
    "publish_answer": S.ANSWERED,
}


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("transition", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_every_state_transition_and_role(state, transition, role):
    petition = PetitionFactory(status=state)
    user = make_user(role, petition)
    source, allowed_role = ALLOWED[transition]
    if state != source:
        with pytest.raises(services.TransitionRefused):
            call(transition, petition, user)
        expected = state
    elif role != allowed_role:
        with pytest.raises(Refused):
            call(transition, petition, user)
        expected = state
    else:
        assert call(transition, petition, user).status == TARGET[transition]
        expected = TARGET[transition]
    petition.refresh_from_db()
    assert petition.status == expected


@pytest.mark.parametrize("transition", ["close", "reach_threshold"])
@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_system_transitions_are_refused_to_every_person(transition, role):
    petition = PetitionFactory(
        status=S.OPEN, closes_at=timezone.now() - timedelta(minutes=1), threshold=1
    )
    add_signatures(petition, 1)
    user = factories.superuser() if role == "superuser" else make_user(role, petition)
    assert not has_transition_perm(getattr(petition, transition), user)


def test_a_superuser_cannot_send_someone_elses_draft():
    """has_perm passes a superuser on everything, but a petition goes out in its creator's name."""
    petition = PetitionFactory(status=S.DRAFT)
    with pytest.raises(Refused):
        services.petition_submit(petition=petition, user=factories.superuser())
    petition.refresh_from_db()
    assert petition.status == S.DRAFT


def test_status_cannot_be_set_directly():
    petition = PetitionFactory(status=S.DRAFT)
    with pytest.raises(AttributeError):
        petition.status = S.OPEN


def test_create_needs_verified_resident():
    unverified = factories.resident(email_verified=False)
    with pytest.raises(Refused):
        services.petition_create(creator=unverified, title="T", action="A")
    with pytest.raises(Refused):
        services.petition_create(creator=factories.moderator(), title="T", action="A")
    petition = services.petition_create(
        creator=factories.resident(),
        title="<b>Ramps</b> at the library",
        action="Build ramps<script>x</script>",
    )
    assert petition.status == S.DRAFT
    assert petition.title == "Ramps at the library"
    assert "<script>" not in petition.action
    assert petition.threshold == 1000


def test_create_threshold_follows_setting(settings):
    settings.PETITIONS_THRESHOLD = 7
    petition = services.petition_create(creator=factories.resident(), title="T", action="A")
    assert petition.threshold == 7


def test_create_requires_title_and_action():
    with pytest.raises(Invalid) as err:
        services.petition_create(creator=factories.resident(), title="  ", action="A")
    assert "title" in {e["field"] for e in err.value.errors}


# --- editing a draft ---------------------------------------------------------------------

TEXT = ("Ramps at the library", "Build ramps at both doors.", "Wheelchairs cannot get in.")


def text_of(petition):
    petition.refresh_from_db()
    return (petition.title, petition.action, petition.background)


def test_creator_edits_draft_sanitised_and_still_draft():
    petition = PetitionFactory(status=S.DRAFT)
    before = petition.updated_at
    updated = services.petition_update(
        petition=petition,
        user=petition.creator,
        title="  <b>Ramps</b> at the library ",
        action='Build ramps<script>alert(1)</script> <a href="javascript:x()">now</a>',
        background="<img src=x onerror=alert(1)>Wheelchairs.",
    )
    assert text_of(petition) == ("Ramps at the library", "Build ramps now", "Wheelchairs.")
    assert updated.title == petition.title
    assert petition.status == S.DRAFT and petition.updated_at > before


@pytest.mark.parametrize("role", [*ROLES[:1], *ROLES[2:], "superuser"])
def test_only_the_creator_may_edit(role):
    petition = PetitionFactory(status=S.DRAFT)
    before = text_of(petition)
    user = factories.superuser() if role == "superuser" else make_user(role, petition)
    with pytest.raises(Refused):
        services.petition_update(petition=petition, user=user, title=TEXT[0], action=TEXT[1])
    assert text_of(petition) == before


@pytest.mark.parametrize("state", [s for s in S.values if s != S.DRAFT])
def test_creator_cannot_edit_after_sending(state):
    petition = PetitionFactory(status=state)
    before = text_of(petition)
    with pytest.raises(services.PetitionNotEditable):
        services.petition_update(
            petition=petition, user=petition.creator, title=TEXT[0], action=TEXT[1]
        )
    assert text_of(petition) == before


def test_edit_checks_the_state_as_stored_not_as_the_caller_read_it():
    petition = PetitionFactory(status=S.DRAFT)
    stale = Petition.objects.get(pk=petition.pk)
    services.petition_submit(petition=petition, user=petition.creator)
    with pytest.raises(services.PetitionNotEditable):
        services.petition_update(petition=stale, user=petition.creator, title="X", action="Y")
    assert text_of(petition)[0] != "X"


@pytest.mark.parametrize(
    ("field", "title", "action"),
    [
        ("title", "   ", "Build ramps."),
        ("title", "<b> </b>", "Build ramps."),
        ("action", "Ramps", "<script>only this</script>"),
        ("title", "x" * 151, "Build ramps."),
    ],
)
def test_edit_validates_like_create_and_changes_nothing(field, title, action):
    petition = PetitionFactory(status=S.DRAFT)
    before = text_of(petition)
    with pytest.raises(Invalid) as err:
        services.petition_update(
            petition=petition, user=petition.creator, title=title, action=action
        )
    assert field in {e["field"] for e in err.value.errors}
    assert text_of(petition) == before


def test_publish_sets_closing_date_and_tells_creator(moderator, settings):
    settings.PETITIONS_OPEN_DAYS = 60
    petition = PetitionFactory(status=S.AWAITING_MODERATION)
    services.petition_publish(petition=petition, user=moderator)
    petition.refresh_from_db()
    assert petition.closes_at - petition.published_at == timedelta(days=60)
    note = Notification.objects.get(user=petition.creator)
    assert note.kind == "petition.published"


def test_reject_needs_a_standard_reason_and_tells_creator(moderator):
    petition = PetitionFactory(status=S.AWAITING_MODERATION)
    with pytest.raises(Invalid):
        services.petition_reject(petition=petition, user=moderator, reason="boring")
    services.petition_reject(
        petition=petition, user=moderator, reason="personal_data", note="Remove the name."
    )
    petition.refresh_from_db()
    assert petition.status == S.REJECTED
    assert petition.rejection_reason == "personal_data"
    assert petition.rejection_note == "Remove the name."
    note = Notification.objects.get(user=petition.creator)
    assert note.kind == "petition.rejected"
    assert note.payload == {"petition": petition.pk}  # no title: it may hold the personal data


# --- signatures ---------------------------------------------------------------


def test_sign_once_and_repeat_changes_nothing(resident):
    petition = PetitionFactory()
    first = services.petition_sign(petition=petition, user=resident, show_name=True)
    again = services.petition_sign(petition=petition, user=resident, show_name=False)
    assert (first.created, first.signature_count) == (True, 1)
    assert (again.created, again.signature_count) == (False, 1)
    assert Signature.objects.get().show_name is True
    services.petition_fold(petition_id=petition.pk)
    petition.refresh_from_db()
    assert petition.signature_count == Signature.objects.filter(petition=petition).count() == 1


@pytest.mark.parametrize(
    "user_factory",
    [
        lambda: factories.resident(email_verified=False),
        factories.moderator,
        factories.caseworker,
        lambda: AnonymousUser(),
    ],
)
def test_only_verified_residents_sign(user_factory):
    petition = PetitionFactory()
    with pytest.raises(Refused):
        services.petition_sign(petition=petition, user=user_factory())
    assert not Signature.objects.exists()


@pytest.mark.parametrize("state", [S.DRAFT, S.AWAITING_MODERATION, S.CLOSED, S.REJECTED])
def test_sign_refused_unless_published_and_not_closed(state, resident):
    petition = PetitionFactory(status=state)
    with pytest.raises(services.PetitionClosed):
        services.petition_sign(petition=petition, user=resident)


def test_expired_petition_refuses_signatures_before_closing_task(resident):
    petition = PetitionFactory(closes_at=timezone.now() - timedelta(seconds=1))
    assert petition.status == S.OPEN  # the closing task has not run
    with pytest.raises(services.PetitionClosed):
        services.petition_sign(petition=petition, user=resident)
    assert petition.public_status == "closed"
    assert not Signature.objects.exists()


def test_withdraw_while_open_decrements_exactly(resident):
    petition = PetitionFactory()
    add_signatures(petition, 3)
    services.petition_sign(petition=petition, user=resident)
    assert services.petition_withdraw_signature(petition=petition, user=resident) == 3
    # A second withdrawal (nothing left to withdraw) changes nothing.
    assert services.petition_withdraw_signature(petition=petition, user=resident) == 3
    assert Signature.objects.filter(petition=petition).count() == 3


@pytest.mark.parametrize("state", [S.AWAITING_RESPONSE, S.ANSWERED])
def test_signing_goes_on_after_the_threshold(state, resident):
    petition = PetitionFactory(
        status=state, threshold=1, closes_at=timezone.now() + timedelta(days=3)
    )
    add_signatures(petition, 2)
    result = services.petition_sign(petition=petition, user=resident)
    assert result.created
    services.petition_fold(petition_id=petition.pk)
    petition.refresh_from_db()
    assert petition.status == state
    assert petition.signature_count == 3 == Signature.objects.filter(petition=petition).count()


def test_past_the_threshold_still_closes_at_its_date(resident):
    petition = PetitionFactory(
        status=S.AWAITING_RESPONSE, closes_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(services.PetitionClosed):
        services.petition_sign(petition=petition, user=resident)


def test_withdraw_refused_when_not_open(resident):
    petition = PetitionFactory(status=S.CLOSED)
    SignatureFactory(petition=petition, user=resident)
    with pytest.raises(services.PetitionClosed):
        services.petition_withdraw_signature(petition=petition, user=resident)
    assert Signature.objects.filter(petition=petition).count() == 1


def test_reaching_threshold_moves_to_awaiting_response(settings, supervisor):
    settings.PETITIONS_RESPONSE_DAYS = 14
    petition = PetitionFactory(threshold=3)
    add_signatures(petition, 2)
    result = services.petition_sign(petition=petition, user=factories.resident())
    assert result.signature_count == 3
    services.petition_fold(petition_id=petition.pk)
    petition.refresh_from_db()
    assert petition.status == S.AWAITING_RESPONSE
    assert petition.response_due - petition.threshold_reached_at == timedelta(days=14)
    kinds = set(Notification.objects.filter(user=supervisor).values_list("kind", flat=True))
    assert kinds == {"petition.threshold_reached"}
    assert Notification.objects.filter(user=petition.creator, kind="petition.goal_reached").exists()


def test_count_never_drifts_from_rows():
    petition = PetitionFactory()
    users = [factories.resident() for _ in range(6)]
    for user in users:
        services.petition_sign(petition=petition, user=user)
        services.petition_sign(petition=petition, user=user)
    for user in users[:2]:
        services.petition_withdraw_signature(petition=petition, user=user)
    petition.refresh_from_db()
    assert petition.signature_count == Signature.objects.filter(petition=petition).count() == 4


# --- closing ----------------------------------------------------------------------


def test_close_expired_closes_only_past_petitions():
    past = PetitionFactory(closes_at=timezone.now() - timedelta(minutes=5))
    future = PetitionFactory()
    assert services.petitions_close_expired() == 1
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.status, future.status) == (S.CLOSED, S.OPEN)
    assert past.closed_at is not None
    assert Notification.objects.filter(user=past.creator, kind="petition.closed").exists()
    assert services.petitions_close_expired() == 0  # idempotent


# --- the answer -------------------------------------------------------------------


def test_answer_requires_text(supervisor):
    petition = PetitionFactory(status=S.AWAITING_RESPONSE)
    with pytest.raises(Invalid):
        services.petition_answer(petition=petition, user=supervisor, answer="<p> </p>")
    petition.refresh_from_db()
    assert petition.status == S.AWAITING_RESPONSE


def test_answer_is_sanitised(supervisor):
    petition = PetitionFactory(status=S.AWAITING_RESPONSE)
    services.petition_answer(
        petition=petition,
        user=supervisor,
        answer='<p onclick="x()">We agree.</p><script>1</script><a href="javascript:x">l</a>',
    )
    petition.refresh_from_db()
    assert "onclick" not in petition.answer
    assert "<script" not in petition.answer
    assert "javascript:" not in petition.answer
    assert "We agree." in petition.answer


def _answered_notices(petition):
    return Notification.objects.filter(kind="petition.answered", payload__petition=petition.pk)


def test_answer_notifies_every_signer_once_in_batches(
    settings, supervisor, django_capture_on_commit_callbacks
):
    settings.PETITIONS_NOTIFY_BATCH_SIZE = 4
    petition = PetitionFactory(status=S.AWAITING_RESPONSE)
    add_signatures(petition, 10)
    from django_tasks.signals import task_finished

    runs = []
    task_finished.connect(lambda sender, task_result, **kw: runs.append(task_result), weak=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.petition_answer(petition=petition, user=supervisor, answer="Done.")
    signer_ids = set(Signature.objects.filter(petition=petition).values_list("user_id", flat=True))
    notices = _answered_notices(petition).exclude(user=petition.creator)
    assert sorted(notices.values_list("user_id", flat=True)) == sorted(signer_ids)
    assert not Signature.objects.filter(petition=petition, notified_at__isnull=True).exists()
    notify_runs = [r for r in runs if r.task.name == "notify_signers"]
    assert len(notify_runs) == 3  # 4 + 4 + 2


def test_answer_notify_failure_resumes_without_double_notices(
    settings, supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PETITIONS_NOTIFY_BATCH_SIZE = 4
    petition = PetitionFactory(status=S.AWAITING_RESPONSE)
    add_signatures(petition, 10)

    real_send = services.notification_send
    sent = {"n": 0}

    def flaky_send(**kwargs):
        # Fail on the 7th signer: the first batch (4) committed, the second fails mid-way.
        if kwargs["kind"] == "petition.answered" and kwargs["user"] != petition.creator:
            sent["n"] += 1
            if sent["n"] == 7:
                raise RuntimeError("mail server down")
        return real_send(**kwargs)

    monkeypatch.setattr(services, "notification_send", flaky_send)
    with django_capture_on_commit_callbacks(execute=True):
        services.petition_answer(petition=petition, user=supervisor, answer="Done.")
    assert _answered_notices(petition).exclude(user=petition.creator).count() == 4
    assert Signature.objects.filter(petition=petition, notified_at__isnull=True).count() == 6
    assert services.petitions_with_pending_notices() == [petition.pk]

    monkeypatch.setattr(services, "notification_send", real_send)
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("close_expired_petitions")  # the scheduled command resumes the notices
    notices = _answered_notices(petition).exclude(user=petition.creator)
    assert notices.count() == 10
    assert notices.values("user").distinct().count() == 10
    assert not Signature.objects.filter(petition=petition, notified_at__isnull=True).exists()
    assert services.petitions_with_pending_notices() == []


# --- the fold (docs/architecture.md, "Signing without a hot row") --------------


def test_signing_leaves_the_petition_row_alone_until_the_worker_folds(resident):
    from core import worker

    petition = PetitionFactory(threshold=2)
    add_signatures(petition, 1)
    before = Petition.objects.values("signature_count", "status", "updated_at").get(pk=petition.pk)
    result = services.petition_sign(petition=petition, user=resident)
    assert result.signature_count == 2  # folded 1 + own
    assert (
        Petition.objects.values("signature_count", "status", "updated_at").get(pk=petition.pk)
        == before
    )
    worker.run_every_cycle()  # what the task worker does about once a second
    petition.refresh_from_db()
    assert petition.signature_count == 2 == Signature.objects.filter(petition=petition).count()
    assert petition.status == S.AWAITING_RESPONSE


def test_folds_count_each_row_once(resident):
    petition = PetitionFactory()
    add_signatures(petition, 3)
    services.petition_sign(petition=petition, user=resident)
    for _ in range(3):
        services.petitions_fold_pending()
    petition.refresh_from_db()
    assert petition.signature_count == 4 == Signature.objects.filter(petition=petition).count()
    assert services.petitions_fold_pending() == 0  # nothing after the mark any more


def test_closing_folds_first_so_signatures_before_the_date_reach_the_threshold(supervisor):
    petition = PetitionFactory(threshold=2)
    add_signatures(petition, 1)
    services.petition_sign(petition=petition, user=factories.resident())
    Petition.objects.filter(pk=petition.pk).update(closes_at=timezone.now())
    assert services.petitions_close_expired() == 0
    petition.refresh_from_db()
    assert (petition.status, petition.signature_count) == (S.AWAITING_RESPONSE, 2)
