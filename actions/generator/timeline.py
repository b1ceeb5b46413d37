"""One action's life: where it ends up, and the timeline entries that take it there.

Pure functions of a random.Random: no database. The steps follow the services'
rules (actions/services.py), so that the action's status and percent are exactly
what its timeline says:

- progress is logged on open actions only; delivered means 100%;
- only a delivered action is signed off (complete, 100%) or sent back (in progress,
  at the percent it had before it was marked delivered);
- cancelling keeps the percent; reopening goes back in progress at no more than 99%;
- a due-date revision or a reassignment changes neither status nor percent, and a
  reassignment is never the last entry (it does not move last_progress_at).
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from actions.models import UpdateKind
from actions.rag import Status

LONDON = ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)

# Each move becomes one timeline entry: (kind, who writes it).
MOVES = {
    "planning": (UpdateKind.PROGRESS, "owner"),
    "progress": (UpdateKind.PROGRESS, "owner"),
    "blocked": (UpdateKind.PROGRESS, "owner"),
    "delivered": (UpdateKind.PROGRESS, "owner"),
    "revise": (UpdateKind.DUE_DATE_REVISED, "manager"),
    "reassign": (UpdateKind.REASSIGNED, "manager"),
    "sent_back": (UpdateKind.SENT_BACK, "manager"),
    "signed_off": (UpdateKind.SIGNED_OFF, "manager"),
    "cancelled": (UpdateKind.CANCELLED, "manager"),
    "reopened": (UpdateKind.REOPENED, "manager"),
}

# The moves that end each outcome.
ENDINGS = {
    Status.IN_PROGRESS: [],
    Status.BLOCKED: ["blocked"],
    Status.DELIVERED: ["delivered"],
    Status.COMPLETE: ["delivered", "signed_off"],
    Status.CANCELLED: ["cancelled"],
}

# (share of the time from creation to due date gone by, weights of each outcome)
OUTCOMES = (
    (
        0.05,
        {Status.NOT_STARTED: 70, Status.IN_PROGRESS: 30},
    ),
    (
        0.8,
        {
            Status.IN_PROGRESS: 72,
            Status.NOT_STARTED: 8,
            Status.BLOCKED: 5,
            Status.DELIVERED: 5,
            Status.COMPLETE: 7,
            Status.CANCELLED: 3,
        },
    ),
    (
        1.25,
        {
            Status.IN_PROGRESS: 40,
            Status.NOT_STARTED: 2,
            Status.BLOCKED: 6,
            Status.DELIVERED: 12,
            Status.COMPLETE: 36,
            Status.CANCELLED: 4,
        },
    ),
    (
        3.0,
        {
            Status.COMPLETE: 72,
            Status.CANCELLED: 7,
            Status.IN_PROGRESS: 10,
            Status.BLOCKED: 4,
            Status.DELIVERED: 5,
            Status.NOT_STARTED: 2,
        },
    ),
    (
        # Years past due: nearly all closed, a few forgotten (red for years, as in real trackers).
        float("inf"),
        {
            Status.COMPLETE: 91,
            Status.CANCELLED: 8.3,
            Status.IN_PROGRESS: 0.5,
            Status.DELIVERED: 0.2,
        },
    ),
)


@dataclass
class Step:
    """One timeline entry, before people and words are given to it."""

    move: str
    kind: str
    by: str  # "owner" or "manager"
    previous_status: str
    status: str
    previous_percent: int
    percent: int
    at: datetime.datetime | None = None
    revised_due_date: datetime.date | None = None  # set on "revise" steps


@dataclass
class Life:
    outcome: str
    steps: list[Step] = field(default_factory=list)


def moment(day: datetime.date, minutes: int) -> datetime.datetime:
    """A time on a day in England, `minutes` after midnight."""
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), LONDON)


def working_day(day: datetime.date) -> datetime.date:
    """The day itself, or the Friday before a weekend day."""
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def choose_outcome(rng, *, created: datetime.date, due: datetime.date, today: datetime.date):
    """Where an action stands today, given how much of its time has gone by."""
    elapsed = (today - created).days / max(1, (due - created).days)
    for limit, weights in OUTCOMES:
        if elapsed < limit:
            return rng.choices(list(weights), weights=list(weights.values()))[0]
    raise AssertionError("unreachable: the last limit is infinite")


def moves_for(rng, outcome: str, entries: int) -> list[str]:
    """The moves, in order, that take a new action to `outcome` in about `entries` entries."""
    if outcome == Status.NOT_STARTED:
        return ["planning"] * min(entries, rng.randint(0, 2))
    ending = list(ENDINGS[outcome])
    if outcome in (Status.DELIVERED, Status.COMPLETE) and rng.random() < 0.12:
        ending = ["delivered", "sent_back", "progress", *ending]
    episodes = []
    if rng.random() < 0.2:
        episodes.append(["revise"])
    if outcome != Status.BLOCKED and rng.random() < 0.1:
        episodes.append(["blocked", "progress"])
    if rng.random() < 0.05:
        episodes.append(["reassign"])
    if outcome == Status.IN_PROGRESS and rng.random() < 0.02:
        episodes.append(["cancelled", "reopened", "progress"])
    used = len(ending) + sum(len(episode) for episode in episodes)
    units = [["progress"] for _ in range(max(1, entries - used))]
    for episode in episodes:
        # Between whole units (never inside another episode, say between a cancellation
        # and its reopening) and never last: a reassignment must be followed by an entry
        # that moves last_progress_at.
        units.insert(rng.randint(0, len(units) - 1), episode)
    return [move for unit in units for move in unit] + ending


def long_moves(rng, entries: int) -> list[str]:
    """An action logged every week or so for years: still in progress, its date moved twice."""
    moves = ["progress"] * max(4, entries - 4)
    for episode in (["revise"], ["revise"], ["blocked", "progress"]):
        at = rng.randint(1, len(moves) - 1)
        moves[at:at] = episode
    return moves


def percents_towards(rng, target: int, count: int) -> list[int]:
    """`count` rising percentages (multiples of 5) ending at `target`."""
    if count <= 0:
        return []
    steps = max(1, target // 5)
    rising = sorted(rng.randint(1, steps) * 5 for _ in range(count - 1))
    return [*rising, target]


def apply_moves(rng, moves: list[str], target: int) -> list[Step]:
    """Walk the moves from a new action (not started, 0%), as the services would."""
    status, percent, before_delivery = Status.NOT_STARTED, 0, 0
    ramp = iter(percents_towards(rng, target, moves.count("progress")))
    steps = []
    for move in moves:
        previous_status, previous_percent = status, percent
        if move == "progress":
            status, percent = Status.IN_PROGRESS, max(percent, next(ramp, min(95, percent + 5)))
            percent = min(percent, 99)
        elif move == "blocked":
            status = Status.BLOCKED
        elif move == "delivered":
            before_delivery = percent
            status, percent = Status.DELIVERED, 100
        elif move == "sent_back":
            status, percent = Status.IN_PROGRESS, min(99, before_delivery)
        elif move == "signed_off":
            status, percent = Status.COMPLETE, 100
        elif move == "cancelled":
            status = Status.CANCELLED
        elif move == "reopened":
            status, percent = Status.IN_PROGRESS, min(percent, 99)
        # planning, revise and reassign leave status and percent as they are.
        kind, by = MOVES[move]
        steps.append(Step(move, kind, by, previous_status, status, previous_percent, percent))
    return steps


def spread_over(rng, count: int, first: datetime.date, last: datetime.date):
    """`count` strictly increasing times in working hours, on working days from first to last."""
    span = max(0, (last - first).days)
    days = sorted(
        working_day(first + datetime.timedelta(days=rng.randint(0, span))) for _ in range(count)
    )
    times, previous = [], None
    for day in days:
        at = moment(max(day, first), 9 * 60 + rng.randint(0, 8 * 60))
        if previous is not None and at <= previous:
            at = previous + datetime.timedelta(minutes=rng.randint(1, 30))
        times.append(at)
        previous = at
    return times


def last_entry_day(rng, outcome: str, *, due: datetime.date, today: datetime.date):
    """The day of the latest entry: near the due date for closed actions, recent for open ones."""
    if outcome in (Status.COMPLETE, Status.CANCELLED, Status.DELIVERED):
        return min(today - DAY, due + datetime.timedelta(days=rng.randint(-45, 40)))
    if rng.random() < 0.15:  # not updated for a month or more: amber
        return today - datetime.timedelta(days=rng.randint(31, 150))
    return today - datetime.timedelta(days=rng.randint(1, 25))


def revised_dates(rng, steps: list[Step], due: datetime.date) -> None:
    """Give each revision its new date: later than the date it replaces and than its own day."""
    current = due
    for step in steps:
        if step.move == "revise":
            current = max(current, step.at.date()) + datetime.timedelta(days=rng.randint(28, 120))
            step.revised_due_date = current


def life(
    rng,
    *,
    created: datetime.datetime,
    due: datetime.date,
    today: datetime.date,
    entries: int,
    long: bool = False,
) -> Life:
    """The action's outcome and its dated steps (none when there has been no time for any)."""
    first_day = created.date() + DAY
    if long:
        outcome, moves, target = Status.IN_PROGRESS, long_moves(rng, entries), 80
    else:
        outcome = choose_outcome(rng, created=created.date(), due=due, today=today)
        moves = moves_for(rng, outcome, entries)
        # How far the work got: before delivery for delivered ones, else where it stands.
        finished = outcome in (Status.DELIVERED, Status.COMPLETE)
        target = rng.randint(10, 19) * 5 if finished else rng.randint(1, 19) * 5
    last_day = today - DAY if long else last_entry_day(rng, outcome, due=due, today=today)
    last_day = max(last_day, first_day)
    if first_day >= today or not moves:
        return Life(outcome=Status.NOT_STARTED)
    steps = apply_moves(rng, moves, target)
    for step, at in zip(steps, spread_over(rng, len(steps), first_day, last_day), strict=True):
        step.at = at
    revised_dates(rng, steps, due)
    return Life(outcome=steps[-1].status, steps=steps)
