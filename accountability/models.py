"""Public accountability (issue 19): Human Rights Indicators with five-year
plans, the department register, recommendations tracked to the end, and
anonymised decisions.

Text the public reads comes in both languages as paired `_ko` / `_en` fields
of one record (as `cms.OfficeSettings` does), not as one Wagtail translation
per locale: an indicator's numbers, a recommendation's status and a
decision's approval belong to one record and must not drift apart between
two copies. `localized(obj, "title")` picks the request's language, falling
back to the other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from complaints.grounds import FieldOfLife, Ground

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000


def localized(obj, field: str) -> str:
    english = (get_language() or "ko").startswith("en")
    primary, fallback = ("en", "ko") if english else ("ko", "en")
    return getattr(obj, f"{field}_{primary}") or getattr(obj, f"{field}_{fallback}")


class Localized:
    """`obj.t.title` is `localized(obj, "title")`, for templates."""

    @property
    def t(self):
        obj = self

        class _Text:
            def __getattr__(self, field):
                return localized(obj, field)

        return _Text()


def _pair(
    name: str, label, *, text: bool = False, blank: bool = False, max_length=TITLE_MAX_LENGTH
):
    def make(language_label):
        verbose = format_lazy("{} ({})", label, language_label)
        if text:
            return models.TextField(verbose, blank=blank, max_length=TEXT_MAX_LENGTH)
        return models.CharField(verbose, max_length=max_length, blank=blank)

    return make("한국어"), make("English")


def _pair_panel(name: str, heading) -> MultiFieldPanel:
    return MultiFieldPanel([FieldPanel(f"{name}_ko"), FieldPanel(f"{name}_en")], heading=heading)


# --- Human Rights Indicators ------------------------------------------------


class IndicatorArea(Localized, models.Model):
    """A group of indicators (e.g. equality and non-discrimination)."""

    slug = models.SlugField(_("short name"), unique=True)
    title_ko, title_en = _pair("title", _("title"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("slug"), _pair_panel("title", _("Title")), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("indicator area")
        verbose_name_plural = _("indicator areas")

    def __str__(self) -> str:
        return localized(self, "title")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(Localized, ClusterableModel):
    """A Human Rights Indicator with its five-year plan (a baseline and a target
    per year) and its measured values."""

    area = models.ForeignKey(
        IndicatorArea, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("area")
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    title_ko, title_en = _pair("title", _("title"))
    unit_ko, unit_en = _pair("unit", _("unit"), max_length=60)
    definition_ko, definition_en = _pair("definition", _("definition"), text=True)
    source_ko, source_en = _pair("source", _("source of the data"), blank=True)
    direction = models.CharField(
        _("direction of good"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    plan_title_ko, plan_title_en = _pair("plan_title", _("plan"), blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    live = models.BooleanField(
        _("shown to the public"),
        default=False,
        help_text=_("Leave off while it is being prepared."),
    )
    consultations = ParentalManyToManyField(
        "consultations.ConsultationPage",
        blank=True,
        related_name="indicators",
        verbose_name=_("related consultations"),
    )
    petitions = ParentalManyToManyField(
        "petitions.Petition",
        blank=True,
        related_name="indicators",
        verbose_name=_("related petitions"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("area")]),
        _pair_panel("title", _("Title")),
        _pair_panel("unit", _("Unit")),
        _pair_panel("definition", _("Definition")),
        _pair_panel("source", _("Source")),
        FieldPanel("direction"),
        MultiFieldPanel(
            [
                FieldPanel("plan_title_ko"),
                FieldPanel("plan_title_en"),
                FieldRowPanel([FieldPanel("baseline_year"), FieldPanel("baseline_value")]),
                InlinePanel("targets", label=_("Target per year")),
            ],
            heading=_("Five-year plan"),
        ),
        InlinePanel("measurements", label=_("Measured value per year")),
        InlinePanel("ground_links", label=_("Grounds of discrimination it bears on")),
        FieldPanel("consultations"),
        FieldPanel("petitions"),
        FieldPanel("live"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["area__sort_order", "sort_order", "code"]
        verbose_name = _("human rights indicator")
        verbose_name_plural = _("human rights indicators")

    def __str__(self) -> str:
        return f"{self.code} {localized(self, 'title')}"


class IndicatorTarget(models.Model):
    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    panels = [FieldRowPanel([FieldPanel("year"), FieldPanel("value")])]

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="indicator_target_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class IndicatorValue(Localized, models.Model):
    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source_ko, source_en = _pair("source", _("source"), blank=True)
    note_ko, note_en = _pair(
        "note", pgettext_lazy("indicator value", "note"), blank=True, max_length=500
    )

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("value")]),
        FieldRowPanel([FieldPanel("source_ko"), FieldPanel("source_en")]),
        FieldRowPanel([FieldPanel("note_ko"), FieldPanel("note_en")]),
    ]

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="indicator_value_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class IndicatorGround(models.Model):
    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="ground_links")
    code = models.CharField(_("ground"), max_length=32, choices=Ground.choices)

    panels = [FieldPanel("code")]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="indicator_ground_once")
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return self.code


# --- Departments and recommendations -----------------------------------------


class Department(Localized, models.Model):
    """The register of city departments the office addresses."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ko, name_en = _pair("name", _("name"))

    panels = [FieldPanel("code"), _pair_panel("name", _("Name"))]

    class Meta:
        ordering = ["code"]
        verbose_name = _("city department")
        verbose_name_plural = _("city departments")

    def __str__(self) -> str:
        return localized(self, "name")


class Answer(models.TextChoices):
    NONE = "", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", pgettext_lazy("department answer", "Rejected")


class RecommendationStatus(models.TextChoices):
    """The public status (CONTRACT.md section 3), derived from the answer and the
    implementation, never stored apart from them."""

    AWAITING_RESPONSE = "awaiting_response", _("Awaiting the department's answer")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", pgettext_lazy("department answer", "Rejected")
    IMPLEMENTED = "implemented", _("Implemented")


class Recommendation(Localized, ClusterableModel):
    """A recommendation of the office to a city department, from a decided case
    or on the office's own initiative; recorded by the office with the
    department's answer and the implementation milestones."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("department"),
    )
    title_ko, title_en = _pair("title", _("title"))
    text_ko, text_en = _pair("text", _("recommendation"), text=True)
    legal_basis_ko, legal_basis_en = _pair("legal_basis", _("legal basis"), blank=True)
    ground = models.CharField(
        _("ground"), max_length=32, choices=Ground.choices, blank=True, default=""
    )
    issued_at = models.DateField(_("issued on"), default=timezone.localdate)
    response_due = models.DateField(_("answer due"))
    # Private: the case it came from. Never shown or sent anywhere public.
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case (private)"),
    )
    decision = models.ForeignKey(
        "accountability.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("published decision"),
    )
    answer = models.CharField(
        _("department's answer"), max_length=16, choices=Answer.choices, blank=True, default=""
    )
    answer_text_ko, answer_text_en = _pair("answer_text", _("answer"), text=True, blank=True)
    answered_at = models.DateField(_("answered on"), null=True, blank=True)
    implemented_at = models.DateField(_("implemented on"), null=True, blank=True)
    published = models.BooleanField(_("shown to the public"), default=False)
    # When the overdue answer was escalated (set by the casework deadline engine).
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("department"),
        _pair_panel("title", _("Title")),
        _pair_panel("text", _("Recommendation")),
        _pair_panel("legal_basis", _("Legal basis")),
        FieldPanel("ground"),
        FieldRowPanel([FieldPanel("issued_at"), FieldPanel("response_due")]),
        FieldPanel("decision"),
        MultiFieldPanel(
            [
                FieldPanel("answer"),
                FieldPanel("answered_at"),
                FieldPanel("answer_text_ko"),
                FieldPanel("answer_text_en"),
            ],
            heading=_("The department's answer"),
        ),
        InlinePanel("milestones", label=_("Implementation milestones")),
        FieldPanel("implemented_at"),
        FieldPanel("published"),
    ]

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return localized(self, "title")

    @property
    def status(self) -> str:
        if self.implemented_at:
            return RecommendationStatus.IMPLEMENTED
        if not self.answer:
            return RecommendationStatus.AWAITING_RESPONSE
        return self.answer

    @property
    def status_label(self) -> str:
        return RecommendationStatus(self.status).label


class Milestone(Localized, models.Model):
    recommendation = ParentalKey(
        Recommendation, on_delete=models.CASCADE, related_name="milestones"
    )
    due = models.DateField(_("planned for"), null=True, blank=True)
    done_at = models.DateField(_("done on"), null=True, blank=True)
    text_ko, text_en = _pair("text", _("milestone"), max_length=500)

    panels = [
        FieldRowPanel([FieldPanel("due"), FieldPanel("done_at")]),
        FieldPanel("text_ko"),
        FieldPanel("text_en"),
    ]

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return localized(self, "text")


# --- Anonymised decisions ----------------------------------------------------


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Discrimination found")
    PARTLY_UPHELD = "partly_upheld", _("Partly found")
    NOT_UPHELD = "not_upheld", _("No discrimination found")


class DecisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the supervisor's approval")
    PUBLISHED = "published", _("Published")


class Decision(Localized, models.Model):
    """The public, anonymised version of a decided case. The caseworker writes
    it; the supervisor approves; only then is it public."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=DecisionState.choices, default=DecisionState.DRAFT
    )
    title_ko, title_en = _pair("title", _("title"))
    summary_ko, summary_en = _pair("summary", _("summary"), text=True)
    easy_read_ko, easy_read_en = _pair("easy_read", _("easy-read summary"), text=True)
    body_ko, body_en = _pair("body", _("decision (anonymised)"), text=True)
    # ",sex,age,": filtered with one portable `contains` on both databases.
    ground_codes = models.CharField(_("grounds"), max_length=800, blank=True, default="")
    field_of_life = models.CharField(
        _("field of life"), max_length=32, choices=FieldOfLife.choices, default=FieldOfLife.OTHER
    )
    decided_on = models.DateField(_("decided on"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("published decision")
        verbose_name_plural = _("published decisions")
        indexes = [models.Index(fields=["state", "decided_on"])]

    def __str__(self) -> str:
        return localized(self, "title")

    @property
    def grounds(self) -> list[str]:
        return [code for code in self.ground_codes.split(",") if code]

    @grounds.setter
    def grounds(self, codes) -> None:
        self.ground_codes = "," + ",".join(sorted(set(codes))) + "," if codes else ""

    @property
    def ground_labels(self) -> list[str]:
        return [str(Ground(c).label) for c in self.grounds if c in Ground.values]

    @property
    def public(self) -> bool:
        return self.state == DecisionState.PUBLISHED


class StatisticsSnapshot(models.Model):
    """One computation of the public complaint statistics
    (accountability.statistics): the suppressed tables as published, withheld
    cells already left out, nothing per complaint. Readers take the newest
    row (one query); the task `accountability.tasks.refresh_statistics` or
    `manage.py refresh_statistics` adds the next one."""

    computed_at = models.DateTimeField(db_index=True)
    payload = models.JSONField()
    # Claimed by a conditional update before the refresh is queued, so that
    # one refresh is queued for all workers (their caches may be their own).
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self) -> str:
        return str(self.computed_at)
