"""Logging progress with the keyboard alone: skip link, Tab order, radios, Enter, focus styles."""

import re

import pytest

from actions.models import ProgressUpdate
from actions.rag import Status

from .conftest import FACTORY_PASSWORD, assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_TABS = 60

# The focused element, described so that a failure says where focus went.
ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", id: "", cls: "", text: "", checked: null};
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || "",
    cls: el.className || "",
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    checked: el.type === "radio" || el.type === "checkbox" ? el.checked : null,
    name: el.getAttribute("name") || "",
  };
}"""

# Whether focus can be seen: the element's own outline or box shadow, or for GOV.UK radios
# and checkboxes (whose input is invisible) the ring drawn on the label's ::before.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const visible = (style) => {
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(style.outlineColor);
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return outline || shadow;
  };
  if (visible(getComputedStyle(el))) return true;
  if (el.type === "radio" || el.type === "checkbox") {
    const label = document.querySelector(`label[for="${el.id}"]`);
    return !!label && visible(getComputedStyle(label, "::before"));
  }
  return false;
}"""


def _active(page) -> dict:
    return page.evaluate(ACTIVE)


def _has_focus_style(page) -> bool:
    return page.evaluate(FOCUS_STYLE)


def _tab_until(page, predicate, stops=None, key="Tab") -> dict:
    """Press Tab until the focused element matches; every stop on the way must show focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        active = _active(page)
        if stops is not None:
            stops.append(active)
        assert active["tag"] != "body", f"focus fell out of the page after {stops}"
        assert _has_focus_style(page), f"no visible focus style on {active}"
        if predicate(active):
            return active
    raise AssertionError(f"not reached in {MAX_TABS} presses of {key}; stops: {stops}")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page, staff, action):
    sign_in(page, staff.username, FACTORY_PASSWORD)
    page.goto(f"/actions/{action.pk}/")
    page.keyboard.press("Tab")
    first = _active(page)
    assert first["tag"] == "a" and "govuk-skip-link" in first["cls"], first
    assert first["text"] == "Skip to main content"
    skip = page.locator(".govuk-skip-link")
    assert skip.is_visible()  # visually hidden until focused, then shown
    box = skip.bounding_box()
    assert box["width"] > 1 and box["height"] > 1
    assert _has_focus_style(page)
    assert_accessible(page, "action page with the skip link focused")

    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    assert _active(page)["id"] == "main-content"
    # The next Tab goes to the first thing in the main content, not back to the header.
    page.keyboard.press("Tab")
    after = page.evaluate(
        "() => document.getElementById('main-content').contains(document.activeElement)"
    )
    assert after, _active(page)


def test_progress_is_logged_with_the_keyboard_alone(page, staff, action):
    sign_in(page, staff.username, FACTORY_PASSWORD)
    page.goto(f"/actions/{action.pk}/")

    # Tab from the top of the page to the note, every stop with a visible focus style.
    stops = []
    _tab_until(page, lambda a: a["id"] == "id_note", stops)
    assert "govuk-skip-link" in stops[0]["cls"]
    assert any(s["text"] == "My actions" for s in stops), "the menu is reachable by Tab"
    page.keyboard.type("Met the virtual school head; attendance data now shared weekly.")

    # Into the radios: focus lands on the checked one (not started), arrows choose another.
    page.keyboard.press("Tab")
    radio = _active(page)
    assert radio["name"] == "status" and radio["checked"], radio
    assert page.locator("#id_status_1").evaluate("el => el.value") == Status.NOT_STARTED
    page.keyboard.press("ArrowDown")
    radio = _active(page)
    assert radio["id"] == "id_status_2" and radio["checked"], radio
    page.keyboard.press("Space")
    assert page.locator("input[name=status]:checked").get_attribute("value") == Status.IN_PROGRESS
    assert _has_focus_style(page)

    # On to the percentage, back with Shift+Tab to the same radio, and forward again.
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "id_percent_complete"
    page.keyboard.press("Shift+Tab")
    assert _active(page)["id"] == "id_status_2"
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "id_percent_complete"
    assert _has_focus_style(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("35")

    # The rest of the form is reachable: link, file, button.
    forward = []
    _tab_until(page, lambda a: a["tag"] == "button" and "Save progress" in a["text"], forward)
    assert [s["id"] for s in forward[:2]] == ["id_evidence_url", "id_evidence_file"], forward
    # Back to the percentage and submit it from there with Enter.
    _tab_until(page, lambda a: a["id"] == "id_percent_complete", key="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    assert (
        "Your progress update has been saved."
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
    newest = page.locator(".app-timeline__item").first
    assert "attendance data now shared weekly" in newest.inner_text()
    assert re.search(r"Complete: 0%\s*→?\s*(changed to)?\s*35%", newest.inner_text())
    assert_accessible(page)

    update = ProgressUpdate.objects.get(action=action)
    assert (update.status, update.percent_complete) == (Status.IN_PROGRESS, 35)
    assert update.note == "Met the virtual school head; attendance data now shared weekly."


def test_error_summary_links_move_focus_to_the_field_with_the_keyboard(page, staff, action):
    sign_in(page, staff.username, FACTORY_PASSWORD)
    page.goto(f"/actions/{action.pk}/")
    _tab_until(page, lambda a: a["tag"] == "button" and "Save progress" in a["text"])
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # GOV.UK Frontend focuses the summary when the page loads with errors.
    summary = page.locator(".govuk-error-summary")
    assert "Enter a note saying what has happened" in summary.inner_text()
    assert _active(page)["cls"].startswith("govuk-error-summary")
    _tab_until(page, lambda a: a["text"] == "Enter a note saying what has happened")
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "id_note"
    assert ProgressUpdate.objects.filter(action=action).count() == 0
