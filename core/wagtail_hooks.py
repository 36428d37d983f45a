"""The Wagtail admin under the strict CSP (core.headers): the script that
starts the widgets and panels whose inline scripts our template overrides
removed (static/js/admin-csp.js, core/templates/wagtailadmin/)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def admin_csp_js():
    return format_html('<script src="{}"></script>', static("js/admin-csp.js"))


# Wagtail's chooser widgets (page, image, document, snippet) end with an inline
# `<script>new PageChooser(id, options)</script>` (BaseChooser.render). Under the
# strict CSP we render a marker instead, which admin-csp.js turns into the same
# call for the constructors it knows. A chooser that writes its own script
# (render_js_init overridden, e.g. the workflow task chooser) keeps Wagtail's.
_CHOOSERS = {"Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser"}


def _patch_choosers() -> None:
    import json

    from django.utils.safestring import mark_safe
    from wagtail.admin.widgets.chooser import BaseChooser

    original = BaseChooser.render
    if getattr(original, "_strict_csp", False):
        return

    def render(self, name, value, attrs=None, renderer=None):
        uses_options = type(self).render_js_init is BaseChooser.render_js_init
        if not (uses_options and self.js_constructor in _CHOOSERS and attrs and "id" in attrs):
            return original(self, name, value, attrs=attrs, renderer=renderer)
        value_data = self.get_value_data(value)
        widget_html = self.render_html(name, value_data, attrs)
        options = self.get_js_init_options(attrs["id"], name, value_data)
        marker = format_html(
            '<span hidden data-admin-init="{}" data-admin-target="{}" data-admin-config="{}">'
            "</span>",
            self.js_constructor,
            attrs["id"],
            json.dumps(options),
        )
        return mark_safe(f"{widget_html}{marker}")  # noqa: S308 - both parts escaped above/by Wagtail

    render._strict_csp = True  # type: ignore[attr-defined]
    BaseChooser.render = render


_patch_choosers()
