"""Property-based tests of every form and filter, through HTTP as a browser would send them.

The forms are found by reading the pages: each <form> and the names of its
fields, so a form added later is fuzzed too. Hypothesis fills the fields with
huge text, control characters, other scripts, impossible dates, negative and
enormous numbers and unknown ids. Whatever it sends:

- the answer is never a server error (the test client re-raises any exception);
- a refused submission changes nothing;
- filters answer a page (or a file), never an error.
"""

import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions import services
from actions.models import Action, ProgressUpdate
from actions.rag import Status
from councils.models import Membership
from tests.factories import ActionFactory, FindingFactory

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(max_examples=30)


class FormParser(HTMLParser):
    """Collects each form's method, action and field names (with the options of selects)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action"),
                    "fields": {},
                }
            )
        elif self.forms and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            kind = attrs.get("type", tag)
            if name and name != "csrfmiddlewaretoken" and kind not in ("submit", "button", "file"):
                self.forms[-1]["fields"].setdefault(name, {"kind": kind, "options": []})
                if kind in ("radio", "checkbox") and attrs.get("value") is not None:
                    self.forms[-1]["fields"][name]["options"].append(attrs["value"])
                self._select = name if tag == "select" else None
        elif tag == "option" and self.forms and self._select:
            self.forms[-1]["fields"][self._select]["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_on(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    parser = FormParser()
    parser.feed(response.content.decode())
    return [form for form in parser.forms if form["fields"]]


nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u202e\u0645\u0631\u062d\u0628\u0627",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "a" * 100_000,
            "<script>alert(1)</script>",
            "'; DROP TABLE actions_action; --",
            "%00",
            "../../etc/passwd",
        ]
    ),
)
nasty_number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["-1", "0", "100", "101", "1e309", "NaN", "0x10", "١٢", "", " 5 "]),
)
nasty_date_part = st.one_of(
    nasty_number, st.sampled_from(["31", "29", "2", "13", "0", "9999", "1900"])
)


def value_for(name: str, field: dict):
    if field["options"]:
        return st.one_of(st.sampled_from(field["options"]), nasty_text, nasty_number)
    lowered = name.lower()
    if lowered.endswith(("day", "month", "year", "_0", "_1", "_2")):
        return nasty_date_part
    if any(word in lowered for word in ("percent", "version", "page", "priority", "owner", "id")):
        return st.one_of(nasty_number, nasty_text)
    return st.one_of(nasty_text, nasty_number)


def submissions(fields: dict):
    return st.fixed_dictionaries(
        {}, optional={name: value_for(name, field) for name, field in fields.items()}
    )


def fingerprint():
    return (
        list(Action.objects.order_by("pk").values()),
        ProgressUpdate.objects.count(),
        Membership.objects.count(),
    )


@pytest.fixture
def plan(council, staff, manager):
    """An open action and a delivered one at `council`, so every manager form appears."""
    finding = FindingFactory(inspection__council=council)
    open_action = ActionFactory(finding=finding, owner=staff, start_date=datetime.date(2025, 1, 1))
    delivered = ActionFactory(finding=finding, owner=staff)
    services.log_progress(
        action=delivered, author=staff, note="Done", status=Status.DELIVERED, percent_complete=100
    )
    done = ActionFactory(finding=finding, owner=staff)
    services.log_progress(
        action=done, author=staff, note="Done", status=Status.DELIVERED, percent_complete=100
    )
    services.sign_off(action=done, manager=manager)
    return {"open": open_action, "delivered": delivered, "complete": done}


def _pages(plan):
    pages = [
        "/sign-in/",
        "/council/",
        "/actions/",
        "/inspections/",
        "/actions/mine/",
        f"/actions/new/{plan['open'].finding_id}/",
    ]
    for action in plan.values():
        pages += [
            f"/actions/{action.pk}/",
            f"/actions/{action.pk}/edit/",
            f"/actions/{action.pk}/due-date/",
            f"/actions/{action.pk}/sign-off/",
            f"/actions/{action.pk}/send-back/",
            f"/actions/{action.pk}/cancel/",
            f"/actions/{action.pk}/reopen/",
        ]
    return pages


def _collect(client, urls):
    found = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["fields"] and form["action"] != "/sign-out/":
                key = (form["method"], form["action"] or url)
                found.setdefault(key, {}).update(form["fields"])
    return found


def test_every_form_on_the_pages_is_found(client, manager, plan):
    client.force_login(manager)
    forms = _collect(client, _pages(plan))
    posted = {action for method, action in forms if method == "post"}
    got = {method for method, _ in forms}
    assert {"get", "post"} <= got, f"expected filter and edit forms, found {sorted(forms)}"
    assert len(posted) >= 6, f"too few forms found to fuzz: {sorted(posted)}"


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_no_submission_to_any_form_is_a_server_error_or_half_written(client, request, plan, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    forms = _collect(client, _pages(plan))
    for (method, action), fields in sorted(forms.items()):
        _fuzz_form(client, user, method, action, fields)


def _fuzz_form(client, user, method, action, fields):
    @EXAMPLES
    @given(data=submissions(fields))
    def submit(data):
        client.force_login(user)
        before = fingerprint()
        if method == "get":
            response = client.get(f"{action}?{urlencode(data)}")
            assert response.status_code in (200, 302), f"GET {action} {data!r:.200}"
            return
        response = client.post(action, data)
        assert response.status_code in (200, 302, 400, 403, 404, 405), (
            f"POST {action} answered {response.status_code}"
        )
        if response.status_code != 302:
            assert fingerprint() == before, f"POST {action} was refused but changed data"

    submit()


@EXAMPLES
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "status",
                "rag",
                "priority",
                "owner",
                "finding",
                "inspection",
                "theme",
                "due_before",
                "due_after",
                "overdue",
                "sort",
                "page",
                "kind",
                "year",
                "grade",
            ]
        ),
        st.one_of(nasty_text, nasty_number),
    )
)
def test_filters_with_any_parameters_answer_a_page(client, manager, plan, params):
    client.force_login(manager)
    for url in (
        "/actions/",
        "/actions/export.csv",
        "/actions/export.xlsx",
        "/inspections/",
        "/actions/mine/",
        "/",
    ):
        response = client.get(f"{url}?{urlencode(params)}")
        assert response.status_code in (200, 302, 400), f"{url}?{urlencode(params)!r:.200}"


@EXAMPLES
@given(username=nasty_text, password=nasty_text)
def test_sign_in_with_anything_is_refused_clearly(client, db, username, password):
    from django.core.cache import cache

    cache.clear()
    response = client.post("/sign-in/", {"username": username, "password": password})
    assert response.status_code in (200, 403, 429), f"sign-in answered {response.status_code}"


def test_unknown_ids_are_404_not_errors(client, manager, plan):
    client.force_login(manager)
    for path in (
        "/actions/{}/",
        "/inspections/{}/",
        "/inspections/findings/{}/",
        "/actions/evidence/{}/",
        "/actions/{}/edit/",
    ):
        for unknown in (0, 2**31, 2**63 - 1):
            assert client.get(path.format(unknown)).status_code == 404
    assert client.get("/actions/99999999999999999999999/").status_code == 404
