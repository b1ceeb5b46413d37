"""actions 0009: earlier due-date revisions get their dates from their notes, once."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ActionFactory, UserFactory

BEFORE = [("actions", "0008_update_kind_escalated")]
AFTER = [("actions", "0009_update_due_dates")]


# serialized_rollback: the reference councils, loaded by migrations, are back for later tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_revisions_written_before_get_their_dates_from_the_notes():
    action = ActionFactory(due_date=datetime.date(2026, 3, 1))
    author = UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("actions", "ProgressUpdate")
        common = {
            "action_id": action.pk,
            "council_id": action.finding.inspection.council_id,
            "author_id": author.pk,
            "previous_status": "in_progress",
            "status": "in_progress",
            "previous_percent": 20,
            "percent_complete": 20,
        }
        worded = old.objects.create(
            kind="due_date_revised",
            note="Due date moved from 1 March 2026 to 12 May 2026. New team.",
            **common,
        )
        unreadable = old.objects.create(kind="due_date_revised", note="Moved it.", **common)
        progress = old.objects.create(
            kind="progress", note="Due date moved from 1 March 2026 to 2 May 2026.", **common
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(AFTER).apps.get_model("actions", "ProgressUpdate")
    dates = dict(
        new.objects.filter(pk__in=[worded.pk, unreadable.pk, progress.pk]).values_list(
            "pk", "new_due_date"
        )
    )
    assert dates == {worded.pk: datetime.date(2026, 5, 12), unreadable.pk: None, progress.pk: None}
    assert new.objects.get(pk=worded.pk).previous_due_date == datetime.date(2026, 3, 1)
