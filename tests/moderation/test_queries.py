"""The queue runs the same number of queries for 10 reported items as for 1,000."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from consultations.models import Comment, Discussion
from moderation.models import Report
from tests import factories
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def reported_comments(consultation, n: int) -> None:
    discussion, _ = Discussion.objects.get_or_create(translation_key=consultation.translation_key)
    author, reporter = factories.resident(), factories.resident()
    start = Comment.objects.count()
    Comment.objects.bulk_create(
        Comment(discussion=discussion, author=author, body=f"c{i}", report_count=1)
        for i in range(n)
    )
    content_type = ContentType.objects.get_for_model(Comment)
    Report.objects.bulk_create(
        Report(content_type=content_type, object_id=c.pk, reporter=reporter, reason="spam")
        for c in Comment.objects.order_by("pk")[start:]
    )


def count_queries(client, django_assert_num_queries, expected=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("moderation:queue"))  # warm caches (content types, settings)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("n", [10, 1000])
def test_the_queue_is_bounded(client_for, moderator, consultation, n, django_assert_num_queries):
    client = client_for(moderator)
    reported_comments(consultation, 10)
    PetitionFactory(report_count=1)
    baseline = count_queries(client, django_assert_num_queries)
    reported_comments(consultation, n)
    with django_assert_num_queries(baseline):
        assert client.get(reverse("moderation:queue")).status_code == 200
