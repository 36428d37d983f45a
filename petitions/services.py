"""Writes for petitions. Every state change goes through a django-fsm-2
transition here, inside a transaction; notifications and tasks are scheduled
with transaction.on_commit so nothing is sent for a change that rolled back.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import has_transition_perm

from accounts.roles import Role
from core.models import PreferenceKind
from core.sanitize import clean_html, clean_text
from core.selectors import users_opted_out
from core.services import emails_send_batch, notification_send, unsubscribe_url

from . import conf
from .models import ANSWER_MAX_LENGTH, REJECTION_NOTE_MAX_LENGTH, Petition, Signature
from .rules import is_creator

logger = logging.getLogger(__name__)


class PetitionClosed(Exception):
    """The petition does not take (or give back) signatures any more."""


class PetitionNotEditable(Exception):
    """Only a draft can be changed; this one was already sent to the moderators."""


class TransitionRefused(Exception):
    """The move is not possible from the petition's current state."""


@dataclass(frozen=True)
class SignResult:
    signature_count: int
    created: bool


def _petition_url(petition: Petition) -> str:
    return reverse("petitions:detail", kwargs={"pk": petition.pk})


def _check(bound_transition, user) -> None:
    """Refuse a person's move: wrong state → TransitionRefused; no right → PermissionDenied."""
    from django_fsm import can_proceed

    if not can_proceed(bound_transition):
        raise TransitionRefused(bound_transition.__name__)
    if not has_transition_perm(bound_transition, user):
        raise PermissionDenied


def _locked(petition: Petition) -> Petition:
    """The petition re-read under a row lock: concurrent moves wait for this one."""
    return Petition.objects.select_for_update().get(pk=petition.pk)


# --- creating and moderating ------------------------------------------------


def petition_create(
    *, creator, title: str, action: str, background: str = "", threshold: int | None = None
) -> Petition:
    """A resident starts a petition as a draft. `threshold` defaults to
    PETITIONS_THRESHOLD; only demo data and tests pass a smaller one."""
    if not creator.has_perm("petitions.add_petition"):
        raise PermissionDenied
    petition = Petition(creator=creator)
    _set_text(petition, title=title, action=action, background=background)
    if threshold is not None:
        petition.threshold = threshold
    with transaction.atomic():
        petition.save()
    return petition


@transaction.atomic
def petition_update(
    *, petition: Petition, user, title: str, action: str, background: str = ""
) -> Petition:
    """The creator changes their draft. Once sent, the text is frozen: moderators
    judge, and signers sign, exactly the words they saw.

    The creator is checked directly, not with has_perm, because has_perm passes
    a superuser on everything and the petition goes out in its creator's name.
    The state is checked under the row lock, so an edit racing the submit
    cannot land after it."""
    petition = _locked(petition)
    if not is_creator(user, petition):
        raise PermissionDenied
    if not petition.is_editable:
        raise PetitionNotEditable
    title, action, background = (
        getattr(petition, name) if _reads_as(text, getattr(petition, name)) else text
        for name, text in (("title", title), ("action", action), ("background", background))
    )
    _set_text(petition, title=title, action=action, background=background)
    petition.save(update_fields=["title", "action", "background", "updated_at"])
    return petition


def _reads_as(text: str, stored: str) -> bool:
    """Whether `text` is the stored words as the author reads them (the edit form
    shows them unescaped). Such text is kept as stored, because sanitising it again
    can change it: stored "&amp;lt;b&amp;gt;" reads "&lt;b&gt;" and would be stored
    as that, which reads "<b>"."""
    return text.replace("\r\n", "\n").strip() == html.unescape(stored)


def _check_length(field: str, text: str, limit: int) -> None:
    """The same limit as the form's, for callers that bring no form."""
    if len(text or "") > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )


def _set_text(petition: Petition, *, title: str, action: str, background: str) -> None:
    """Sanitise and validate the creator's words onto `petition` (create and edit alike)."""
    title = clean_text(title).strip()
    action = clean_text(action).strip()
    if not title:
        raise ValidationError({"title": _("Give your petition a title.")})
    if not action:
        raise ValidationError({"action": _("Say what the city should do.")})
    petition.title = title
    petition.action = action
    petition.background = clean_text(background).strip()
    # The state machines (status, moderation state) are protected: not cleaned here.
    petition.full_clean(exclude=["status", "state", "threshold"])


@transaction.atomic
def petition_submit(*, petition: Petition, user) -> Petition:
    """The creator sends the draft to moderation."""
    petition = _locked(petition)
    _check(petition.submit, user)
    # Sent in the creator's name: has_perm alone would let a superuser send anyone's draft.
    if not is_creator(user, petition):
        raise PermissionDenied
    petition.submit()
    petition.save()
    return petition


@transaction.atomic
def petition_publish(*, petition: Petition, user) -> Petition:
    """A moderator publishes the petition; the creator is told."""
    petition = _locked(petition)
    _check(petition.publish, user)
    petition.publish(by=user)
    petition.save()
    notification_send(
        user=petition.creator,
        kind="petition.published",
        payload={"petition": petition.pk, "title": petition.title},
        url=_petition_url(petition),
    )
    return petition


@transaction.atomic
def petition_reject(*, petition: Petition, user, reason: str, note: str = "") -> Petition:
    """A moderator rejects the petition with a standard reason; the creator is told."""
    if reason not in Petition.RejectionReason.values:
        raise ValidationError({"reason": _("Choose one of the reasons.")})
    _check_length("note", note, REJECTION_NOTE_MAX_LENGTH)
    petition = _locked(petition)
    _check(petition.reject, user)
    petition.reject(by=user, reason=reason, note=clean_text(note).strip())
    petition.save()
    # The title may be the very reason for rejection (personal data): send the id only.
    notification_send(
        user=petition.creator,
        kind="petition.rejected",
        payload={"petition": petition.pk},
        url=_petition_url(petition),
    )
    return petition


# --- signatures ---------------------------------------------------------------


def petition_sign(*, petition: Petition, user, show_name: bool = False) -> SignResult:
    """Sign once. A repeat changes nothing and says so (`created=False`).

    Integrity: the unique constraint (petition, user) is the one judge of
    "already signed"; the insert runs in a savepoint so a duplicate is an
    IntegrityError we turn into a no-op. `signature_count` is raised with F()
    in the same transaction and only when a row was inserted, so it always
    equals the number of rows and costs nothing to read.

    The petition row is locked first: the state and closing date are checked
    under the lock (a petition past its date is refused even before the
    closing task runs), and the signature that crosses the threshold is the
    only one that sees `count == threshold` while open, so the move to
    awaiting_response happens exactly once.
    """
    if not user.has_perm("petitions.sign_petition", petition):
        raise PermissionDenied
    with transaction.atomic():
        petition = _locked(petition)
        if not petition.accepts_signatures():
            raise PetitionClosed
        try:
            with transaction.atomic():
                Signature.objects.create(petition=petition, user=user, show_name=bool(show_name))
        except IntegrityError:
            return SignResult(signature_count=petition.signature_count, created=False)
        Petition.objects.filter(pk=petition.pk).update(signature_count=F("signature_count") + 1)
        petition.refresh_from_db(fields=["signature_count"])
        if (
            petition.status == Petition.Status.OPEN
            and petition.signature_count >= petition.threshold
        ):
            _reach_threshold(petition)
        return SignResult(signature_count=petition.signature_count, created=True)


def _reach_threshold(petition: Petition) -> None:
    """Move to awaiting_response (the caller holds the row lock) and tell the
    office and the creator."""
    petition.reach_threshold()
    petition.save(update_fields=["status", "threshold_reached_at", "response_due", "updated_at"])
    payload = {"petition": petition.pk, "title": petition.title}
    url = _petition_url(petition)
    for staff in petitions_staff():
        notification_send(user=staff, kind="petition.threshold_reached", payload=payload, url=url)
    notification_send(user=petition.creator, kind="petition.goal_reached", payload=payload, url=url)


def petitions_staff():
    """The people who answer petitions: the office's supervisors."""
    return get_user_model().objects.filter(groups__name=Role.SUPERVISOR, is_active=True).distinct()


def petition_withdraw_signature(*, petition: Petition, user) -> int:
    """Take back one's signature while signing is open; returns the new count.
    The count drops by exactly the rows deleted (0 or 1)."""
    with transaction.atomic():
        petition = _locked(petition)
        if not petition.accepts_signatures():
            raise PetitionClosed
        deleted, _rows = Signature.objects.filter(petition=petition, user=user).delete()
        if deleted:
            Petition.objects.filter(pk=petition.pk).update(
                signature_count=F("signature_count") - deleted
            )
            petition.refresh_from_db(fields=["signature_count"])
        return petition.signature_count


def signatures_remove_for_user(*, user) -> int:
    """Remove every signature of `user` (their account is being deleted), open
    petition or not, each petition's count dropping by exactly the rows
    deleted; returns how many."""
    removed = 0
    with transaction.atomic():
        ids = list(Signature.objects.filter(user=user).values_list("petition_id", flat=True))
        for petition in Petition.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            deleted, _rows = Signature.objects.filter(petition=petition, user=user).delete()
            if deleted:
                Petition.objects.filter(pk=petition.pk).update(
                    signature_count=F("signature_count") - deleted
                )
            removed += deleted
    return removed


# --- closing ------------------------------------------------------------------


def petitions_close_expired(*, now=None) -> int:
    """Close every open petition past its closing date; returns how many.
    Each petition closes in its own transaction under a row lock, so a
    signature that crossed the threshold just before wins cleanly."""
    now = now or timezone.now()
    ids = list(
        Petition.objects.filter(status=Petition.Status.OPEN, closes_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    closed = 0
    for pk in ids:
        with transaction.atomic():
            petition = Petition.objects.select_for_update().get(pk=pk)
            # The clock is the actor: no person's permission applies here.
            if petition.status != Petition.Status.OPEN or not petition.is_expired(now):
                continue
            petition.close()
            petition.save()
            notification_send(
                user=petition.creator,
                kind="petition.closed",
                payload={"petition": petition.pk, "title": petition.title},
                url=_petition_url(petition),
            )
            closed += 1
    return closed


# --- the answer -----------------------------------------------------------------


@transaction.atomic
def petition_answer(*, petition: Petition, user, answer: str) -> Petition:
    """Staff publish the official answer; every signer is told through tasks."""
    _check_length("answer", answer, ANSWER_MAX_LENGTH)
    answer = clean_html(answer).strip()
    if not clean_text(answer).strip():
        raise ValidationError({"answer": _("Write the answer.")})
    petition = _locked(petition)
    _check(petition.publish_answer, user)
    petition.publish_answer(by=user, answer=answer)
    petition.save()
    notification_send(
        user=petition.creator,
        kind="petition.answered",
        payload={"petition": petition.pk, "title": petition.title},
        url=_petition_url(petition),
    )
    pk = petition.pk
    transaction.on_commit(lambda: _enqueue_notify(pk))
    transaction.on_commit(lambda: _enqueue_notify_followers(pk))
    return petition


def _enqueue_notify_followers(petition_id: int) -> None:
    from .tasks import notify_followers

    notify_followers.enqueue(petition_id=petition_id, after=0)


def petition_notify_followers_batch(
    *, petition_id: int, after: int = 0, batch_size: int | None = None
) -> int | None:
    """Tell one batch of the petition's followers (in id order after follow
    `after`) that it was answered: those who want news now and did not sign
    (signers hear through their own batches). Returns the last follow id
    handled, or None when there are no more."""
    from core.models import Follow, Frequency, NotificationPreference

    batch_size = batch_size or conf.notify_batch_size()
    petition = Petition.objects.filter(pk=petition_id, status=Petition.Status.ANSWERED).first()
    if petition is None:
        return None
    follows = list(
        Follow.objects.filter(target="petition", object_id=petition_id, pk__gt=after)
        .exclude(user__petition_signatures__petition_id=petition_id)
        .exclude(
            user__in=NotificationPreference.objects.filter(kind="petition")
            .exclude(frequency=Frequency.NOW)
            .values("user")
        )
        .select_related("user")
        .order_by("pk")[:batch_size]
    )
    if not follows:
        return None
    payload = {"petition": petition.pk, "title": petition.title}
    url = _petition_url(petition)
    with transaction.atomic():
        for follow in follows:
            if follow.user_id == petition.creator_id:
                continue
            notification_send(user=follow.user, kind="petition.answered", payload=payload, url=url)
    return follows[-1].pk if len(follows) >= batch_size else None


def _enqueue_notify(petition_id: int) -> None:
    from .tasks import notify_signers

    notify_signers.enqueue(petition_id=petition_id)


def petition_notify_signers_batch(*, petition_id: int, batch_size: int | None = None) -> int:
    """Tell up to `batch_size` not-yet-told signers about the answer; returns how many.

    The notifications and the signatures' `notified_at` are written in one
    transaction: a failure rolls both back, so a retry tells exactly the
    signers not told yet — nobody twice. `skip_locked` lets two workers share
    the work without waiting on or repeating each other's rows.
    """
    batch_size = batch_size or conf.notify_batch_size()
    with transaction.atomic():
        petition = Petition.objects.filter(pk=petition_id, status=Petition.Status.ANSWERED).first()
        if petition is None:
            return 0
        signatures = list(
            Signature.objects.filter(petition_id=petition_id, notified_at__isnull=True)
            .select_related("user")
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",))[:batch_size]
        )
        payload = {"petition": petition.pk, "title": petition.title}
        url = _petition_url(petition)
        opted_out = users_opted_out(
            kind=PreferenceKind.PETITION_ANSWER, user_ids=[s.user_id for s in signatures]
        )
        emails = []
        for signature in signatures:
            if signature.user.email and signature.user_id not in opted_out:
                emails.append(_answer_email(petition=petition, user=signature.user))
            if signature.user_id == petition.creator_id:
                continue  # the creator was told in-app when the answer was published
            notification_send(
                user=signature.user, kind="petition.answered", payload=payload, url=url
            )
        # One task for the whole batch, not one per signer.
        emails_send_batch(messages=emails)
        Signature.objects.filter(pk__in=[s.pk for s in signatures]).update(
            notified_at=timezone.now()
        )
    return len(signatures)


def _answer_email(*, petition: Petition, user) -> dict:
    """The answer e-mail to one signer, in their language, with a link to the
    petition and one that turns these e-mails off without signing in. It names
    the petition, never a person."""
    with translation.override(user.preferred_language or "ko"):
        link = settings.SITE_URL.rstrip("/") + _petition_url(petition)
        subject = _("A petition you signed was answered")
        body = _(
            "The petition “%(title)s”, which you signed, has an official answer.\n\n"
            "Read it here: %(link)s\n\n"
            "You get this e-mail because you signed the petition. To stop e-mails "
            "about answers to petitions you signed: %(unsubscribe)s"
        ) % {
            "title": html.unescape(petition.title),
            "link": link,
            "unsubscribe": unsubscribe_url(user=user, kind=PreferenceKind.PETITION_ANSWER),
        }
    return {"to": user.email, "subject": subject, "body": body}


def petitions_with_pending_notices() -> list[int]:
    """Answered petitions whose signers are not all told yet (a batch failed)."""
    return list(
        Petition.objects.filter(
            status=Petition.Status.ANSWERED, signatures__notified_at__isnull=True
        )
        .values_list("pk", flat=True)
        .distinct()
    )
