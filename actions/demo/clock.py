"""The demo's clock: every record it writes is dated across the plan's life, not at loading.

The services date a timeline entry with `recorded_at` (or the time now), but the
rest of what a write leaves behind is dated by `django.utils.timezone.now()` when
it happens: the audit rows of django-simple-history (`history_date`), `created_at`
and `updated_at`, `signed_off_at`, and the entries of services that take no
`recorded_at` (cancelling). So the demo makes each write inside `clock.at(moment)`,
which stands `timezone.now()` at that moment while the write runs: the entry, the
action's new values and its audit row then all carry the same time, as they would
have if someone had made the change on that day.

Local use only: `at()` replaces `timezone.now` for the whole process while it
runs, which is fine for a management command and never for a server.
"""

import datetime
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

WORKDAY_STARTS = datetime.time(9, 0)
WORKDAY_MINUTES = 7 * 60  # entries fall between 09:00 and 16:00


class DemoClock:
    """Moments counted back from when the demo is loaded, in working hours in England."""

    def __init__(self, now: datetime.datetime | None = None):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)

    def moment(self, days_ago: int, minutes: int = 0) -> datetime.datetime:
        """`minutes` after 09:00, `days_ago` days before today (always in the past)."""
        if days_ago < 1:
            raise ValueError("The demo's history is in the past: at least one day ago.")
        day = self.today - datetime.timedelta(days=days_ago)
        start = datetime.datetime.combine(day, WORKDAY_STARTS)
        return timezone.make_aware(start + datetime.timedelta(minutes=minutes))

    def working_moment(self, days_ago: int, text: str) -> datetime.datetime:
        """A time of day between 09:00 and 16:00 that varies with `text`, the same each load."""
        return self.moment(days_ago, zlib.crc32(text.encode()) % WORKDAY_MINUTES)

    @contextmanager
    def at(self, moment: datetime.datetime) -> Iterator[datetime.datetime]:
        """Within the block, `timezone.now()` (and so every timestamp written) is `moment`."""
        with mock.patch("django.utils.timezone.now", return_value=moment):
            yield moment
