from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale, Site, get_page_models

        from .models import OfficeSettings

        # Publishing, unpublishing and moving a page all end in the page's save(),
        # as do editors' draft saves and scripts that add live pages directly, so
        # saves and deletes of every page model cover what the menu shows.
        for model in [*get_page_models(), Site, Locale, OfficeSettings]:
            for signal in (post_save, post_delete):
                signal.connect(_clear_site_chrome, sender=model, dispatch_uid="cms.site_chrome")


def _clear_site_chrome(**kwargs) -> None:
    from .selectors import site_chrome_cache_clear

    site_chrome_cache_clear()
