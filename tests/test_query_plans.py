"""Issue 12, item 7: the dashboard's recent updates start from the council, not from every update.

At national scale (150 councils, 750,000 timeline entries) "recent updates" used to
sort every council's entries by date and filter afterwards: 5 to 10 seconds for a
council with few updates. The entries now carry their council, with an index on
(council, created_at), and the plan must use it. PostgreSQL only: SQLite's planner
is not the one production runs.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.rag import Status
from councils.selectors import RECENT_UPDATES
from tests.factories import ActionFactory, CouncilFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are checked on PostgreSQL"
    ),
]


def _entries(action, author, count: int):
    start = timezone.now() - datetime.timedelta(days=400)
    ProgressUpdate.objects.bulk_create(
        (
            ProgressUpdate(
                action=action,
                council_id=action.finding.inspection.council_id,
                author=author,
                created_at=start + datetime.timedelta(minutes=i),
                note="Progress.",
                previous_status=Status.IN_PROGRESS,
                status=Status.IN_PROGRESS,
                previous_percent=10,
                percent_complete=10,
            )
            for i in range(count)
        ),
        batch_size=5000,
    )


@pytest.fixture
def country(db):
    """A busy council with 30,000 entries, and a quiet one with two."""
    author = UserFactory()
    busy_council, quiet_council = CouncilFactory(), CouncilFactory()
    busy = ActionFactory(finding__inspection__council=busy_council, owner=author)
    _entries(busy, author, 30_000)
    quiet = ActionFactory(finding__inspection__council=quiet_council, owner=author)
    _entries(quiet, author, 2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE actions_progressupdate")
    return {"busy": busy_council, "quiet": quiet_council}


def _recent_updates(council):
    return (
        ProgressUpdate.objects.for_council(council)
        .select_related("author", "action__finding__inspection")
        .order_by("-created_at", "-id")[:RECENT_UPDATES]
    )


def test_a_quiet_council_reads_the_council_index(country):
    # The slow case: walking every council's entries newest first finds few of this
    # council's, so it used to read them all.
    plan = _recent_updates(country["quiet"]).explain()
    assert "update_council_created" in plan, plan
    assert "Seq Scan on actions_progressupdate" not in plan, plan


def test_a_busy_council_reads_an_index_too(country):
    # Here walking the date index is as good (almost every entry is this council's);
    # either way, never a scan of the whole table.
    plan = _recent_updates(country["busy"]).explain()
    assert "Seq Scan on actions_progressupdate" not in plan, plan


def test_the_dashboard_uses_that_query(country):
    from councils.selectors import dashboard

    recorder = _Recorder()
    with connection.execute_wrapper(recorder):
        board = dashboard(country["quiet"])
    assert len(board.recent_updates) == 2
    sql = [q for q in recorder.queries if 'FROM "actions_progressupdate"' in q]
    assert sql, "the dashboard reads recent updates"
    assert all('"actions_progressupdate"."council_id" =' in q for q in sql), sql


class _Recorder:
    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)
