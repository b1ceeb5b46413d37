"""Every page the browser tests checked is valid HTML, by the Nu Html Checker (vnu-jar).

screenshot() and assert_accessible() save each page's HTML as the server sent it; this
test checks them all with one run of the checker (one JVM start) and fails listing each
error with its page and line. tests/browser/conftest.py moves it to the end of the run,
whatever order the other tests run in; run alone, it has no pages and skips.
"""

import pytest

from . import html_validator
from .conftest import SAVED_HTML


def test_every_page_the_browser_tests_visited_is_valid_html():
    html_validator.require_checker()
    if not SAVED_HTML.pages:
        pytest.skip("no browser test saved a page in this run, so there is no HTML to check")
    errors = html_validator.check(list(SAVED_HTML.pages))
    if errors:
        pages = f"{len(SAVED_HTML.pages)} pages checked (saved in {SAVED_HTML.folder}); "
        found = html_validator.report(
            errors, name_of=lambda path: f"{path.name} ({SAVED_HTML.pages.get(path, '?')})"
        )
        pytest.fail(pages + found, pytrace=False)
