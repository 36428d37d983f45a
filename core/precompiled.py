"""Queries the ORM compiles once per process, then runs with new values.

On the hottest path, the session and the user read on every signed-in
request, building the query (filters, annotations, subqueries) cost more
Python than the rest of a signing request (bench/notes.md, "Query
building, profiled"). The SQL stays the ORM's own, for whichever database is in use;
only the values change from one request to the next.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class Precompiled(Generic[M]):
    """`build(**marks)` is compiled on first use, per database vendor; `first(**values)`
    runs it with `values` in the marks' places. Each mark must be a value the
    query holds nowhere else."""

    def __init__(self, build: Callable[..., QuerySet[M]], **marks) -> None:
        self.build, self.marks = build, marks
        self._compiled: dict[str, tuple[type[M], str, tuple, dict[str, int]]] = {}

    @staticmethod
    def _adapt(value):
        # What the compiler puts among the parameters for a datetime (SQLite
        # keeps naive UTC text) or a UUID (hex text without a native type), so
        # that a new value goes in the same form. A value adapted otherwise
        # would not be found among them: _compile fails at once, never silently.
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
            return value.hex
        return value

    def _compile(self):
        if connection.vendor not in self._compiled:
            queryset = self.build(**self.marks)
            sql, compiled = queryset.query.sql_with_params()
            params, places = list(compiled), {}
            for name, mark in self.marks.items():
                # Exactly once: a mark used twice would get the new value in one
                # place only, and the query would answer for neither.
                if params.count(self._adapt(mark)) != 1:
                    raise ValueError(f"{name}: the query must hold its mark exactly once")
                places[name] = params.index(self._adapt(mark))
            self._compiled[connection.vendor] = (queryset.model, sql, tuple(params), places)
        return self._compiled[connection.vendor]

    def _raw(self, values: dict):
        model, sql, params, places = self._compile()
        params = list(params)
        for name, value in values.items():
            params[places[name]] = self._adapt(value)
        # A raw query maps the columns onto the model, annotations included;
        # it has no select_related, so annotate what a relation would give.
        return model._default_manager.raw(sql, params)

    def first(self, **values) -> M | None:
        return next(iter(self._raw(values)), None)

    def all(self, **values) -> list[M]:
        return list(self._raw(values))
