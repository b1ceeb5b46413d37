"""Real concurrent transactions on PostgreSQL: no lost updates.

Two threads, each with its own database connection, start together at a
barrier. SQLite serialises all writers, so these only run on PostgreSQL (CI).
"""

import threading

import pytest
from django.db import connection, connections

from actions import services
from actions.models import Action, ProgressUpdate
from actions.rag import Status

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent transactions need PostgreSQL (CI runs them)",
    ),
]


def run_together(*calls):
    """Run each call in its own thread and connection, released at the same moment."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_managers_editing_at_once_one_is_refused_and_nothing_is_lost(
    action, manager, second_manager
):
    version = action.version

    def edit(editor, title):
        return lambda: services.action_edit(
            action=Action.objects.get(pk=action.pk),
            editor=editor,
            expected_version=version,
            title=title,
        )

    results = run_together(
        edit(manager, "Title from Sarah"), edit(second_manager, "Title from David")
    )

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], f"exactly one edit should win, got {results}"
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.StaleVersion), f"the loser should be told, got {error!r}"
    winner = next(value for kind, value in results if kind == "ok")
    action.refresh_from_db()
    assert action.title == winner.title, "the saved title is the winner's, not a mix"
    assert action.version == version + 1


def test_logging_progress_from_two_browsers_keeps_both_updates_in_order(action, staff, manager):
    def log(author, status, percent, note):
        return lambda: services.log_progress(
            action=Action.objects.get(pk=action.pk),
            author=author,
            note=note,
            status=status,
            percent_complete=percent,
        )

    results = run_together(
        log(staff, Status.IN_PROGRESS, 40, "From the owner"),
        log(manager, Status.BLOCKED, 45, "From the manager"),
    )

    assert [kind for kind, _ in results] == ["ok", "ok"], f"both updates should be saved: {results}"
    updates = list(ProgressUpdate.objects.filter(action=action).order_by("created_at", "id"))
    assert len(updates) == 2
    first, second = updates
    # The second writer saw the first writer's result, so the chain is unbroken.
    assert first.previous_status == Status.NOT_STARTED
    assert second.previous_status == first.status
    assert second.previous_percent == first.percent_complete
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (second.status, second.percent_complete)
    assert action.version == 3, "each update raised the version once"
