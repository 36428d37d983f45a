"""Public hearings and forum sessions, and registration for them.

An event is a Wagtail page in each language; both languages' pages are one
event (Wagtail's `translation_key`), so the seats, the registrations and the
waiting list live on `Seating`, keyed by it, and `Seating` is also the row a
registration locks (select_for_update) so two people never take the last seat.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.fields import EncryptedTextField


class EventKind(models.TextChoices):
    HEARING = "hearing", _("Public hearing")
    FORUM_SESSION = "forum_session", _("Forum session")
    SIDE_EVENT = "side_event", _("Side event")


class EventLanguage(models.TextChoices):
    KO = "ko", pgettext_lazy("event language", "In Korean")
    EN = "en", pgettext_lazy("event language", "In English")
    BOTH = "ko,en", pgettext_lazy("event language", "In Korean and English")


class EventIndexPage(Page):
    """The list of upcoming events in one language."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index page")

    def get_context(self, request, *args, **kwargs):
        # Late: selectors import this module's models (a cycle at model loading).
        from .selectors import event_list

        context = super().get_context(request, *args, **kwargs)
        context["events"] = event_list(parent=self)
        return context


class EventPage(Page):
    """A public hearing, a forum session or a side event."""

    MAX_CAPACITY = 100_000

    kind = models.CharField(
        _("kind of event"), max_length=20, choices=EventKind.choices, default=EventKind.HEARING
    )
    summary = models.TextField(_("summary"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=255)
    event_language = models.CharField(
        _("language spoken"), max_length=10, choices=EventLanguage.choices, default="ko"
    )
    interpretation = models.TextField(
        _("interpretation"),
        blank=True,
        help_text=_("e.g. Korean–English interpretation, Korean Sign Language."),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, captions, accessible toilets, ..."),
    )
    capacity = models.PositiveIntegerField(_("seats"), default=50)
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("linked consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes_url = models.URLField(
        _("minutes or recording"), blank=True, help_text=_("Published after the event.")
    )
    minutes = RichTextField(
        _("minutes"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"],
        help_text=_("What was said and decided. Shown on the page once the event is over."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("When")),
        FieldPanel("place"),
        FieldPanel("event_language"),
        FieldPanel("interpretation"),
        FieldPanel("accessibility"),
        FieldPanel("capacity"),
        FieldPanel("consultation"),
        MultiFieldPanel(
            [FieldPanel("minutes_url"), FieldPanel("minutes")], heading=_("After the event")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
        if self.capacity and self.capacity > self.MAX_CAPACITY:
            raise ValidationError({"capacity": _("That is more seats than any room has.")})

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def get_context(self, request, *args, **kwargs):
        # Late: selectors import this module's models (a cycle at model loading).
        from .selectors import registration_of, seat_counts

        context = super().get_context(request, *args, **kwargs)
        context["counts"] = seat_counts(event=self)
        context["registration"] = registration_of(event=self, user=request.user)
        return context


class Seating(models.Model):
    """The seats of one event across its languages: the row registrations lock."""

    translation_key = models.UUIDField(_("translation key"), unique=True)

    class Meta:
        verbose_name = _("seating")

    def __str__(self) -> str:
        return str(self.translation_key)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
    WAITING = "waiting", pgettext_lazy("registration status", "On the waiting list")


class Registration(models.Model):
    """One person's place at an event: a seat or a place on the waiting list.
    The database allows one per person per event. `access_needs` is encrypted
    and shown only to the office (never in the public page or the API)."""

    MAX_ACCESS_NEEDS = 2000

    seating = models.ForeignKey(
        Seating, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    access_needs = EncryptedTextField(_("access needs"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # Set when the day-before reminder went out (events.services.reminders_send):
    # a person is reminded once, however often the command runs.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["seating", "user"], name="registration_once"),
        ]
        indexes = [
            models.Index(
                fields=["seating", "status", "created_at", "id"], name="registration_queue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.seating_id}: {self.status}"
