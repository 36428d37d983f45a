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
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import has_transition_perm

from accounts.roles import Role
from core.errors import Invalid, NotNow, Refused, TransitionRefused, model_clean
from core.models import PreferenceKind
from core.permissions import may
from core.sanitize import clean_html, clean_text
from core.selectors import users_opted_out
from core.services import emails_send_batch, notification_send, unsubscribe_url
from core.tasks import enqueue_on_commit
from moderation.models import Visibility

from . import conf, news
from .models import ANSWER_MAX_LENGTH, REJECTION_NOTE_MAX_LENGTH, Petition, Signature
from .selectors import petition_get_for

logger = logging.getLogger(__name__)


class PetitionClosed(NotNow):
    """The petition does not take (or give back) signatures any more."""

    default_code = "petition_closed"
    default_message = gettext_lazy("This petition is closed. It does not take signatures any more.")


class PetitionNotEditable(NotNow):
    """Only a draft can be changed; this one was already sent to the moderators."""

    default_code = "not_editable"
    default_message = gettext_lazy(
        "This petition was already sent to the moderators, so it can no longer be "
        "changed. Only a draft can be changed."
    )


@dataclass(frozen=True)
class SignResult:
    signature_count: int
    created: bool


def _petition_url(petition: Petition) -> str:
    return reverse("petitions:detail", kwargs={"pk": petition.pk})


def _check(bound_transition, user) -> None:
    """Refuse a person's move: wrong state → TransitionRefused; no right → Refused."""
    from django_fsm import can_proceed

    if not can_proceed(bound_transition):
        raise TransitionRefused(_("This step is not possible for the petition now."))
    if not has_transition_perm(bound_transition, user):
        raise Refused


def _locked(petition: Petition) -> Petition:
    """The petition re-read under a row lock: concurrent moves wait for this one."""
    return Petition.objects.select_for_update().get(pk=petition.pk)


# --- creating and moderating ------------------------------------------------


def petition_create(
    *, creator, title: str, action: str, background: str = "", threshold: int | None = None
) -> Petition:
    """A resident starts a petition as a draft. `threshold` defaults to
    PETITIONS_THRESHOLD; only demo data and tests pass a smaller one."""
    if not may(creator, "petitions.create"):
        raise Refused
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

    Only the creator (`petitions.edit`: the petition goes out in their name,
    and a superuser is nobody's creator). The state is checked under the row
    lock, so an edit racing the submit cannot land after it."""
    petition = _locked(petition)
    if not may(user, "petitions.edit", petition):
        raise Refused
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
        raise Invalid(
            _("This text is too long (at most %(max)s characters).") % {"max": limit}, field=field
        )


def _set_text(petition: Petition, *, title: str, action: str, background: str) -> None:
    """Sanitise and validate the creator's words onto `petition` (create and edit alike)."""
    title = clean_text(title).strip()
    action = clean_text(action).strip()
    if not title:
        raise Invalid(_("Give your petition a title."), field="title")
    if not action:
        raise Invalid(_("Say what the city should do."), field="action")
    petition.title = title
    petition.action = action
    petition.background = clean_text(background).strip()
    # The state machines (status, moderation state) are protected: not cleaned here.
    model_clean(petition, exclude=["status", "state", "threshold"])


@transaction.atomic
def petition_submit(*, petition: Petition, user) -> Petition:
    """The creator sends the draft to moderation."""
    petition = _locked(petition)
    _check(petition.submit, user)  # petitions.submit: the creator only, never a superuser
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
        raise Invalid(_("Choose one of the reasons."), field="reason")
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

    The signature row is the only write (docs/architecture.md, "Signing
    without a hot row"): one conditional INSERT that lands only while the
    petition takes signatures, with the unique constraint (petition, user) as
    the one judge of "already signed" (ON CONFLICT DO NOTHING). The petition
    row is not updated here: `signature_count` is folded from the rows by
    `petition_fold` (the task worker, every second), which also makes the
    threshold move, exactly once, under the petition's row lock.

    On PostgreSQL the INSERT reads the petition FOR SHARE: signers do not wait
    for each other, but a close or a fold (FOR UPDATE) waits for the signers
    in flight and the signers after it see its result, so a petition closed
    takes no late signature and a fold never misses a row below its mark.

    The count answered is the folded count plus the rows after the fold's
    mark (the caller's own among them): what the count will read after the
    next fold, read without a write.
    """
    if not may(user, "petitions.sign", petition):
        raise Refused
    now = timezone.now()
    if not petition.accepts_signatures(now):
        raise PetitionClosed
    created = _insert_signature(
        petition_id=petition.pk, user_id=user.pk, show_name=bool(show_name), now=now
    )
    if not created:
        petition = Petition.objects.get(pk=petition.pk)
        if not petition.accepts_signatures(now):
            raise PetitionClosed
    return SignResult(signature_count=petition_count_now(petition_id=petition.pk), created=created)


def _signable_where(alias: str, now) -> tuple[str, list]:
    """SQL (and params) for "`alias` takes signatures now": the same judgement
    as Petition.accepts_signatures, so that the row it holds FOR SHARE and
    the row the Python check read cannot disagree."""
    statuses = ", ".join(["%s"] * len(Petition.SIGNABLE_STATUSES))
    sql = (
        f"{alias}.status IN ({statuses}) "
        f"AND ({alias}.closes_at IS NULL OR {alias}.closes_at > %s) AND {alias}.state <> %s"
    )
    return sql, [*Petition.SIGNABLE_STATUSES, now, Visibility.HIDDEN]


def _insert_signature(*, petition_id: int, user_id: int, show_name: bool, now) -> bool:
    """INSERT the signature if the petition takes signatures at `now`; True if
    a row was inserted (False: closed, or already signed)."""
    signature = Signature._meta.db_table
    table = Petition._meta.db_table
    where, where_params = _signable_where("p", now)
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    sql = (
        f"INSERT INTO {signature} (petition_id, user_id, show_name, created_at, notified_at) "  # noqa: S608 - model table names
        f"SELECT p.id, %s, %s, %s, NULL FROM {table} p "
        f"WHERE p.id = %s AND {where}{lock} "
        "ON CONFLICT (petition_id, user_id) DO NOTHING RETURNING id"
    )
    params = [user_id, show_name, now, petition_id, *where_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def petition_sign_by_id(*, petition_id: int, user, show_name: bool = False) -> SignResult:
    """`petition_sign` for a caller that has only the id (the API), with the
    usual case in as few statements as it can be: a resident signing a
    petition that takes signatures. Such a petition is public, so it is not
    read first to judge whether the signer may see it: on PostgreSQL one
    statement locks it FOR SHARE, inserts (ON CONFLICT DO NOTHING) and counts;
    on SQLite an INSERT and the count. Whatever else it is (a petition hidden,
    closed or not there, a signer refused, on SQLite also a repeat) reads the
    petition through the selector and is judged by `petition_sign`, so every
    answer is the same as the page's.

    `petitions.sign` is asked without the petition: the rule is about the
    signer only (petitions.rules), and "may they see it" is settled by the
    statement finding the petition signable."""
    if may(user, "petitions.sign"):
        if connection.vendor == "postgresql":
            signed = _sign_in_one_statement(
                petition_id=petition_id, user_id=user.pk, show_name=bool(show_name)
            )
        elif _insert_signature(
            petition_id=petition_id, user_id=user.pk, show_name=bool(show_name), now=timezone.now()
        ):
            signed = SignResult(petition_count_now(petition_id=petition_id), created=True)
        else:
            signed = None
        if signed is not None:
            return signed
    petition = petition_get_for(user=user, pk=petition_id)
    return petition_sign(petition=petition, user=user, show_name=show_name)


def _sign_in_one_statement(*, petition_id: int, user_id: int, show_name: bool) -> SignResult | None:
    """PostgreSQL: lock the petition FOR SHARE if it takes signatures, insert
    the signature and count, in one statement; None if the petition does not
    take signatures (or is not there). The count's subquery reads the
    statement's snapshot, which does not hold its own INSERT: the new row is
    added to it here."""
    signature = Signature._meta.db_table
    table = Petition._meta.db_table
    now = timezone.now()
    where, where_params = _signable_where("t", now)
    sql = (
        f"WITH p AS (SELECT t.id, t.signature_count, t.signatures_folded_through FROM {table} t "  # noqa: S608 - model table names
        f"WHERE t.id = %s AND {where} FOR SHARE), "
        f"ins AS (INSERT INTO {signature} "
        "(petition_id, user_id, show_name, created_at, notified_at) "
        "SELECT p.id, %s, %s, %s, NULL FROM p "
        "ON CONFLICT (petition_id, user_id) DO NOTHING RETURNING 1) "
        "SELECT (SELECT COUNT(*) FROM ins), p.signature_count + "
        f"(SELECT COUNT(*) FROM {signature} s "
        "WHERE s.petition_id = p.id AND s.id > p.signatures_folded_through) FROM p"
    )
    params = [petition_id, *where_params, user_id, show_name, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    inserted, count = int(row[0]), int(row[1])
    return SignResult(signature_count=count + inserted, created=bool(inserted))


def petition_count_now(*, petition_id: int) -> int:
    """The folded count plus the signatures after the fold's mark: one read."""
    signature = Signature._meta.db_table
    table = Petition._meta.db_table
    sql = (
        f"SELECT p.signature_count + (SELECT COUNT(*) FROM {signature} s "  # noqa: S608 - model table names
        "WHERE s.petition_id = p.id AND s.id > p.signatures_folded_through) "
        f"FROM {table} p WHERE p.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [petition_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def petition_fold(*, petition_id: int, recount: bool = False) -> Petition | None:
    """Fold the signatures after the petition's mark into `signature_count`,
    under the petition's row lock, and make the threshold move if the count
    reached it (exactly once: the move happens under the lock and only from
    open). `recount` counts every row instead (after deletions).

    Invariant: `signature_count` is the number of rows with
    id <= `signatures_folded_through`. Under the lock no signature is in flight
    (each INSERT holds the row FOR SHARE), so every id below the new mark is
    committed and counted."""
    with transaction.atomic():
        petition = Petition.objects.select_for_update().filter(pk=petition_id).first()
        if petition is None:
            return None
        rows = Signature.objects.filter(petition_id=petition_id)
        if recount:
            aggregate = rows.aggregate(n=Count("id"), last=Max("id"))
            count, last = aggregate["n"], aggregate["last"] or 0
        else:
            aggregate = rows.filter(id__gt=petition.signatures_folded_through).aggregate(
                n=Count("id"), last=Max("id")
            )
            count = petition.signature_count + aggregate["n"]
            last = aggregate["last"] or petition.signatures_folded_through
        if (count, last) != (petition.signature_count, petition.signatures_folded_through):
            petition.signature_count = count
            petition.signatures_folded_through = last
            Petition.objects.filter(pk=petition_id).update(
                signature_count=count, signatures_folded_through=last
            )
        if (
            petition.status == Petition.Status.OPEN
            and petition.signature_count >= petition.threshold
        ):
            _reach_threshold(petition)
        return petition


def petitions_fold_pending() -> int:
    """Fold every petition that has signatures after its mark; returns how many.
    The task worker calls it on every cycle (about once a second), so the
    count shown reaches the number of rows within two seconds."""
    pending = Signature.objects.filter(
        petition_id=OuterRef("pk"), id__gt=OuterRef("signatures_folded_through")
    )
    ids = list(
        Petition.objects.filter(status__in=Petition.SIGNABLE_STATUSES)
        .filter(Exists(pending))
        .values_list("pk", flat=True)
    )
    for pk in ids:
        petition_fold(petition_id=pk)
    return len(ids)


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
    news.threshold_reached(petition)


def petitions_staff():
    """The people who answer petitions: the office's supervisors."""
    return get_user_model().objects.filter(groups__name=Role.SUPERVISOR, is_active=True).distinct()


def petition_withdraw_signature(*, petition: Petition, user) -> int:
    """Take back one's signature while signing is open; returns the new count.
    The deletion and a full recount share the petition's row lock, so the
    count is exact at once (a rare path: it may count every row)."""
    with transaction.atomic():
        petition = _locked(petition)
        if not petition.accepts_signatures():
            raise PetitionClosed(
                _("This petition is closed. Signatures can no longer be withdrawn.")
            )
        Signature.objects.filter(petition=petition, user=user).delete()
        folded = petition_fold(petition_id=petition.pk, recount=True)
    return folded.signature_count if folded else 0


def signatures_remove_for_user(*, user) -> int:
    """Remove every signature of `user` (their account is being deleted), open
    petition or not, each petition recounted under its row lock, so the counts
    stay exact; returns how many."""
    removed = 0
    with transaction.atomic():
        ids = list(Signature.objects.filter(user=user).values_list("petition_id", flat=True))
        for petition in Petition.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            deleted, _rows = Signature.objects.filter(petition=petition, user=user).delete()
            if deleted:
                petition_fold(petition_id=petition.pk, recount=True)
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
            # Fold first, under the lock the close keeps: the signatures that
            # came before the closing date count, and if they reached the
            # threshold the petition awaits its answer instead of closing.
            petition = petition_fold(petition_id=pk)
            # The clock is the actor: no person's permission applies here.
            if (
                petition is None
                or petition.status != Petition.Status.OPEN
                or not petition.is_expired(now)
            ):
                continue
            petition.close()
            petition.save()
            notification_send(
                user=petition.creator,
                kind="petition.closed",
                payload={"petition": petition.pk, "title": petition.title},
                url=_petition_url(petition),
            )
            news.closed(petition)
            closed += 1
    return closed


# --- the answer -----------------------------------------------------------------


@transaction.atomic
def petition_answer(*, petition: Petition, user, answer: str) -> Petition:
    """Staff publish the official answer; every signer is told through tasks."""
    _check_length("answer", answer, ANSWER_MAX_LENGTH)
    answer = clean_html(answer).strip()
    if not clean_text(answer).strip():
        raise Invalid(_("Write the answer."), field="answer")
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
    enqueue_on_commit("petitions.tasks.notify_signers", petition_id=petition.pk)
    news.answered(petition)  # followers, through core.follows
    return petition


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
