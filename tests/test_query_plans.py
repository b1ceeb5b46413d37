"""Issue 12, item 7: the dashboard's recent updates start from the council, not from every update.

At national scale (150 councils, 750,000 timeline entries) "recent updates" used to
sort every council's entries by date and filter afterwards: 5 to 10 seconds for a
council with few updates. The entries now carry their council, with an index on
(council, created_at), and the plan must use it. PostgreSQL only: SQLite's planner
is not the one production runs.
"""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.rag import Status
from boards.dashboard import RECENT_UPDATES
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
    from boards.dashboard import dashboard

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


# --- The actions list (issue 10): every filter and sort, on a table big enough that the
# planner behaves as at national scale. The list reaches a council's actions through
# its inspections' findings (inspections_inspection_council_id, then
# inspections_finding_inspection_id, then actions_action_finding_id) and filters and
# sorts only those; the page's ids are chosen before its rows are joined.


@pytest.fixture
def country_of_actions(db):
    """30 councils of 1,000 actions each (30,000 in all), and a manager at the first."""
    import random

    from actions.models import Action, Priority
    from councils.models import Role
    from tests.factories import FindingFactory, InspectionFactory, MembershipFactory

    rng = random.Random(10)
    today = timezone.localdate()
    manager = UserFactory()
    owners = [manager, *(UserFactory() for _ in range(39))]
    statuses = [s for s in Status.values if s != Status.COMPLETE]
    councils, findings = [], []
    for _ in range(30):
        council = CouncilFactory()
        councils.append(council)
        for inspection in (InspectionFactory(council=council) for _ in range(2)):
            findings += [FindingFactory(inspection=inspection) for _ in range(5)]
    actions = [
        Action(
            finding=finding,
            title=f"Action {i} on {finding.short_title}",
            owner=rng.choice(owners),
            priority=rng.choice(Priority.values),
            status=rng.choice(statuses),
            percent_complete=rng.randrange(0, 100),
            due_date=today + datetime.timedelta(days=rng.randrange(-400, 400)),
            revised_due_date=(
                today + datetime.timedelta(days=rng.randrange(0, 200)) if i % 7 == 0 else None
            ),
            last_progress_at=timezone.now() - datetime.timedelta(days=rng.randrange(0, 90)),
        )
        for finding in findings
        for i in range(100)
    ]
    Action.objects.bulk_create(actions, batch_size=5000)
    MembershipFactory(user=manager, council=councils[0], role=Role.MANAGER)
    with connection.cursor() as cursor:
        for table in ("actions_action", "inspections_finding", "inspections_inspection"):
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - fixed table names
    finding = findings[0]
    return {
        "manager": manager,
        "finding": finding,
        "inspection": finding.inspection_id,
        "theme": finding.theme_id,
        "owner": owners[0].pk,
    }


# The actions table itself (not actions_action_contributors) and the timeline.
SEQ_SCAN_OF_BIG_TABLES = re.compile(r"Seq Scan on (actions_action|actions_progressupdate)\b")


def _list_queries(t) -> list[str]:
    """Every filter on its own, every sort both ways, and a few together."""
    one_each = [
        "q=Action",
        f"inspection={t['inspection']}",
        f"finding={t['finding'].pk}",
        f"theme={t['theme']}",
        f"owner={t['owner']}",
        "status=in_progress",
        "rag=red",
        "rag=amber",
        "rag=green",
        "priority=1",
        "due_after=2026-01-01",
        "due_before=2025-01-01",
        "overdue=1",
    ]
    from actions.selectors import SORTS

    sorts = [f"sort={key}" for key in SORTS]
    together = [
        "status=in_progress&priority=1&sort=owner",
        f"theme={t['theme']}&rag=amber&due_after=2024-01-01&sort=-due&page=2",
        "overdue=1&q=Action&sort=title&page=3",
    ]
    return ["", *one_each, *sorts, *together]


def _plans_of_page(client, url: str) -> list[tuple[str, str]]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("DECLARE "):
            sql = sql.split(" FOR ", 1)[1]
        if sql.startswith("SELECT") and '"actions_action"' in sql:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}")
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


@pytest.mark.parametrize("path", ["/actions/", "/actions/mine/"])
def test_the_action_lists_never_scan_the_actions_table(country_of_actions, path):
    from django.test import Client

    client = Client()
    client.force_login(country_of_actions["manager"])
    queries = _list_queries(country_of_actions) if path == "/actions/" else ["", "show=all&page=2"]
    checked = 0
    for query in queries:
        for sql, plan in _plans_of_page(client, f"{path}?{query}"):
            assert not SEQ_SCAN_OF_BIG_TABLES.search(plan), f"{query}\n{sql}\n{plan}"
            checked += 1
    assert checked >= len(queries) * 2, "each page counts and lists its actions"


def test_a_page_sorts_narrow_rows_then_joins_fifty(country_of_actions):
    """The page's query picks 50 ids in a subquery (LIMIT inside), and joins only those."""
    from django.test import Client

    client = Client()
    client.force_login(country_of_actions["manager"])
    plans = _plans_of_page(client, "/actions/?sort=-due&page=3")
    page = [(sql, plan) for sql, plan in plans if "LIMIT 50 OFFSET 100" in sql]
    assert len(page) == 1, [sql for sql, _ in plans]
    sql, plan = page[0]
    outer, inner = sql.split(" IN (SELECT ", 1)
    assert '"councils_user"' in outer and '"inspections_finding"' in outer, "rows are joined"
    assert "LIMIT 50 OFFSET 100" in inner and '"councils_user"' not in inner.split("LIMIT")[0]


def test_the_inspection_pages_never_scan_the_actions_table(country_of_actions):
    """The inspections list, an inspection and a finding start from the council (and its
    predecessors) through the councils' indexes: an OR with a subquery once made the list's
    count join every action in the country."""
    from django.test import Client

    client = Client()
    client.force_login(country_of_actions["manager"])
    pages = [
        "/inspections/",
        "/inspections/?page=1",
        f"/inspections/{country_of_actions['inspection']}/",
        f"/inspections/findings/{country_of_actions['finding'].pk}/",
    ]
    checked = 0
    for url in pages:
        for sql, plan in _plans_of_page(client, url):
            assert not SEQ_SCAN_OF_BIG_TABLES.search(plan), f"{url}\n{sql}\n{plan}"
            checked += 1
    assert checked >= len(pages)


def test_the_admin_changelists_never_scan_the_actions_table(country_of_actions, admin_user):
    """The support site's list of every council's actions reads its first pages from the
    (due date, id) index rather than sorting them all."""
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    # The unfiltered list says how many actions there are in all: that count reads the
    # table whatever the indexes (19 ms for 154,718 actions at national scale).
    count_of_all = 'SELECT COUNT(*) AS "__count" FROM "actions_action"'
    checked = 0
    for url in ["/admin/actions/action/", "/admin/actions/action/?p=2"]:
        for sql, plan in _plans_of_page(client, url):
            if sql != count_of_all:
                assert not SEQ_SCAN_OF_BIG_TABLES.search(plan), f"{url}\n{sql}\n{plan}"
                assert "Index Scan using action_due_id" in plan, plan
                checked += 1
    assert checked == 2


@pytest.mark.parametrize("model", ["finding", "inspection"])
def test_admin_progress_reads_only_the_page_rows_actions(country_of_actions, admin_user, model):
    """The findings' and inspections' lists choose and count their rows without reading a
    single action; one query then counts the actions of the page's rows (by their ids)."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/inspections/{model}/")
    assert response.status_code == 200
    queries = [q["sql"] for q in captured.captured_queries]
    reading_actions = [sql for sql in queries if '"actions_action"' in sql]
    assert len(reading_actions) == 1, reading_actions
    assert f'"inspections_{model}"."id" IN (' in reading_actions[0]
    assert len(response.context["cl"].result_list) == {"finding": 100, "inspection": 60}[model]
