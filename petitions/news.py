"""News of petitions for the people who follow them (core.follows):
the signature goal reached, signing closed, the official answer. Signers
hear of the answer as signers (their e-mail, their notification) and the
creator as creator, so neither is told again as a follower."""

from __future__ import annotations

from core import follows

from .models import Petition, Signature


def threshold_reached(petition: Petition) -> None:
    follows.news_publish(
        key=f"petition:{petition.pk}:threshold",
        target="petition",
        object_ids=[petition.pk],
        kind="follows.petition_threshold",
        payload={"petition": petition.pk, "threshold": petition.threshold},
    )


def closed(petition: Petition) -> None:
    follows.news_publish(
        key=f"petition:{petition.pk}:closed",
        target="petition",
        object_ids=[petition.pk],
        kind="follows.petition_closed",
        payload={"petition": petition.pk},
    )


def answered(petition: Petition) -> None:
    follows.news_publish(
        key=f"petition:{petition.pk}:answered",
        target="petition",
        object_ids=[petition.pk],
        kind="petition.answered",
        payload={"petition": petition.pk, "title": petition.title},
        by=petition.creator_id,
    )


def told_otherwise(kind: str, object_id: int, user_ids: list[int]) -> set[int]:
    if kind != "petition.answered":
        return set()
    return set(
        Signature.objects.filter(petition_id=object_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
