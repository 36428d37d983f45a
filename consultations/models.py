"""Consultations: a draft policy on a Wagtail page, commented on section by
section, with proposals that residents support and the office answers.

Comments and proposals hang off a `Discussion`, one per consultation
*translation group* (Wagtail's `translation_key`): the Korean and English pages
of one consultation share one conversation, and because simple_translation
keeps StreamField block ids, a comment's `section` (the block id) points at the
same section in every language.

Counters live on `Discussion`, not on the page: publishing a page revision
restores every page field from the revision, which would roll the counters back.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField, transition
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core import page_cache
from core.models import TimeStampedModel
from moderation.models import NOTE_MAX_LENGTH, Moderated, Reason, Visibility

# Limits on what people write, used alike by the forms, the API schemas and
# the services (docs/architecture.md, "One door"): one number per field.
COMMENT_BODY_MAX_LENGTH = 5000
PROPOSAL_TITLE_MAX_LENGTH = 200
PROPOSAL_BODY_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 5000
MODERATION_NOTE_MAX_LENGTH = NOTE_MAX_LENGTH  # a report's, a hide's or a block's note


class Phase(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("consultation phase", "Not open yet")
    OPEN = "open", pgettext_lazy("consultation phase", "Open for comments")
    CLOSED = "closed", pgettext_lazy("consultation phase", "Closed")


class Stance(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    NEUTRAL = "neutral", _("Neutral")


class SectionBlock(blocks.StructBlock):
    """One section of the draft. Its StreamField block id is its stable anchor."""

    title = blocks.CharBlock(label=_("Section title"), max_length=200)
    body = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul", "h3", "h4"]
    )

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "consultations/blocks/section_block.html"
        preview_value = {"title": "Purpose", "body": "<p>This policy protects everyone.</p>"}


class DraftBlock(blocks.StreamBlock):
    section = SectionBlock()

    class Meta:
        label = _("Draft policy")


class ConsultationIndexPage(Page):
    """The list of consultations in one language."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("consultation index page")

    def get_context(self, request, *args, **kwargs):
        # Late: selectors import this module's models (a cycle at model loading).
        from .selectors import consultation_list

        context = super().get_context(request, *args, **kwargs)
        context["consultations"] = consultation_list(parent=self)
        return context


class ConsultationPage(Page):
    """A draft policy open for comments and proposals between two dates."""

    summary = models.TextField(_("summary"))
    easy_read_summary = models.TextField(
        _("easy-read summary"),
        blank=True,
        help_text=_("Short sentences and plain words, for everyone."),
    )
    department = models.CharField(_("responsible department"), max_length=200)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    draft = StreamField(DraftBlock(), verbose_name=_("draft policy"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("easy_read_summary"),
        FieldPanel("department"),
        MultiFieldPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Dates")),
        FieldPanel("draft"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("easy_read_summary"),
        index.SearchField("draft"),
    ]
    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def phase_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return Phase.UPCOMING
        if now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN

    @property
    def phase(self) -> str:
        return self.phase_at()

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN

    def sections(self) -> list[dict]:
        """[{"anchor", "title"}] in the draft's order; anchor = the block id."""
        return [
            {"anchor": block.id, "title": block.value["title"]}
            for block in self.draft
            if block.block_type == "section"
        ]

    def section_title(self, anchor: str) -> str:
        for section in self.sections():
            if section["anchor"] == anchor:
                return section["title"]
        return ""

    # Filters and cursors readers follow; other parameters are not worth a cache entry.
    CACHED_PARAMETERS = frozenset({"section", "order", "cursor"})

    def seconds_to_next_phase(self, now: datetime | None = None) -> int | None:
        """Until the page's text changes by itself (it opens, it closes), or None."""
        now = now or timezone.now()
        upcoming = [moment for moment in (self.opens_at, self.closes_at) if moment > now]
        return int((min(upcoming) - now).total_seconds()) if upcoming else None

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if set(request.GET) <= self.CACHED_PARAMETERS:
            seconds = self.seconds_to_next_phase()
            page_cache.allow_anonymous_caching(
                response, page_cache.MAX_SECONDS if seconds is None else seconds
            )
        return response

    @classmethod
    def routed_queryset(cls, queryset):
        """The page read by a cached route (cms/routing.py) brings its discussion's
        row along (selectors.discussion_of reads it): one query fewer per view."""
        rows = Discussion.objects.filter(translation_key=models.OuterRef("translation_key"))
        return queryset.annotate(
            **{
                f"routed_{alias}": models.Subquery(rows.values(field)[:1])
                for alias, field in (
                    ("discussion_id", "id"),
                    ("comment_count", "comment_count"),
                    ("proposal_count", "proposal_count"),
                    ("discussion_created_at", "created_at"),
                )
            }
        )

    def get_context(self, request, *args, **kwargs):
        # Late: page_context imports this module's models (a cycle at model loading).
        from .page_context import consultation_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(consultation_page_context(request, self))
        return context


class Discussion(models.Model):
    """The conversation shared by every translation of one consultation."""

    translation_key = models.UUIDField(_("translation key"), unique=True)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    proposal_count = models.PositiveIntegerField(_("proposals"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self) -> str:
        return str(self.translation_key)


class Comment(Moderated, TimeStampedModel):
    """A comment on the whole draft (`section` empty) or on one section."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="comments", verbose_name=_("discussion")
    )
    section = models.CharField(_("section"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"))
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # Keyset pagination walks (discussion, parent, id) in either direction.
            models.Index(fields=["discussion", "parent", "id"], name="comment_thread_keyset"),
            models.Index(fields=["discussion", "section", "id"], name="comment_section_keyset"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk}"

    # state, hidden_reason, hidden_by, hidden_at, report_count, hide() and
    # restore() come from moderation.models.Moderated.

    @transition(
        field="state", source=[Visibility.VISIBLE, Visibility.HIDDEN], target=Visibility.DELETED
    )
    def delete_by_author(self) -> None:
        """The author deletes it; a tombstone keeps the replies in place."""


class ProposalStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("proposal status", "Waiting for an answer")
    UNDER_CONSIDERATION = (
        "under_consideration",
        pgettext_lazy("proposal status", "Under consideration"),
    )
    ACCEPTED = "accepted", pgettext_lazy("proposal status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("proposal status", "Rejected")
    IMPLEMENTED = "implemented", pgettext_lazy("proposal status", "Implemented")


ANSWER_STATUSES = [
    ProposalStatus.UNDER_CONSIDERATION,
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
    ProposalStatus.IMPLEMENTED,
]


class Proposal(Moderated, TimeStampedModel):
    """A resident's proposal; others support it; the office answers in public."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("discussion")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consultation_proposals",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=PROPOSAL_TITLE_MAX_LENGTH)
    body = models.TextField(_("proposal"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    status = FSMField(
        _("status"), choices=ProposalStatus.choices, default=ProposalStatus.NEW, protected=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["discussion", "-support_count", "id"], name="proposal_top"),
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk}"

    @property
    def is_answered(self) -> bool:
        return self.status != ProposalStatus.NEW

    @transition(field=status, source="*", target=RETURN_VALUE(*ANSWER_STATUSES))
    def give_answer(self, status: str) -> str:
        """Staff publish (or update) the office's answer; the new status is `status`."""
        return status


class Support(models.Model):
    """One resident's support of one proposal; the database keeps it to one."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_supports",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="support_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.proposal_id}"


class PostingBlock(models.Model):
    """A moderator has stopped this account from posting in consultations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_block",
        verbose_name=_("user"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=MODERATION_NOTE_MAX_LENGTH, blank=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("posting block")
        verbose_name_plural = _("posting blocks")

    def __str__(self) -> str:
        return f"block {self.user_id}"

    @property
    def reason_label(self) -> str:
        return Reason(self.reason).label
