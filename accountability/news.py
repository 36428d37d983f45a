"""Topics (indicator areas) people follow (core.follows), and their news:
a new measured value of one of the area's indicators."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.urls import reverse

from core import follows

from .models import IndicatorArea, IndicatorValue, localized


def follow_topics(ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (title, url) of the indicator areas among `ids`, in the active language."""
    url = reverse("accountability:indicators")
    return {
        area.pk: (localized(area, "title"), f"{url}#area-{area.slug}")
        for area in IndicatorArea.objects.filter(pk__in=ids)
    }


def _value_saved(sender, instance: IndicatorValue, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return
    indicator = instance.indicator
    follows.news_publish(
        key=f"indicator-value:{instance.pk}",
        target="topic",
        object_ids=[indicator.area_id],
        kind="follows.indicator_measured",
        payload={
            "indicator": indicator.code,
            "year": instance.year,
            "value": f"{instance.value:g}",
        },
        url=reverse("accountability:indicator", kwargs={"code": indicator.code}),
    )


def connect() -> None:
    follows.register_target("topic", resolve=follow_topics)
    post_save.connect(_value_saved, sender=IndicatorValue, dispatch_uid="follows.indicator_value")
