from django.conf import settings
from django.db import models
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


class Follow(models.Model):
    """A person follows a consultation, a proposal or a petition. One row per
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
    """What a person may choose how often to hear about. The first three are
    news of what they follow; `petition_answer` is the e-mail a signer gets
    when a petition they signed is answered."""

    CONSULTATION = "consultation", _("Consultations I follow")
    PROPOSAL = "proposal", _("Proposals I follow")
    PETITION = "petition", _("Petitions I follow")
    PETITION_ANSWER = "petition_answer", _("Answers to petitions I signed (e-mail)")


class NotificationPreference(models.Model):
    """How often a person hears about one kind of news. No row means the default
    (`DEFAULT_FREQUENCY`)."""

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

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.frequency}"
