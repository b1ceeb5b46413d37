"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page.

They run whenever Chromium is installed and are skipped, saying so plainly, when
it is not. CI sets REQUIRE_BROWSER_TESTS=1, which turns a missing browser into
a failure instead of a skip.

Every page that screenshot() or assert_accessible() checks is also saved, as the
server sent it, for test_zz_html_valid.py to validate with the Nu Html Checker at
the end of the run (this conftest moves that test to the end).
"""

import hashlib
import os
import re
import weakref
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


class SavedPages:
    """The HTML of the pages checked in this session: one file each in a temporary folder."""

    def __init__(self):
        self.folder: Path | None = None
        self.pages: dict[Path, str] = {}  # saved file -> the page's URL (and how it was got)
        self._digests: set[str] = set()

    def save(self, name: str, html: bytes, url: str) -> None:
        digest = hashlib.sha256(html).hexdigest()
        if digest in self._digests:
            return  # the same page checked again (e.g. after a click): validated once
        self._digests.add(digest)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"
        path = self.folder / f"{stem}.html"
        number = 1
        while path in self.pages:
            number += 1
            path = self.folder / f"{stem}-{number}.html"
        path.write_bytes(html)
        self.pages[path] = url


SAVED_HTML = SavedPages()

# Each page's last document: the main-frame navigation response that the page now shows.
_DOCUMENTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@pytest.fixture(scope="session", autouse=True)
def saved_html_folder(tmp_path_factory):
    SAVED_HTML.folder = tmp_path_factory.mktemp("html-pages")
    return SAVED_HTML.folder


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The HTML check runs after every browser test, whatever order the others run in."""
    last = [item for item in items if item.path.name == "test_zz_html_valid.py"]
    if last:
        items[:] = [item for item in items if item not in last] + last


def track_documents(page) -> None:
    """Remember the response of each page the browser shows, to save its HTML as served."""

    def on_response(response):
        if (
            response.request.is_navigation_request()
            and response.frame is page.main_frame
            and response.headers.get("content-type", "").startswith("text/html")
            and not 300 <= response.status < 400
        ):
            _DOCUMENTS[page] = response

    page.on("response", on_response)


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def served_html(page) -> tuple[bytes, str]:
    """The page's HTML as the server sent it (not the DOM after scripts), and where from.

    The last navigation's response body, which also covers a page answering a POST (a
    form sent back with its errors). Failing that, a GET of the same URL with the same
    cookies; and only for a POST answer that cannot be read, the live DOM.
    """
    from playwright.sync_api import Error

    response = _DOCUMENTS.get(page)
    if response is not None and _without_fragment(response.url) == _without_fragment(page.url):
        try:
            return response.body(), page.url
        except Error:
            if response.request.method != "GET":
                return page.content().encode(), f"{page.url} (live DOM: the POST answer was gone)"
    fetched = page.context.request.get(_without_fragment(page.url), max_redirects=0)
    return fetched.body(), f"{page.url} (fetched again)"


def save_html(page, name: str) -> None:
    """Save the page's HTML, named after its screenshot, for the Nu Html Checker."""
    if SAVED_HTML.folder is None:
        return
    html, url = served_html(page)
    SAVED_HTML.save(name, html, url)


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
    track_documents(page)
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
    """Run axe-core on the page as it is now; fail on any WCAG 2.2 A or AA violation.

    The page's HTML is saved too, for the Nu Html Checker at the end of the run.
    """
    save_html(page, context_name or _page_name(page))
    _check_with_axe(page, context_name)


def _page_name(page) -> str:
    """The running test and the page's path, e.g. test_keyboard_only-actions-12."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].split(" ")[0]
    path = _without_fragment(page.url).split("://", 1)[-1].split("/", 1)[-1]
    return f"{test}-{path}"


def _check_with_axe(page, context_name: str = "") -> None:
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
    """Save the page at desktop and phone widths under screenshots/, and check both with axe.

    Its HTML is saved too (as NAME.html), for the Nu Html Checker at the end of the run.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    save_html(page, name)
    original = page.viewport_size
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        _check_with_axe(page, f"{name} at {label} width")
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
        track_documents(extra)
        return extra

    yield open_page
    for context in contexts:
        context.close()
