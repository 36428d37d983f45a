from django.db import models
from django.utils.translation import get_language, pgettext_lazy
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
    subpage_types = [
        "cms.StandardPage",
        "consultations.ConsultationIndexPage",
        "events.EventIndexPage",
    ]
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


# The two bodies the platform speaks for (docs/glossary.md), when the settings
# leave a name empty: the city's human rights division answers petitions and
# proposals and runs the consultations; the ombudsperson takes complaints.
DEFAULT_OFFICE_NAME = pgettext_lazy("office name", "Human Rights Office")
DEFAULT_OMBUDS_NAME = pgettext_lazy("office name", "Human Rights Ombudsperson")


@register_setting(icon="site")
class OfficeSettings(BaseSiteSetting):
    """The names of the city's two human rights bodies, and the contact details of
    the human rights division shown in every page's footer."""

    name_ko = models.CharField(_("office name (Korean)"), max_length=120, blank=True)
    name_en = models.CharField(_("office name (English)"), max_length=120, blank=True)
    ombuds_name_ko = models.CharField(
        _("name of the complaints body (Korean)"),
        max_length=120,
        blank=True,
        help_text=_("The body that takes complaints of discrimination, e.g. 인권옴부즈맨."),
    )
    ombuds_name_en = models.CharField(
        _("name of the complaints body (English)"), max_length=120, blank=True
    )
    address_ko = models.CharField(_("address (Korean)"), max_length=255, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hours_ko = models.CharField(_("opening hours (Korean)"), max_length=120, blank=True)
    hours_en = models.CharField(_("opening hours (English)"), max_length=120, blank=True)
    # The public body that runs the site, for the official-site banner
    # ("이 누리집은 광주광역시 공식 누리집입니다") and the footer's operating-agency identifier.
    operator_ko = models.CharField(
        _("operating body (Korean)"), max_length=120, blank=True, help_text=_("e.g. 광주광역시")
    )
    operator_en = models.CharField(
        _("operating body (English)"),
        max_length=120,
        blank=True,
        help_text=_("e.g. Gwangju Metropolitan City"),
    )
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
        MultiFieldPanel(
            [FieldPanel("ombuds_name_ko"), FieldPanel("ombuds_name_en")],
            heading=_("Complaints body"),
        ),
        MultiFieldPanel([FieldPanel("address_ko"), FieldPanel("address_en")], heading=_("Address")),
        FieldPanel("phone"),
        FieldPanel("email"),
        MultiFieldPanel([FieldPanel("hours_ko"), FieldPanel("hours_en")], heading=_("Hours")),
        MultiFieldPanel(
            [FieldPanel("operator_ko"), FieldPanel("operator_en")], heading=_("Operating body")
        ),
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
        """The human rights division (인권평화협력관): petitions, proposals, the footer."""
        return self._localized("name") or str(DEFAULT_OFFICE_NAME)

    @property
    def ombuds_name(self) -> str:
        """The body that takes complaints (인권옴부즈맨)."""
        return self._localized("ombuds_name") or str(DEFAULT_OMBUDS_NAME)

    @property
    def address(self) -> str:
        return self._localized("address")

    @property
    def hours(self) -> str:
        return self._localized("hours")

    @property
    def operator(self) -> str:
        return self._localized("operator")

    @property
    def elsewhere(self) -> str:
        return self._localized("elsewhere")
