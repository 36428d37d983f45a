"""The office edits indicators, departments and recommendations in Wagtail as
snippets (both languages on one form). Decisions have their own pages with the
caseworker/supervisor approval (accountability.views)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, Indicator, IndicatorArea, Recommendation


class IndicatorAreaViewSet(SnippetViewSet):
    model = IndicatorArea
    icon = "folder-open-inverse"
    list_display = ["slug", "title_ko", "title_en"]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    list_display = ["code", "title_ko", "title_en", "area", "live"]
    list_filter = ["area", "live"]
    search_fields = ["code", "title_ko", "title_en"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["code", "name_ko", "name_en"]


class RecommendationViewSet(SnippetViewSet):
    model = Recommendation
    icon = "doc-full"
    list_display = ["title_ko", "department", "response_due", "answer", "published"]
    list_filter = ["department", "answer", "published"]
    search_fields = ["title_ko", "title_en"]


class AccountabilityGroup(SnippetViewSetGroup):
    menu_label = _("Accountability")
    menu_icon = "list-ul"
    menu_order = 250
    items = (IndicatorAreaViewSet, IndicatorViewSet, DepartmentViewSet, RecommendationViewSet)


register_snippet(AccountabilityGroup)
