"""The moderated content types. Each app registers its own in AppConfig.ready()
(moderation never imports an app's internals):

    register(Kind(name="comment", plural="comments", model=Comment, ...))

`name` is the code in the queue's filter and the notice; `plural` the API's
path segment (`POST /api/v1/comments/{id}/hide`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model


def _nothing(obj: Any, *, hidden: bool) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    name: str
    plural: str
    model: type[Model]
    label: Any  # a lazy translated name for one ("Comment")
    label_plural: Any  # ... and for several ("Comments"), the queue's filter
    author_field: str  # "author", "creator"
    # The item as `user` may reach it: get(pk=..., user=...), else Http404 / core.errors.Hidden.
    get: Callable[..., Any]
    data: Callable[[Any], dict]  # the API's shape of the item (hidden ones show only the reason)
    url: Callable[[Any], str]
    title: Callable[[Any], str]  # a short plain-text excerpt for the queue
    # Called inside the transaction after the state changed: counters, caches, live events.
    changed: Callable[..., None] = field(default=_nothing)
    select_related: tuple[str, ...] = ()

    def author_of(self, obj: Any):
        return getattr(obj, self.author_field, None)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.name] = kind


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


def by_plural(plural: str) -> Kind | None:
    return next((k for k in _KINDS.values() if k.plural == plural), None)


def of(obj: Any) -> Kind:
    for kind in _KINDS.values():
        if isinstance(obj, kind.model):
            return kind
    raise LookupError(f"{type(obj).__name__} is not a moderated type")


def excerpt(text: str, length: int = 80) -> str:
    """Plain text for the queue from stored (sanitised) HTML or text."""
    import html

    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    return Truncator(html.unescape(strip_tags(text or "")).strip()).chars(length)
