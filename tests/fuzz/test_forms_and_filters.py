"""Property-based tests of every form and filter, through HTTP as a browser would send them.

The forms are found by reading the pages: each <form> and the names of its
fields, so a form added later is fuzzed too. Hypothesis fills the fields with
huge text, control characters, other scripts, impossible dates, negative and
enormous numbers and unknown ids. Whatever it sends:

- the answer is never a server error (the test client re-raises any exception);
- a refused submission changes nothing;
- an accepted one (a redirect) wrote exactly what was sent, to the action it was
  sent for, and nothing else;
- filters answer a page (or a file), never an error;
- signing in with anything never signs anybody in.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib.auth import SESSION_KEY as AUTH_USER_KEY
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions import services
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from councils.models import Membership
from tests.factories import ActionFactory, FindingFactory, UserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(max_examples=30)


class FormParser(HTMLParser):
    """Collects each form's method, action and fields: their names, the options of radios,
    checkboxes and selects, and the value each field has on the page (`value`: a list for
    checkboxes, else a string or None)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None
        self._textarea = None

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
                field = self.forms[-1]["fields"].setdefault(
                    name,
                    {"kind": kind, "options": [], "value": [] if kind == "checkbox" else None},
                )
                if kind in ("radio", "checkbox") and attrs.get("value") is not None:
                    field["options"].append(attrs["value"])
                    if "checked" in attrs:
                        if kind == "checkbox":
                            field["value"].append(attrs["value"])
                        else:
                            field["value"] = attrs["value"]
                elif tag == "input":
                    field["value"] = attrs.get("value") or ""
                elif tag == "textarea":
                    field["value"] = ""
                    self._textarea = field
                self._select = name if tag == "select" else None
        elif tag == "option" and self.forms and self._select:
            field = self.forms[-1]["fields"][self._select]
            field["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                field["value"] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                # The HTML parser keeps the newline browsers drop after <textarea>.
                self._textarea["value"] = self._textarea["value"].removeprefix("\n")
            self._textarea = None


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


# --- What an accepted submission must have written ------------------------------------------------


def snapshot() -> dict:
    return {
        "actions": {row["id"]: row for row in Action.objects.values()},
        "updates": set(ProgressUpdate.objects.values_list("pk", flat=True)),
        "contributors": set(
            Action.contributors.through.objects.values_list("action_id", "user_id")
        ),
        "memberships": list(Membership.objects.order_by("pk").values()),
    }


def _text(data: dict, name: str) -> str:
    """A text field as a form cleans it: surrounding spaces trimmed, missing is empty."""
    return str(data.get(name, "")).strip()


def _integer(value) -> int:
    return forms.IntegerField().clean(value)


def _date(data: dict, name: str) -> datetime.date | None:
    parts = [_text(data, f"{name}_{i}") for i in range(3)]
    if not any(parts):
        return None
    day, month, year = (int(part) for part in parts)
    return datetime.date(year, month, day)


def _contributors(data: dict, owner_id: int) -> set[int]:
    values = data.get("contributors", [])
    values = values if isinstance(values, list) else [values]
    return {int(value) for value in values if str(value).strip()} - {owner_id}


ACTION_FORM = re.compile(
    r"^/actions/(\d+)/(progress|edit|due-date|sign-off|send-back|cancel|reopen)/$"
)
CREATE_FORM = re.compile(r"^/actions/new/(\d+)/$")


def check_what_was_written(url: str, user, data: dict, before: dict) -> None:
    """After a POST answered with a redirect: exactly what was sent was written, nowhere else."""
    after = snapshot()
    assert after["memberships"] == before["memberships"], f"POST {url} changed memberships"
    if url == "/council/":
        # Switching council writes to the session only.
        assert after == before, f"POST {url} changed data"
        return
    if match := CREATE_FORM.match(url):
        _check_created(int(match[1]), user, data, before, after)
        return
    match = ACTION_FORM.match(url)
    assert match, f"POST {url} redirected: no rule says what it may write"
    pk, form = int(match[1]), match[2]
    for other, row in before["actions"].items():
        if other != pk:
            assert after["actions"][other] == row, f"POST {url} changed action {other}"
    assert {c for c in after["contributors"] if c[0] != pk} == {
        c for c in before["contributors"] if c[0] != pk
    }, f"POST {url} changed another action's contributors"
    old, new = before["actions"][pk], after["actions"][pk]
    assert new["version"] == old["version"] + 1, f"POST {url} did not raise the version"
    added = list(
        ProgressUpdate.objects.filter(pk__in=after["updates"] - before["updates"]).values()
    )
    assert all(u["action_id"] == pk and u["author_id"] == user.pk for u in added), (
        f"POST {url} wrote timeline entries elsewhere or in someone else's name: {added!r:.300}"
    )
    if form == "edit":
        _check_edited(url, user, data, old, new, after, pk)
        return
    assert len(added) == 1, f"POST {url} wrote {len(added)} timeline entries, not one"
    update = added[0]
    assert (update["previous_status"], update["previous_percent"]) == (
        old["status"],
        old["percent_complete"],
    )
    assert (update["status"], update["percent_complete"]) == (
        new["status"],
        new["percent_complete"],
    ), f"POST {url}: the action and its latest entry disagree"
    unchanged_dates = (new["due_date"], new["revised_due_date"]) == (
        old["due_date"],
        old["revised_due_date"],
    )
    if form == "progress":
        assert update["kind"] == UpdateKind.PROGRESS
        assert update["note"] == _text(data, "note")
        assert (new["status"], new["percent_complete"]) == (
            data["status"],
            _integer(data["percent_complete"]),
        ), f"POST {url} {data!r:.200} wrote {new['status']}, {new['percent_complete']}%"
        url_sent = _text(data, "evidence_url")
        if url_sent:
            assert update["evidence_url"] == forms.URLField(assume_scheme="https").clean(url_sent)
        else:
            assert update["evidence_url"] == ""
        assert unchanged_dates
    elif form == "due-date":
        assert update["kind"] == UpdateKind.DUE_DATE_REVISED
        assert new["revised_due_date"] == _date(data, "revised_due_date")
        assert new["due_date"] == old["due_date"], "the original due date is kept"
        assert update["note"].endswith(_text(data, "reason"))
        assert (new["status"], new["percent_complete"]) == (old["status"], old["percent_complete"])
    elif form == "sign-off":
        assert update["kind"] == UpdateKind.SIGNED_OFF
        assert old["status"] == Status.DELIVERED
        assert (new["status"], new["percent_complete"]) == (Status.COMPLETE, 100)
        assert new["signed_off_by_id"] == user.pk and new["signed_off_at"] is not None
        assert update["note"] == (_text(data, "note") or "Signed off.")
        assert unchanged_dates
    elif form == "send-back":
        assert update["kind"] == UpdateKind.SENT_BACK
        assert old["status"] == Status.DELIVERED and new["status"] == Status.IN_PROGRESS
        assert update["note"] == _text(data, "reason")
        if "percent_complete" in data:
            assert new["percent_complete"] == _integer(data["percent_complete"])
        assert unchanged_dates
    elif form == "cancel":
        assert update["kind"] == UpdateKind.CANCELLED
        assert old["status"] not in (Status.COMPLETE, Status.CANCELLED)
        assert new["status"] == Status.CANCELLED
        assert new["percent_complete"] == old["percent_complete"]
        assert update["note"] == _text(data, "reason")
        assert unchanged_dates
    elif form == "reopen":
        assert update["kind"] == UpdateKind.REOPENED
        assert old["status"] in (Status.COMPLETE, Status.CANCELLED)
        assert new["status"] == Status.IN_PROGRESS
        assert (new["signed_off_by_id"], new["signed_off_at"]) == (None, None)
        assert update["note"] == _text(data, "reason")
        assert unchanged_dates
    for name in ("title", "owner_id", "finding_id", "description", "priority", "start_date"):
        assert new[name] == old[name], f"POST {url} changed the action's {name}"


def _check_edited(url, user, data, old, new, after, pk):
    owner_id = int(data["owner"])
    assert (
        new["title"],
        new["description"],
        new["success_measure"],
        new["lead_service"],
        new["owner_id"],
        new["priority"],
        new["start_date"],
    ) == (
        _text(data, "title"),
        _text(data, "description"),
        _text(data, "success_measure"),
        _text(data, "lead_service"),
        owner_id,
        int(data["priority"]),
        _date(data, "start_date"),
    ), f"POST {url} {data!r:.300} wrote something else"
    assert {user_id for action_id, user_id in after["contributors"] if action_id == pk} == (
        _contributors(data, owner_id)
    )
    for name in ("status", "percent_complete", "due_date", "revised_due_date", "finding_id"):
        assert new[name] == old[name], f"POST {url} (an edit) changed the action's {name}"


def _check_created(finding_pk, user, data, before, after):
    assert after["actions"].keys() >= before["actions"].keys()
    for pk, row in before["actions"].items():
        assert after["actions"][pk] == row, f"adding an action changed action {pk}"
    new_pks = after["actions"].keys() - before["actions"].keys()
    assert len(new_pks) == 1, f"{len(new_pks)} actions were added, not one"
    (pk,) = new_pks
    new = after["actions"][pk]
    owner_id = int(data["owner"])
    assert (
        new["finding_id"],
        new["title"],
        new["description"],
        new["success_measure"],
        new["lead_service"],
        new["owner_id"],
        new["priority"],
        new["start_date"],
        new["due_date"],
    ) == (
        finding_pk,
        _text(data, "title"),
        _text(data, "description"),
        _text(data, "success_measure"),
        _text(data, "lead_service"),
        owner_id,
        int(data["priority"]),
        _date(data, "start_date"),
        _date(data, "due_date"),
    )
    assert (new["status"], new["percent_complete"], new["version"]) == (Status.NOT_STARTED, 0, 1)
    assert new["revised_due_date"] is None and new["signed_off_by_id"] is None
    assert {u for a, u in after["contributors"] if a == pk} == _contributors(data, owner_id)
    assert after["updates"] == before["updates"], "a new action has an empty timeline"


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
            assert fingerprint() == before, f"GET {action} changed data"
            return
        written_before = snapshot()
        response = client.post(action, data)
        assert response.status_code in (200, 302, 400, 403, 404, 405), (
            f"POST {action} answered {response.status_code}"
        )
        if response.status_code == 302:
            check_what_was_written(action, user, data, written_before)
        else:
            assert fingerprint() == before, f"POST {action} was refused but changed data"

    submit()


# --- Mostly valid submissions: the accepted ones are checked against what they sent ------------

PLAUSIBLE_EXAMPLES = hypothesis_settings(max_examples=15)
plain_text = st.one_of(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["Met the housing team.", "  Padded on both sides.  ", "Ünïcödé – “quoted”"]),
)


def sensible_value(name: str, field: dict):
    """A value a person might well type or choose, mostly accepted."""
    options = [option for option in field["options"] if option != ""]
    if field["kind"] == "checkbox":
        return st.lists(st.sampled_from(options), unique=True, max_size=2) if options else st.none()
    if options:
        return st.sampled_from(options)
    if field["kind"] == "hidden":
        return st.just(CURRENT)
    lowered = name.lower()
    if lowered.endswith("_0"):
        return st.integers(1, 28).map(str)
    if lowered.endswith("_1"):
        return st.integers(1, 12).map(str)
    if lowered.endswith("_2"):
        return st.sampled_from(["2025", "2026", "2027"])
    if "percent" in lowered:
        return st.one_of(st.integers(0, 100).map(str), st.just("100"))
    if field["kind"] == "url":
        return st.sampled_from(
            ["", "https://intranet.example.gov.uk/board/2025-05.pdf", "intranet.example.gov.uk/d"]
        )
    return plain_text


# Stands for "whatever the page shows now", looked up when the form is sent (so that the
# data drawn does not depend on what earlier examples wrote).
CURRENT = object()


def plausible_submissions(fields: dict):
    return st.fixed_dictionaries(
        {
            # Sensible first: Hypothesis leans towards the first choice.
            name: st.one_of(
                sensible_value(name, field),
                sensible_value(name, field),
                st.just(CURRENT),
                value_for(name, field),
            )
            for name, field in fields.items()
        }
    )


def _form_on(client, page: str, action: str) -> dict | None:
    response = client.get(page)
    if response.status_code != 200:
        return None
    parser = FormParser()
    parser.feed(response.content.decode())
    for form in parser.forms:
        if form["method"] == "post" and (form["action"] or page) == action and form["fields"]:
            return form
    return None


def _post_forms(client, pages) -> dict[str, tuple[str, dict]]:
    """Each POST form's address, with the page it was found on and its fields."""
    found = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["method"] == "post" and form["fields"] and form["action"] != "/sign-out/":
                found.setdefault(form["action"] or page, (page, form["fields"]))
    return found


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_mostly_valid_submissions_write_exactly_what_was_sent(client, request, plan, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    forms = _post_forms(client, _pages(plan))
    accepted = []
    # Forms that close an action last, so the others still find it open.
    order = ["progress", "edit", "due-date", "send-back", "sign-off", "cancel", "reopen"]

    def closing_last(url):
        match = ACTION_FORM.match(url)
        return (order.index(match[2]) if match else -1, url)

    for action in sorted(forms, key=closing_last):
        page, fields = forms[action]
        accepted += _fuzz_plausibly(client, user, page, action, fields)
    kinds = {ACTION_FORM.match(url)[2] for url in accepted if ACTION_FORM.match(url)}
    expected = {"progress"} if role == "staff" else {"progress", "edit", "due-date", "cancel"}
    assert expected <= kinds, f"too few forms were accepted to check what they wrote: {kinds}"


def _fuzz_plausibly(client, user, page, action, fields) -> list[str]:
    accepted = []

    @PLAUSIBLE_EXAMPLES
    @given(drawn=plausible_submissions(fields))
    def submit(drawn):
        client.force_login(user)
        form = _form_on(client, page, action)
        if form is None:  # no longer offered, e.g. the action has been closed meanwhile
            return
        shown = form["fields"]
        data = {}
        for name, value in drawn.items():
            if value is CURRENT:
                value = shown[name]["value"] if name in shown else None
            if value is not None:
                data[name] = value
        before = fingerprint()
        written_before = snapshot()
        response = client.post(action, data)
        assert response.status_code in (200, 302, 400, 403, 404, 405), (
            f"POST {action} answered {response.status_code}"
        )
        if response.status_code == 302:
            check_what_was_written(action, user, data, written_before)
            accepted.append(action)
        else:
            assert fingerprint() == before, f"POST {action} was refused but changed data"

    submit()
    return accepted


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


@pytest.fixture
def known_user(db):
    """A real account, so the fuzz also tries its username with wrong passwords."""
    return UserFactory(username="priya.shah")


@EXAMPLES
@given(
    username=st.one_of(nasty_text, st.sampled_from(["priya.shah", " priya.shah", "PRIYA.SHAH"])),
    password=nasty_text,
)
def test_sign_in_with_anything_is_refused_clearly(client, known_user, username, password):
    from django.core.cache import cache

    cache.clear()
    response = client.post("/sign-in/", {"username": username, "password": password})
    assert response.status_code in (200, 403, 429), f"sign-in answered {response.status_code}"
    assert AUTH_USER_KEY not in client.session, f"{username!r:.60} was signed in"
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/").status_code == 302, "the dashboard still asks them to sign in"


def test_the_sign_in_check_would_notice_a_sign_in(client, known_user):
    """The assertions above can fail: the right password does sign in."""
    response = client.post(
        "/sign-in/", {"username": "priya.shah", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session[AUTH_USER_KEY] == str(known_user.pk)


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
