from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedTextField
from .notifications import render_message


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Notification(models.Model):
    """A message to one user, stored so nothing is lost while they are offline,
    and pushed to their /ws/notifications/ stream when it is saved.

    `payload` holds identifiers only (a case reference, a page id), never
    complaint text or contact details.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"

    @property
    def message(self) -> str:
        return render_message(self.kind, self.payload)

    def as_event(self) -> dict:
        """The JSON sent on the socket (CONTRACT.md section 4)."""
        return {
            "type": self.kind,
            "id": self.pk,
            "message": self.message,
            "url": self.url,
            "payload": self.payload,
            "created_at": self.created_at.isoformat(),
        }


class HealthMark(models.Model):
    """What /healthz reads besides a `SELECT 1`: the encryption canary (written
    by migrate with the keys of the day, so a process started with other keys
    is found out) and each task worker's last check-in (core.worker)."""

    CANARY = "encryption-canary"
    CANARY_TEXT = "canary"

    name = models.CharField(_("name"), max_length=80, primary_key=True)
    at = models.DateTimeField(_("at"))
    secret = EncryptedTextField(_("encrypted value"), blank=True, default="")

    class Meta:
        verbose_name = _("health mark")
        verbose_name_plural = _("health marks")

    def __str__(self) -> str:
        return self.name


class TaskRun(models.Model):
    """One row per task run that must not take effect twice (core.tasks.once):
    a retried or doubly-run task finds its row and does nothing. Holds the task
    result's id only; pruned with the task rows (manage.py prune_tasks)."""

    task_id = models.CharField(_("task"), max_length=64, primary_key=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")

    def __str__(self) -> str:
        return self.task_id


class FollowTarget(models.TextChoices):
    CONSULTATION = "consultation", _("consultation")
    PROPOSAL = "proposal", _("proposal")
    PETITION = "petition", _("petition")
    TOPIC = "topic", _("topic")


class Follow(models.Model):
    """A person follows a consultation, a proposal, a petition or a topic (an
    indicator area). One row per
    person and thing: the unique constraint makes a repeat (or two requests in
    parallel) a no-op. `object_id` is the id the API uses for that target."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("user"),
    )
    target = models.CharField(_("what is followed"), max_length=20, choices=FollowTarget.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "target", "object_id"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["target", "object_id"], name="follow_followers")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.target} {self.object_id}"


class Frequency(models.TextChoices):
    NOW = "now", _("as it happens")
    DAILY = "daily", _("once a day")
    WEEKLY = "weekly", _("once a week")
    NEVER = "never", _("never")


class PreferenceKind(models.TextChoices):
    """What a person may choose how often to hear about. The first four are
    news of what they follow (the kind is the followed thing's target);
    `petition_answer` is the e-mail a signer gets when a petition they signed
    is answered, `event_reminder` the e-mail the day before an event they
    registered for."""

    CONSULTATION = "consultation", _("Consultations I follow")
    PROPOSAL = "proposal", _("Proposals I follow")
    PETITION = "petition", _("Petitions I follow")
    TOPIC = "topic", _("Topics I follow")
    PETITION_ANSWER = "petition_answer", _("Answers to petitions I signed (e-mail)")
    EVENT_REMINDER = "event_reminder", _("Reminders of events I registered for (e-mail)")


# News of what people follow: the kinds that can come as a digest.
FOLLOW_KINDS = ("consultation", "proposal", "petition", "topic")
# E-mail-only kinds: sent when it happens, or never.
EMAIL_ONLY_KINDS = ("petition_answer", "event_reminder")


class NotificationPreference(models.Model):
    """How often a person hears about one kind of news, and how: `frequency`
    (as it happens, in a daily or weekly digest, never) applies to both
    channels, `in_app` (the notification list and badge) and `email`. No row
    means the defaults: news as it happens, in-app only; the e-mail-only kinds
    by e-mail."""

    DEFAULT_FREQUENCY = Frequency.NOW

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PreferenceKind.choices)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.NOW
    )
    in_app = models.BooleanField(_("in the notification list"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.frequency}"

    @staticmethod
    def default_email(kind: str) -> bool:
        return kind in EMAIL_ONLY_KINDS


class FollowNews(models.Model):
    """Something new about a followed thing (a proposal in a consultation, an
    official answer, a phase change, an indicator measured): stored once per
    thing, never once per follower. Followers who want news as it happens
    are told by batched tasks; the digests read these rows for their period.

    `key` names the event itself (e.g. `consultation:12:closed`): the same
    event published twice (a retried task, a rerun scan) is stored once. A
    consultation's news is stored for each language's page (same key), since
    people follow the page in their language; a reader sees it once.
    `payload` holds identifiers and public titles only."""

    key = models.CharField(_("what happened"), max_length=120)
    target = models.CharField(_("what is followed"), max_length=20, choices=FollowTarget.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    kind = models.CharField(_("kind"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("news of a followed thing")
        verbose_name_plural = _("news of followed things")
        constraints = [
            models.UniqueConstraint(fields=["key", "target", "object_id"], name="follow_news_once"),
        ]
        indexes = [
            models.Index(fields=["created_at", "target", "object_id"], name="follow_news_recent")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def message(self) -> str:
        return render_message(self.kind, self.payload)


class DigestRun(models.Model):
    """One digest period (daily of 2026-12-01, weekly from Monday
    2026-11-30) being sent: the batches walk the recipients in id order and
    move `cursor` on; `finished_at` is set after the last. A rerun of the
    command for the same period finds the row and starts nothing new."""

    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period starts"))
    until = models.DateTimeField(_("news up to"))
    cursor = models.PositiveBigIntegerField(_("last recipient handled"), default=0)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    sent = models.PositiveIntegerField(_("digests sent"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [
            models.UniqueConstraint(fields=["period", "period_start"], name="digest_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start}"


class DigestSent(models.Model):
    """One person's digest of one period: written in the same transaction as
    the task that e-mails it, so a digest goes out once per person and period
    however often a batch or the command runs. `news` lists the news ids it
    held (the in-app copy links to it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("user"),
    )
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period starts"))
    until = models.DateTimeField(_("news up to"))
    news = models.JSONField(_("news"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "period_start"], name="digest_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period} {self.period_start}"
