"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page.

They run whenever Chromium is installed and are skipped, saying so plainly, when
it is not. CI sets REQUIRE_BROWSER_TESTS=1, which turns a missing browser into
a failure instead of a skip.
"""

import os
from pathlib import Path

import pytest

from .chromium import CHROMIUM, REQUIRED

# Playwright's sync API runs an event loop in this thread; the ORM calls that the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# WCAG 2.2 A and AA, as axe-core tags them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(autouse=True)
def reference_data(request):
    """Put back the councils and themes that the data migrations load.

    Browser tests run in transactions that end by emptying the tables. Django's
    serialized rollback would reload them, but Playwright's sync API runs the test
    in its own greenlet, where Django's context-local connection is a new object
    without the snapshot, so the tests reload the reference data themselves.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    from councils.models import Council
    from councils.reference import load_councils

    if not Council.objects.exists():
        load_councils()
        themes = importlib.import_module(
            "inspections.migrations.0002_seed_themes_and_guard_ungraded"
        )
        themes.seed_themes(apps, None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if REQUIRED:
            pytest.fail("REQUIRE_BROWSER_TESTS=1 but Chromium is not installed")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def assert_accessible(page, context_name: str = "") -> None:
    """Run axe-core on the page as it is now; fail on any WCAG 2.2 A or AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    if violations:
        lines = []
        for violation in violations:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
        raise AssertionError(
            f"axe found {len(violations)} accessibility violation(s) on "
            f"{context_name or page.url}:\n" + "\n".join(lines)
        )


def screenshot(page, name: str) -> None:
    """Save the page at desktop and phone widths under screenshots/, and check both with axe."""
    SCREENSHOTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        assert_accessible(page, f"{name} at {label} width")
    page.set_viewport_size(original)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


# The password tests/factories.py gives every UserFactory user.
FACTORY_PASSWORD = "correct-horse-battery"


@pytest.fixture
def new_page(browser, live_server):
    """Open further pages, each in its own context (its own cookies, so its own sign-in)."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        extra = context.new_page()
        extra.set_default_timeout(15_000)
        return extra

    yield open_page
    for context in contexts:
        context.close()
