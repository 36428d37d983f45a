"""What can be followed, and how each app names and links its own things.

core knows no other app's models: each app registers its targets in
AppConfig.ready(), e.g.::

    register_target("petition", resolve=petition_titles_and_urls)

`resolve(ids)` returns `{id: (title, url)}` for the ids the public may see;
an id it leaves out is treated as not existing (404), exactly like a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Resolver = Callable[[list[int]], dict[int, tuple[str, str]]]

_TARGETS: dict[str, Resolver] = {}


def register_target(name: str, *, resolve: Resolver) -> None:
    _TARGETS[name] = resolve


def resolve(name: str, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    resolver = _TARGETS.get(name)
    ids = list(ids)
    if resolver is None or not ids:
        return {}
    return resolver(ids)
