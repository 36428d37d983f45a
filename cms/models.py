from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock


class HomePage(Page):
    """The site's front page, one per language."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "consultations.ConsultationIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """A page of text: the Human Rights Charter, the ordinance, about the office."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class OfficeSettings(BaseSiteSetting):
    """Contact details of the Human Rights Office shown in every page's footer."""

    name_ko = models.CharField(_("office name (Korean)"), max_length=120, blank=True)
    name_en = models.CharField(_("office name (English)"), max_length=120, blank=True)
    address_ko = models.CharField(_("address (Korean)"), max_length=255, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hours_ko = models.CharField(_("opening hours (Korean)"), max_length=120, blank=True)
    hours_en = models.CharField(_("opening hours (English)"), max_length=120, blank=True)
    # Shown to a complainant whose complaint was rejected or referred (complaints).
    elsewhere_ko = models.TextField(
        _("where else to turn (Korean)"),
        blank=True,
        help_text=_(
            "Other bodies that can help, shown on rejected and referred complaints. "
            "One per line. Empty: the built-in text (National Human Rights Commission, legal aid)."
        ),
    )
    elsewhere_en = models.TextField(_("where else to turn (English)"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("name_ko"), FieldPanel("name_en")], heading=_("Name")),
        MultiFieldPanel([FieldPanel("address_ko"), FieldPanel("address_en")], heading=_("Address")),
        FieldPanel("phone"),
        FieldPanel("email"),
        MultiFieldPanel([FieldPanel("hours_ko"), FieldPanel("hours_en")], heading=_("Hours")),
        MultiFieldPanel(
            [FieldPanel("elsewhere_ko"), FieldPanel("elsewhere_en")],
            heading=_("Where else to turn"),
        ),
    ]

    class Meta:
        verbose_name = _("Human Rights Office contact")

    def _localized(self, field: str) -> str:
        english = (get_language() or "ko").startswith("en")
        primary, fallback = ("en", "ko") if english else ("ko", "en")
        return getattr(self, f"{field}_{primary}") or getattr(self, f"{field}_{fallback}")

    @property
    def name(self) -> str:
        return self._localized("name")

    @property
    def address(self) -> str:
        return self._localized("address")

    @property
    def hours(self) -> str:
        return self._localized("hours")

    @property
    def elsewhere(self) -> str:
        return self._localized("elsewhere")
