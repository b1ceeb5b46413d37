"""Daily snapshots: hand-worked figures, only what changed stored, once a day, and the trends
that read them (not the timeline) for the days they hold."""

import dataclasses
import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from boards import snapshots
from boards.asat import Timeline, Totals, council_plan_as_at, end_of_day
from boards.models import DailySnapshot
from boards.services import CATCH_UP_DAYS, take_council_snapshots, take_daily_snapshots
from boards.trends import subject_trends, trend_days
from tests.factories import FindingFactory, InspectionFactory, ThemeFactory

from .conftest import PlanWriter

D = datetime.date


def at(day: D, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# 1 March 2025, in the morning: yesterday was 28 February.
NOW = at(D(2025, 3, 1))


def totals(**counts) -> Totals:
    """Totals with every count nought and no progress, but those given."""
    return dataclasses.replace(snapshots.EMPTY, **counts)


@pytest.fixture
def two_findings(council, manager, staff):
    """Two findings in one theme, an action each:

    A1 (finding 1): created 6 January 2025, due 31 March; 40% in progress on 20 January.
    A2 (finding 2): created 6 January 2025, due 24 January; delivered on 10 February and
    signed off on 12 February.
    """
    theme = ThemeFactory(name="Leaving care")
    inspection = InspectionFactory(council=council)
    first = FindingFactory(inspection=inspection, theme=theme)
    second = FindingFactory(inspection=inspection, theme=theme)
    writer = PlanWriter(council=council, manager=manager, owner=staff, finding=first)
    a1 = writer.create(at(D(2025, 1, 6)), due=D(2025, 3, 31), title="A1")
    a2 = writer.create(at(D(2025, 1, 6)), due=D(2025, 1, 24), title="A2", finding=second)
    writer.progress(a1, at(D(2025, 1, 20)), status="in_progress", percent=40)
    writer.deliver(a2, at(D(2025, 2, 10)))
    writer.sign_off(a2, at(D(2025, 2, 12)))
    return {"theme": theme, "first": first, "second": second, "writer": writer, "a1": a1}


# At the end of 31 January: A1 green (due in 59 days, updated 11 days ago); A2 red, 7 days
# overdue. At the end of 28 February: A1 amber (no update since 20 January, 39 days: stale);
# A2 blue.
JANUARY = {
    "council": totals(live=2, progress=20, red=1, green=1, overdue=1),
    "first": totals(live=1, progress=40, green=1),
    "second": totals(live=1, progress=0, red=1, overdue=1),
}
FEBRUARY = {
    "council": totals(live=2, progress=70, amber=1, blue=1, stale=1),
    "first": totals(live=1, progress=40, amber=1, stale=1),
    "second": totals(live=1, progress=100, blue=1),
}


def keys(built):
    return {
        "council": snapshots.COUNCIL,
        "first": snapshots.finding_key(built["first"].pk),
        "second": snapshots.finding_key(built["second"].pk),
        "theme": snapshots.theme_key(built["theme"].pk),
    }


@pytest.mark.django_db
def test_figures_at_each_day_end_match_the_hand_worked_ones(council, two_findings):
    take_council_snapshots(council=council, day=D(2025, 1, 30), now=NOW)
    taken = take_council_snapshots(council=council, day=D(2025, 2, 28), now=NOW)
    assert taken[0] == D(2025, 1, 31) and taken[-1] == D(2025, 2, 28) and len(taken) == 29

    found = snapshots.figures_on(council, [D(2025, 1, 31), D(2025, 2, 28)])
    k = keys(two_findings)
    for day, expected in ((D(2025, 1, 31), JANUARY), (D(2025, 2, 28), FEBRUARY)):
        figures = found[day]
        assert figures[k["council"]] == expected["council"], day
        assert figures[k["first"]] == expected["first"], day
        assert figures[k["second"]] == expected["second"], day
        # Both findings are in the theme: its figures are the whole plan's.
        assert figures[k["theme"]] == expected["council"], day


@pytest.mark.django_db
def test_only_what_changed_is_stored(council, two_findings):
    take_council_snapshots(council=council, day=D(2025, 1, 30), now=NOW)
    take_council_snapshots(council=council, day=D(2025, 2, 28), now=NOW)
    stored = {row.day: row for row in DailySnapshot.objects.filter(council=council)}
    k = keys(two_findings)
    # The first, and the first of each month, hold everything.
    assert stored[D(2025, 1, 30)].is_full and stored[D(2025, 2, 1)].is_full
    assert set(stored[D(2025, 1, 30)].figures) == set(k.values())
    # Nothing changed on 31 January (A2 was already red, A1 green).
    assert not stored[D(2025, 1, 31)].is_full and stored[D(2025, 1, 31)].figures == {}
    # On 10 February A2 was delivered: finding 2, its theme and the council changed; not A1's.
    assert set(stored[D(2025, 2, 10)].figures) == {k["council"], k["second"], k["theme"]}


@pytest.mark.django_db
def test_a_councils_first_run_also_stores_the_last_twelve_month_ends(council, two_findings):
    taken = take_council_snapshots(council=council, day=D(2025, 2, 27), now=NOW)
    assert taken == [
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
        D(2024, 5, 31),
        D(2024, 6, 30),
        D(2024, 7, 31),
        D(2024, 8, 31),
        D(2024, 9, 30),
        D(2024, 10, 31),
        D(2024, 11, 30),
        D(2024, 12, 31),
        D(2025, 1, 31),
        D(2025, 2, 27),
    ]
    # Days apart: each holds everything. Before the plan, only the council's zeros.
    rows = DailySnapshot.objects.filter(council=council)
    assert all(row.is_full for row in rows)
    before = rows.get(day=D(2024, 12, 31)).figures
    assert before == {snapshots.COUNCIL: snapshots.encode(snapshots.EMPTY)}
    january = snapshots.figures_on(council, [D(2025, 1, 31)])[D(2025, 1, 31)]
    assert january[snapshots.COUNCIL] == JANUARY["council"]


@pytest.mark.django_db
def test_taking_a_day_twice_stores_it_once(council, two_findings):
    first = take_council_snapshots(council=council, day=D(2025, 2, 27), now=NOW)
    again = take_council_snapshots(council=council, day=D(2025, 2, 27), now=NOW)
    assert first[-1] == D(2025, 2, 27) and again == []
    assert DailySnapshot.objects.filter(council=council).count() == len(first)
    # The database refuses a second row for the day, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        DailySnapshot.objects.create(council=council, day=D(2025, 2, 27), as_at=NOW)


@pytest.mark.django_db
def test_a_day_not_yet_over_is_refused(council, two_findings):
    with pytest.raises(ValidationError):
        take_council_snapshots(council=council, day=D(2025, 3, 1), now=NOW)
    assert not DailySnapshot.objects.exists()


@pytest.mark.django_db
def test_a_long_gap_is_filled_only_for_the_latest_days_and_starts_full(council, two_findings):
    take_council_snapshots(council=council, day=D(2025, 1, 6), now=NOW)
    taken = take_council_snapshots(council=council, day=D(2025, 2, 28), now=NOW)
    assert len(taken) == CATCH_UP_DAYS and taken[0] == D(2025, 1, 29)
    assert DailySnapshot.objects.get(council=council, day=D(2025, 1, 29)).is_full
    # The days in the gap have no snapshot: the trends rebuild them.
    assert D(2025, 1, 20) not in snapshots.figures_on(council, [D(2025, 1, 20)])
    assert (
        snapshots.figures_on(council, [D(2025, 1, 31)])[D(2025, 1, 31)][snapshots.COUNCIL]
        == (JANUARY["council"])
    )


@pytest.mark.django_db
def test_trends_read_the_snapshots_not_a_corrected_timeline(
    council, two_findings, django_assert_num_queries
):
    k = keys(two_findings)
    # Snapshots up to 27 February (and the month ends before); none yet for the 28th.
    take_council_snapshots(council=council, day=D(2025, 2, 27), now=NOW)
    # A correction dated 25 January: A1 was blocked (at 40%). The rebuilt past now says
    # two red at the end of January...
    two_findings["writer"].progress(
        two_findings["a1"], at(D(2025, 1, 25)), status="blocked", percent=40
    )
    assert council_plan_as_at(council, end_of_day(D(2025, 1, 31))).totals.red == 2
    # ...but 31 January's point comes from its snapshot, taken before the correction, while
    # 28 February (no snapshot) is rebuilt: A1 blocked, so red and (no update since 25
    # January, 34 days) stale; A2 complete.
    # One query for the snapshots, three for the timeline that rebuilds the 28th.
    with django_assert_num_queries(4):
        points = subject_trends(council, list(k.values()), now=NOW)
    council_points = {p.day: p for p in points[k["council"]]}
    assert council_points[D(2025, 1, 31)].totals == JANUARY["council"]
    assert council_points[D(2025, 2, 28)].totals == totals(
        live=2, progress=70, red=1, blue=1, stale=1
    )
    # A2 became complete in February: one completed that month, none in January.
    assert [p.completed for p in points[k["council"]]] == [0, 1]
    assert [p.completed for p in points[k["second"]]] == [0, 1]
    assert [p.completed for p in points[k["first"]]] == [0, 0]


@pytest.mark.django_db
def test_trends_need_no_timeline_when_every_day_has_a_snapshot(
    council, two_findings, django_assert_num_queries
):
    wanted = trend_days(D(2025, 2, 28))
    DailySnapshot.objects.bulk_create(
        DailySnapshot(
            council=council,
            day=day,
            as_at=end_of_day(day),
            is_full=True,
            figures={snapshots.COUNCIL: snapshots.encode(totals(live=2, blue=n % 3))},
        )
        for n, day in enumerate(wanted)
    )
    # The snapshots from the last full one (its day a subquery): one query.
    with (
        mock.patch.object(Timeline, "load", side_effect=AssertionError("rebuilt")),
        django_assert_num_queries(1),
    ):
        points = subject_trends(council, [snapshots.COUNCIL], now=NOW)[snapshots.COUNCIL]
    assert [p.day for p in points] == wanted[1:]
    # Blue goes 0, 1, 2, 0, 1, 2...: completed is each month's rise (a fall is a reopening).
    assert [p.completed for p in points][:4] == [1, 1, -2, 1]


@pytest.mark.django_db
def test_the_command_stores_yesterday_for_every_council_once(council, two_findings):
    out = StringIO()
    call_command("take_snapshots", "--date", "2025-02-27", stdout=out)
    # The day, and the twelve month ends before it (the council's first run).
    assert "Snapshots stored: 13" in out.getvalue()
    out = StringIO()
    call_command("take_snapshots", "--date", "2025-02-27", stdout=out)
    assert "Snapshots stored: 0" in out.getvalue()
    assert f"Already stored for 27 February 2025: {council.name}" in out.getvalue()
    result = take_daily_snapshots(day=D(2025, 2, 28), now=NOW)
    assert [(c.pk, day) for c, day in result.taken] == [(council.pk, D(2025, 2, 28))]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent transactions need PostgreSQL (CI runs them)",
)
def test_two_copies_at_once_store_each_day_once(council, manager, staff):
    from tests.reminders.test_concurrency import run_together

    writer = PlanWriter(council=council, manager=manager, owner=staff)
    for n in range(5):
        writer.create(at(D(2025, 1, 6)), due=D(2025, 2, n + 1), title=f"Action {n}")
    first = take_council_snapshots(council=council, day=D(2025, 1, 31), now=NOW)

    def copy():
        return take_council_snapshots(council=council, day=D(2025, 2, 28), now=NOW)

    results = run_together(copy, copy)
    assert [outcome for outcome, _ in results] == ["ok", "ok"], results
    # Between them the copies stored each of February's days, and no day twice.
    stored = [day for _, taken in results for day in taken]
    assert sorted(stored) == [D(2025, 2, n) for n in range(1, 29)]
    assert DailySnapshot.objects.filter(council=council).count() == len(first) + 28


def test_chart_labels_name_the_year_once_and_a_month_not_yet_over():
    from boards.trends import TrendPoint, bar_chart

    days = [D(2025, 11, 30), D(2025, 12, 31), D(2026, 1, 31), D(2026, 2, 17)]
    points = [TrendPoint(day, snapshots.EMPTY, completed) for day, completed in
              zip(days, [2, -1, 0, 3], strict=True)]  # fmt: skip
    chart = bar_chart(points, [p.completed for p in points])
    assert [(x.label, x.under) for x in chart.x_labels] == [
        ("Nov", "2025"),
        ("Dec", ""),
        ("Jan", "2026"),
        ("Feb", "so far"),
    ]
    # A month with more reopened than completed draws no bar (its table says -1).
    assert [bar.title for bar in chart.bars] == ["November 2025: 2", "17 February 2026: 3"]
    # Three is at the axis's top (4) times three quarters of the plot's height.
    tallest = chart.bars[1]
    assert tallest.height == round((chart.baseline - chart.ticks[-1].y) * 3 / 4, 1)


@pytest.mark.django_db
def test_figures_start_from_the_last_full_snapshot_before_the_days(council):
    """Partial snapshots carry only what changed: each day's figures are the last full
    snapshot on or before the first day asked for, with the partial ones after it applied.
    Days before the council's first snapshot have none."""
    finding = snapshots.COUNCIL

    def store(day, full, **figures):
        DailySnapshot.objects.create(
            council=council,
            day=day,
            as_at=end_of_day(day),
            is_full=full,
            figures={key: snapshots.encode(totals(**value)) for key, value in figures.items()},
        )

    store(D(2025, 1, 10), True, **{finding: {"live": 1}, "theme:1": {"live": 5}})
    store(D(2025, 1, 11), False, **{finding: {"live": 2}})
    store(D(2025, 1, 12), True, **{finding: {"live": 3}})
    store(D(2025, 1, 13), False, **{"theme:1": {"live": 6}})

    found = snapshots.figures_on(council, [D(2025, 1, 9), D(2025, 1, 11), D(2025, 1, 13)])
    assert set(found) == {D(2025, 1, 11), D(2025, 1, 13)}
    assert found[D(2025, 1, 11)][finding] == totals(live=2)
    assert found[D(2025, 1, 11)]["theme:1"] == totals(live=5)
    # 12 January's full snapshot replaced everything: no theme until the 13th's partial.
    assert found[D(2025, 1, 13)] == {finding: totals(live=3), "theme:1": totals(live=6)}
    # Asked from the 12th on, the rows start at that full snapshot, not at the 10th.
    assert snapshots.figures_on(council, [D(2025, 1, 12)]) == {
        D(2025, 1, 12): {finding: totals(live=3)}
    }
