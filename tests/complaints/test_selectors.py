"""The list reads: who sees which complaint, and what a page of a list costs."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from guardian.shortcuts import assign_perm

from complaints import rules, selectors

from .conftest import bulk_cases, submit


def test_visible_to_unites_own_user_grants_and_group_grants(people):
    own = submit(people.other_caseworker).complaint
    granted = submit(people.owner).complaint
    via_group = submit(people.owner).complaint
    other_group = submit(people.owner).complaint
    nobody = submit(people.owner).complaint
    team, strangers = Group.objects.create(name="team"), Group.objects.create(name="strangers")
    people.other_caseworker.groups.add(team)
    assign_perm(f"complaints.{rules.VIEW}", people.other_caseworker, granted)
    assign_perm(f"complaints.{rules.VIEW}", team, via_group)
    assign_perm(f"complaints.{rules.VIEW}", strangers, other_group)
    # A change grant alone opens nothing: visibility is the view grant.
    assign_perm(f"complaints.{rules.CHANGE}", people.other_caseworker, nobody)

    visible = selectors.complaint_visible_to(people.other_caseworker)

    assert set(visible) == {own, granted, via_group}
    assert visible.count() == 3
    assert not {other_group, nobody} & set(visible)


def test_queue_mine_needs_both_the_view_and_the_assignment(people):
    assigned = submit(people.owner).complaint
    change_only = submit(people.owner).complaint
    for perm in (rules.VIEW, rules.CHANGE):
        assign_perm(f"complaints.{perm}", people.other_caseworker, assigned)
    assign_perm(f"complaints.{rules.CHANGE}", people.other_caseworker, change_only)

    assert list(selectors.complaint_queue(user=people.other_caseworker)) == [assigned]


def test_list_reads_never_join_auth_permission(people):
    """The permission ids are read once per process; joining auth_permission by
    codename was a sequential scan of it in every visibility subquery."""
    bulk_cases(3, caseworker=people.caseworker)
    rules.forget_permission_ids()
    rules.permission_id(rules.VIEW)  # the one read of auth_permission, then remembered
    rules.permission_id(rules.CHANGE)
    with CaptureQueriesContext(connection) as ctx:
        page, _ = selectors.complaint_page(
            selectors.complaint_queue(user=people.caseworker), offset=0, limit=25
        )
        selectors.complaint_rows(page)
        selectors.complaint_page(
            selectors.complaint_list_for(user=people.caseworker), offset=0, limit=25
        )
    assert len(page) == 3
    assert not [q["sql"] for q in ctx.captured_queries if "auth_permission" in q["sql"]]


def test_permission_ids_are_read_again_after_a_migration(people):
    """post_migrate (a migration, a flushed test database) may re-create the
    permission rows under new ids: a remembered id must not outlive them."""
    rules._permission_ids[rules.VIEW] = -1
    call_command("migrate", verbosity=0)
    assert (
        rules.permission_id(rules.VIEW)
        == Permission.objects.get_by_natural_key(rules.VIEW, "complaints", "complaint").pk
    )


@pytest.mark.parametrize("cases", [10, 1000])
def test_a_page_of_rows_is_three_queries_at_any_length(people, django_assert_num_queries, cases):
    """The page with the list's length and its (encrypted) grounds (one query),
    then the assignment grants and the assignees' names (one each)."""
    bulk_cases(cases, caseworker=people.caseworker)
    queue = selectors.complaint_queue(user=people.caseworker)
    with django_assert_num_queries(3), translation.override("en"):
        page, length = selectors.complaint_page(queue, offset=0, limit=25)
        rows = selectors.complaint_rows(page)
    assert length == cases and len(rows) == min(cases, 25)
    first = rows[0]
    assert [g.code for g in first.grounds] == ["age", "sex"]
    assert [g.label for g in first.grounds] == ["Age", "Sex"]
    assert [a.username for a in first.assignees] == [people.caseworker.username]
    assert first.status_label == "Submitted"


def test_rows_leave_the_encrypted_fields_unread(people):
    """A list never shows the description, place or contact address: they are
    not even read (each would cost a decryption per row)."""
    bulk_cases(2, caseworker=people.caseworker)
    page, _ = selectors.complaint_page(
        selectors.complaint_queue(user=people.caseworker), offset=0, limit=25
    )
    deferred = page[0].get_deferred_fields()
    assert {"description", "location", "contact_email"} <= deferred


def test_an_empty_page_past_the_first_gives_no_length(people):
    bulk_cases(3, caseworker=people.caseworker)
    queue = selectors.complaint_queue(user=people.caseworker)
    assert selectors.complaint_page(queue, offset=25, limit=25) == ([], None)
    nothing = selectors.complaint_queue(user=people.other_caseworker)
    assert selectors.complaint_page(nothing, offset=0, limit=25) == ([], 0)
    assert selectors.complaint_rows([]) == []


def test_rows_sort_assignees_and_name_them(people):
    complaint = submit(people.owner).complaint
    for user in (people.other_caseworker, people.caseworker):
        for perm in (rules.VIEW, rules.CHANGE):
            assign_perm(f"complaints.{perm}", user, complaint)
    (row,) = selectors.complaint_rows(selectors.complaint_list_for(user=people.caseworker))
    expected = sorted([people.caseworker, people.other_caseworker], key=lambda u: u.username)
    assert [(a.username, a.display_name) for a in row.assignees] == [
        (u.username, u.get_display_name()) for u in expected
    ]
