"""Reads for petitions: querysets already filtered by who may see them."""

from __future__ import annotations

import html

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.errors import Hidden
from core.permissions import may
from moderation.models import Visibility

from .models import Petition, Signature

# The list's tabs, in the order shown.
TABS = ("open", "awaiting_response", "answered", "closed")
SORTS = ("signatures", "closing")


def petition_visible_q(user) -> Q:
    """The same question as the `petitions.view` rule, as a filter."""
    q = Q(status__in=Petition.PUBLIC_STATUSES)
    if user is not None and user.is_authenticated:
        q |= Q(creator=user)
        if may(user, "petitions.moderate"):
            q |= Q(status__in=[Petition.Status.AWAITING_MODERATION, Petition.Status.REJECTED])
    return q


def _signatures_after_mark():
    """The signature rows after the petition's fold mark, counted in the
    petition's own query (the (petition, id) index: a few rows at most).
    The signing path counts the same rows in its own statement
    (services.petition_count_now and the one-statement sign): keep them alike."""
    after = (
        Signature.objects.filter(
            petition=OuterRef("pk"), id__gt=OuterRef("signatures_folded_through")
        )
        .order_by()
        .values("petition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(after, output_field=IntegerField()), 0)


def petition_get_for(*, user, pk) -> Petition:
    """The petition if `user` may see it, else 404 (as for one that does not exist).
    It carries the signatures not folded yet (`Petition.signatures_now`), so
    the one petition's page counts a signer in at once, as the API's answer
    to the signature does; lists show the folded column."""
    petition = (
        Petition.objects.filter(petition_visible_q(user), pk=pk)
        .select_related("creator")
        .annotate(signatures_after_mark=_signatures_after_mark())
        .first()
    )
    if petition is None:
        raise Hidden
    return petition


def petition_public_list(
    *, tab: str | None = None, search: str = "", sort: str = "signatures"
) -> QuerySet[Petition]:
    """Petitions anyone may see. `tab` uses the status people see: an open
    petition past its closing date belongs under closed straight away."""
    now = timezone.now()
    queryset = Petition.objects.filter(status__in=Petition.PUBLIC_STATUSES).exclude(
        state=Visibility.HIDDEN
    )
    if tab == "open":
        queryset = queryset.filter(status=Petition.Status.OPEN, closes_at__gt=now)
    elif tab == "closed":
        queryset = queryset.filter(
            Q(status=Petition.Status.CLOSED) | Q(status=Petition.Status.OPEN, closes_at__lte=now)
        )
    elif tab in ("awaiting_response", "answered"):
        queryset = queryset.filter(status=tab)
    if search:
        # Stored text is sanitised HTML text ("Tom &amp; Jerry"): look for it as stored.
        needle = html.escape(search, quote=False)
        queryset = queryset.filter(Q(title__icontains=needle) | Q(action__icontains=needle))
    if sort == "closing":
        queryset = queryset.order_by("closes_at", "-id")
    else:
        queryset = queryset.order_by("-signature_count", "-id")
    return queryset


def petition_list_for_creator(*, user) -> QuerySet[Petition]:
    return Petition.objects.filter(creator=user).order_by("-created_at", "-id")


def petition_moderation_queue() -> QuerySet[Petition]:
    """Oldest first, so nobody waits longest."""
    return (
        Petition.objects.filter(status=Petition.Status.AWAITING_MODERATION)
        .select_related("creator")
        .order_by("submitted_at", "id")
    )


def signature_of(*, petition: Petition, user) -> Signature | None:
    if user is None or not user.is_authenticated:
        return None
    return Signature.objects.filter(petition=petition, user=user).first()


def signature_named_recent(*, petition: Petition, limit: int = 20) -> list[Signature]:
    """The latest signers who chose to show their name (bounded)."""
    return list(
        Signature.objects.filter(petition=petition, show_name=True)
        .select_related("user")
        .order_by("-created_at", "-id")[:limit]
    )


def follow_petitions(ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (title, url) of the public petitions among `ids` (core.follows)."""
    from django.urls import reverse

    petitions = (
        Petition.objects.filter(pk__in=ids, status__in=Petition.PUBLIC_STATUSES)
        .exclude(state=Visibility.HIDDEN)
        .only("pk", "title")
    )
    return {p.pk: (p.title, reverse("petitions:detail", kwargs={"pk": p.pk})) for p in petitions}
