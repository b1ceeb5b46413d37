import datetime
import os
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings

from actions.rag import Clock
from councils.models import Role

from .browser.chromium import CHROMIUM, REQUIRED
from .factories import ActionFactory, CouncilFactory, MembershipFactory, UserFactory

# Deterministic by default (the same examples on every run and every machine);
# HYPOTHESIS_PROFILE=explore searches afresh each time.
settings.register_profile(
    "deterministic",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

LONDON = ZoneInfo("Europe/London")
# Midday on a Sunday in British Summer Time: far from midnight in both UTC and London.
FIXED_NOW = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=LONDON)


@pytest.fixture
def clock() -> Clock:
    """A fixed 'now' for RAG ratings: 15 June 2025, midday in London."""
    return Clock(today=FIXED_NOW.date(), now=FIXED_NOW)


@pytest.fixture
def council(db):
    return CouncilFactory()


def _member(council, role, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, council=council, role=role)
    return user


@pytest.fixture
def staff(council):
    return _member(council, Role.STAFF, first_name="Priya", last_name="Shah")


@pytest.fixture
def other_staff(council):
    return _member(council, Role.STAFF, first_name="Tom", last_name="Hughes")


@pytest.fixture
def manager(council):
    return _member(council, Role.MANAGER, first_name="Sarah", last_name="Okafor")


@pytest.fixture
def second_manager(council):
    return _member(council, Role.MANAGER, first_name="David", last_name="Lee")


@pytest.fixture
def action(council, staff):
    """An action at `council`, owned by `staff`, not started, due in two months."""
    return ActionFactory(finding__inspection__council=council, owner=staff)


# Browser tests: said plainly at the start and end of every run whether they ran.
# (pytest reads report-header hooks only from this top-level conftest.)
def pytest_report_header(config):
    if CHROMIUM:
        return f"browser tests: running in {CHROMIUM}"
    return "browser tests: SKIPPED - Chromium is not installed (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.browser)
        # Where CI requires them, a missing browser fails in the `browser` fixture instead.
        if not CHROMIUM and not REQUIRED:
            item.add_marker(
                pytest.mark.skip(reason="Chromium is not installed: browser tests skipped")
            )


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM:
        terminalreporter.write_line(
            "Browser tests were SKIPPED: Chromium is not installed (apt-get install chromium).",
            yellow=True,
        )
