"""Issue 12, item 6: bounded free text, and a small action page however long its history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, Action, ProgressUpdate
from actions.rag import Status
from actions.views import TIMELINE_SHOWN

from .conftest import count_queries

pytestmark = pytest.mark.django_db

PAGE_LIMIT_BYTES = 200 * 1024


def _long_history(action, author, entries: int, note_length: int = 400):
    """`entries` timeline entries written in one insert, as an import would."""
    start = timezone.now() - datetime.timedelta(days=entries)
    council_id = action.finding.inspection.council_id
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=action,
            council_id=council_id,
            author=author,
            created_at=start + datetime.timedelta(days=i),
            note=f"Entry {i}. " + "x" * note_length,
            previous_status=Status.IN_PROGRESS,
            status=Status.IN_PROGRESS,
            previous_percent=i % 100,
            percent_complete=(i + 1) % 100,
        )
        for i in range(entries)
    )


def test_a_note_over_the_limit_is_refused_with_the_limit_in_words(staff_client, action):
    url = reverse("action_log_progress", args=[action.pk])
    response = staff_client.post(
        url,
        {"note": "a" * (NOTE_MAX_LENGTH + 1), "status": Status.IN_PROGRESS, "percent_complete": 5},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The note must be 10,000 characters or fewer" in html
    assert 'href="#id_note"' in html, "the error summary links to the note"
    assert not ProgressUpdate.objects.filter(action=action).exists(), "nothing was written"


def test_the_note_hint_says_the_limit(staff_client, action):
    html = staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "You can enter up to 10,000 characters" in html
    assert 'maxlength="10000"' not in html, "a browser would silently cut a long paste"


def test_the_service_refuses_an_overlong_note_and_writes_nothing(action, staff):
    before = action.version
    with pytest.raises(ValidationError) as caught:
        services.log_progress(
            action=action,
            author=staff,
            note="a" * (NOTE_MAX_LENGTH + 1),
            status=Status.IN_PROGRESS,
            percent_complete=5,
        )
    assert "note" in caught.value.message_dict
    action.refresh_from_db()
    assert action.version == before
    assert not action.updates.exists()


def test_the_database_refuses_an_overlong_note(action, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    action=action,
                    council_id=action.finding.inspection.council_id,
                    author=staff,
                    note="a" * (NOTE_MAX_LENGTH + 1),
                    previous_status=Status.NOT_STARTED,
                    status=Status.IN_PROGRESS,
                    previous_percent=0,
                    percent_complete=5,
                )
            ]
        )


def test_the_database_refuses_an_overlong_description(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(description="a" * (DESCRIPTION_MAX_LENGTH + 1))


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        ("action_cancel", {"reason": "r" * (NOTE_MAX_LENGTH + 1)}, "The reason must be"),
        ("action_sign_off", {"note": "n" * (NOTE_MAX_LENGTH + 1)}, "The note must be"),
    ],
)
def test_manager_forms_bound_their_text(manager_client, action, url_name, data, message):
    before = action.updates.count()
    response = manager_client.post(reverse(url_name, args=[action.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert action.updates.count() == before


def test_edit_form_bounds_the_description(manager_client, action, staff):
    response = manager_client.post(
        reverse("action_edit", args=[action.pk]),
        {
            "title": action.title,
            "description": "d" * (DESCRIPTION_MAX_LENGTH + 1),
            "owner": staff.pk,
            "priority": action.priority,
            "version": action.version,
        },
    )
    assert "What will be done must be 5,000 characters or fewer" in response.content.decode()
    action.refresh_from_db()
    assert action.description == ""


def test_an_action_with_1500_entries_renders_a_small_page(staff_client, action, staff):
    _long_history(action, staff, 1500)
    response = staff_client.get(reverse("action_detail", args=[action.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < PAGE_LIMIT_BYTES, len(response.content)
    assert html.count('class="app-timeline__item"') == TIMELINE_SHOWN
    assert "Show all 1500 updates" in html
    assert reverse("action_updates", args=[action.pk]) in html


def test_long_notes_are_shortened_on_the_action_page_and_whole_on_their_own(
    staff_client, action, staff
):
    _long_history(action, staff, 25, note_length=NOTE_MAX_LENGTH - 20)
    response = staff_client.get(reverse("action_detail", args=[action.pk]))
    assert len(response.content) < PAGE_LIMIT_BYTES, len(response.content)
    latest = action.updates.order_by("-created_at").first()
    entry_url = reverse("action_update", args=[action.pk, latest.pk])
    assert entry_url in response.content.decode()
    whole = staff_client.get(entry_url).content.decode()
    assert latest.note in whole


def test_every_update_page_is_paginated(staff_client, action, staff):
    _long_history(action, staff, 45)
    url = reverse("action_updates", args=[action.pk])
    first = staff_client.get(url).content.decode()
    assert first.count('class="app-timeline__item"') == 20
    assert "Entries 1 to 20 of 45" in first
    last = staff_client.get(f"{url}?page=3").content.decode()
    assert last.count('class="app-timeline__item"') == 5
    assert "Entry 0." in last, "the oldest entry is on the last page"


def test_the_history_pages_use_a_fixed_number_of_queries(staff_client, action, staff):
    _long_history(action, staff, 3)
    few = count_queries(staff_client, reverse("action_updates", args=[action.pk]))
    _long_history(action, staff, 60)
    many = count_queries(staff_client, reverse("action_updates", args=[action.pk]))
    assert few == many
    one = action.updates.first()
    assert count_queries(staff_client, reverse("action_update", args=[action.pk, one.pk])) <= 12


def test_another_actions_entry_is_not_found_through_this_action(staff_client, action, staff):
    other = action.__class__.objects.create(
        finding=action.finding, title="Other", owner=staff, due_date=action.due_date
    )
    _long_history(other, staff, 1)
    entry = other.updates.get()
    response = staff_client.get(reverse("action_update", args=[action.pk, entry.pk]))
    assert response.status_code == 404


def test_the_audit_trail_is_folded_and_paginated(staff_client, action, manager):
    for i in range(30):
        action = services.action_edit(
            action=action, editor=manager, expected_version=action.version, title=f"Title {i}"
        )
    html = staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    changes = html[html.index('id="changes"') :]
    assert changes.count("Title: ") == 20, "the latest 20 saves' changes"
    assert "Show every change" in changes
    assert "(31 saves)" in changes
    url = reverse("action_changes", args=[action.pk])
    first = staff_client.get(url).content.decode()
    assert first.count("Title: ") == 20
    assert "Title 28 <span" in first and "Title 29" in first
    last = staff_client.get(f"{url}?page=2").content.decode()
    assert last.count("Title: ") == 10
    assert "Created the action" in last
