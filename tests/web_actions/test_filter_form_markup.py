"""The actions filter's hand-written GOV.UK markup (templates/actions/_filter_form.html).

What matters to the people using it: every field has a label tied to its input; a
refused value marks its form group, describes its input by its error message and is
linked from the error summary; and the filters applied stay chosen on the next page.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import FindingFactory, ThemeFactory

from .conftest import make_actions

pytestmark = pytest.mark.django_db

URL = reverse("action_list")
SELECTS = ("inspection", "finding", "theme", "owner", "status", "rag", "priority")
TEXT_INPUTS = ("q", "due_after", "due_before")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """The page's elements by id, the filter form's controls, labels and selected options,
    and the error summary's links."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.controls: dict[str, dict] = {}  # by name, in the filter form
        self.labels: dict[str, str] = {}  # for -> text, in the filter form
        self.selected: dict[str, list[str]] = {}  # select name -> values selected
        self.summary_links: list[str] = []
        self.duplicate_ids: list[str] = []
        self.elements: list[dict] = []
        self._stack: list[dict] = []
        self._select = None
        self.feed(html)
        self.close()

    def _inside(self, predicate) -> dict | None:
        return next((el for el in reversed(self._stack) if predicate(el)), None)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        element = {"tag": tag, "attrs": attrs, "classes": attrs.get("class", "").split()}
        element["text"] = []
        element["parent"] = self._stack[-1] if self._stack else None
        element["within"] = {name for el in self._stack for name in el["classes"]}
        self.elements.append(element)
        if "id" in attrs:
            if attrs["id"] in self.by_id:
                self.duplicate_ids.append(attrs["id"])
            self.by_id[attrs["id"]] = element
        in_form = self._inside(
            lambda el: el["tag"] == "form" and el["attrs"].get("method") == "get"
        )
        element["in_form"] = bool(in_form)
        if in_form:
            group = self._inside(lambda el: "govuk-form-group" in el["classes"])
            element["group"] = group
            if tag in ("input", "select") and attrs.get("type") != "submit":
                self.controls[attrs["name"]] = element
            if tag == "select":
                self._select = attrs["name"]
                self.selected[self._select] = []
            if tag == "option" and "selected" in attrs:
                self.selected[self._select].append(attrs["value"])
        if tag == "a" and self._inside(lambda el: "govuk-error-summary" in el["classes"]):
            self.summary_links.append(attrs["href"])
        if tag not in VOID:
            self._stack.append(element)

    def handle_endtag(self, tag):
        while self._stack:
            element = self._stack.pop()
            if element["tag"] == "label" and element["in_form"] and "for" in element["attrs"]:
                self.labels[element["attrs"]["for"]] = " ".join("".join(element["text"]).split())
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._stack:
            element["text"].append(data)

    def text(self, element_id: str) -> str:
        return " ".join("".join(self.by_id[element_id]["text"]).split())

    def described_by(self, name: str) -> list[str]:
        return self.controls[name]["attrs"].get("aria-describedby", "").split()


def page(client, query: str = "") -> Page:
    response = client.get(URL + query)
    assert response.status_code == 200
    return Page(response.content.decode())


@pytest.fixture
def plan(council, staff, other_staff):
    theme = ThemeFactory(name="Care & leavers")
    finding = FindingFactory(inspection__council=council, theme=theme, short_title="Plans")
    make_actions(finding, staff, 2)
    make_actions(finding, other_staff, 2)
    return finding


@pytest.mark.parametrize("query", ["", "?due_after=not-a-date", "?owner=999999&status=bogus"])
def test_every_field_has_a_label_for_its_input(staff_client, plan, query):
    html = page(staff_client, query)
    visible = {
        name: el for name, el in html.controls.items() if el["attrs"].get("type") != "hidden"
    }
    assert set(visible) == {*SELECTS, *TEXT_INPUTS, "overdue"}
    for name, control in visible.items():
        control_id = control["attrs"]["id"]
        assert html.labels.get(control_id), f"{name} has no label for #{control_id}"
        assert html.by_id[control_id] is control
        # Each element the control is described by is on the page.
        for described_by in html.described_by(name):
            assert described_by in html.by_id, f"{name} is described by a missing #{described_by}"
    assert set(html.labels) <= {control["attrs"]["id"] for control in visible.values()}
    assert html.duplicate_ids == []
    assert html.labels["id_q"] == "Search"
    assert html.labels["id_overdue"] == "Overdue only"
    assert html.controls["sort"]["attrs"]["type"] == "hidden"


def test_the_fields_have_the_gov_uk_classes_and_hints(staff_client, plan):
    html = page(staff_client)
    for name in SELECTS:
        assert html.controls[name]["tag"] == "select"
        assert "govuk-select" in html.controls[name]["classes"]
    for name in TEXT_INPUTS:
        assert "govuk-input" in html.controls[name]["classes"]
        hints = html.described_by(name)
        assert len(hints) == 1 and "govuk-hint" in html.by_id[hints[0]]["classes"]
    assert "govuk-input--width-10" in html.controls["due_after"]["classes"]
    assert html.text(html.described_by("due_before")[0]) == "For example, 31/3/2026"
    overdue = html.controls["overdue"]
    assert overdue["attrs"]["type"] == "checkbox"
    assert "govuk-checkboxes__input" in overdue["classes"]
    assert {"govuk-checkboxes", "govuk-checkboxes--small"} <= overdue["within"]
    assert "govuk-grid-row" in overdue["within"]
    button = next(el for el in html.elements if el["tag"] == "button" and el["in_form"])
    assert button["classes"] == ["govuk-button", "govuk-button--secondary"]
    assert " ".join("".join(button["text"]).split()) == "Apply filters"
    # No field is in error: no form group says so, no input is marked invalid.
    for control in html.controls.values():
        group = control["group"]
        assert group is None or "govuk-form-group--error" not in group["classes"]
        assert "aria-invalid" not in control["attrs"]


def _assert_in_error(html: Page, name: str, message: str) -> None:
    control = html.controls[name]
    control_id = control["attrs"]["id"]
    assert "govuk-form-group--error" in control["group"]["classes"]
    assert control["attrs"].get("aria-invalid") == "true"
    errors = [
        ref
        for ref in html.described_by(name)
        if "govuk-error-message" in html.by_id[ref]["classes"]
    ]
    assert len(errors) == 1, f"{name}'s aria-describedby names no error message"
    error = html.by_id[errors[0]]
    assert error["group"] is control["group"]
    # The visually hidden prefix, then the message.
    assert html.text(errors[0]) == f"Error: {message}"
    prefix = [el for el in html.elements if el["parent"] is error]
    assert [(el["classes"], "".join(el["text"])) for el in prefix] == [
        (["govuk-visually-hidden"], "Error:")
    ]
    assert f"#{control_id}" in html.summary_links


def test_an_invalid_date_is_marked_described_and_linked_from_the_summary(staff_client, plan):
    html = page(staff_client, "?due_after=not-a-date&status=in_progress")
    _assert_in_error(
        html, "due_after", "Due on or after must be a real date, for example 31/3/2026"
    )
    assert "govuk-input--error" in html.controls["due_after"]["classes"]
    # The hint is still read out, before the error; what was typed is kept to correct.
    hint, _error = html.described_by("due_after")
    assert "govuk-hint" in html.by_id[hint]["classes"]
    assert html.controls["due_after"]["attrs"]["value"] == "not-a-date"
    assert html.summary_links == ["#id_due_after"]
    # Only the field in error is marked.
    for name in ("due_before", "status", "q"):
        assert "govuk-form-group--error" not in html.controls[name]["group"]["classes"]
        assert "aria-invalid" not in html.controls[name]["attrs"]


def test_a_choice_no_longer_offered_is_marked_on_its_select(staff_client, plan):
    # A bookmark can name an owner who has since left the council.
    html = page(staff_client, "?owner=999999")
    _assert_in_error(html, "owner", "Select an owner from the list")
    assert html.summary_links == ["#id_owner"]
    # GOV.UK's red border, beside Django's aria-invalid.
    assert "govuk-select--error" in html.controls["owner"]["attrs"]["class"]
    assert "govuk-select--error" not in html.controls["status"]["attrs"]["class"]


def test_selected_values_stay_selected_after_applying_filters(staff_client, plan, other_staff):
    applied = {
        "inspection": str(plan.inspection_id),
        "finding": str(plan.pk),
        "theme": str(plan.theme_id),
        "owner": str(other_staff.pk),
        "status": "in_progress",
        "rag": "red",
        "priority": "1",
    }
    query = "?" + "&".join(f"{name}={value}" for name, value in applied.items())
    html = page(staff_client, query + "&q=plan&due_after=1/1/2025&overdue=1&sort=-due&apply=")
    assert {name: html.selected[name] for name in SELECTS} == {
        name: [value] for name, value in applied.items()
    }
    assert html.controls["q"]["attrs"]["value"] == "plan"
    assert html.controls["due_after"]["attrs"]["value"] == "1/1/2025"
    assert "value" not in html.controls["due_before"]["attrs"]
    assert "checked" in html.controls["overdue"]["attrs"]
    assert html.controls["sort"]["attrs"]["value"] == "-due"


def test_with_no_filters_each_select_offers_its_all_option(staff_client, plan):
    html = page(staff_client)
    assert {name: html.selected[name] for name in SELECTS} == {name: [""] for name in SELECTS}
    assert "checked" not in html.controls["overdue"]["attrs"]
    assert "value" not in html.controls["q"]["attrs"]


def test_the_get_form_carries_no_csrf_token(staff_client, plan):
    # The token would otherwise ride along in every filtered URL, export link and log.
    html = page(staff_client, "?status=blocked")
    assert "csrfmiddlewaretoken" not in html.controls
