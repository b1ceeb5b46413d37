"""Hostile input to the letter pages: never a server error, and nothing written unless saved.

The check page's form is read from the page itself (tests/fuzz/test_forms_and_filters.py's
FormParser and strategies), so fields added later are fuzzed too.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councils.models import Role
from inspections.letter_intake import SESSION_KEY
from inspections.models import Finding, Inspection, Judgement
from tests.factories import MembershipFactory, UserFactory

from .test_forms_and_filters import EXAMPLES, FormParser, nasty_text, submissions

pytestmark = pytest.mark.django_db

LETTER = """Testshire County Council
Focused visit to Testshire children's services on 8 July 2025 and 9 July 2025.
Lead inspector: Ruth Ellison, His Majesty's Inspector
What needs to improve in this area of social work practice?
- The timeliness of pathway plans for care leavers.
- Personal advisers' caseloads.
"""


@pytest.fixture
def admin_client(client, council):
    admin = UserFactory()
    MembershipFactory(user=admin, council=council, role=Role.ADMIN)
    client.force_login(admin)
    return client


def _written() -> tuple[int, int, int]:
    return Inspection.objects.count(), Finding.objects.count(), Judgement.objects.count()


def test_any_pasted_text_is_read_without_error(admin_client):
    @EXAMPLES
    @given(text=st.one_of(nasty_text, st.text(max_size=5000)))
    def paste(text):
        response = admin_client.post("/inspections/letters/new/", {"text": text})
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert admin_client.session.get(SESSION_KEY), "a read letter leaves a draft"
        assert _written() == (0, 0, 0), "reading a letter writes nothing"

    paste()


def test_any_submission_of_the_check_page_is_safe(admin_client):
    admin_client.post("/inspections/letters/new/", {"text": LETTER})
    page = admin_client.get("/inspections/letters/check/").content.decode()
    parser = FormParser()
    parser.feed(page)
    (form,) = [form for form in parser.forms if "letter-kind" in form["fields"]]
    management = {name for name in form["fields"] if name.endswith("_FORMS")}

    @EXAMPLES
    @given(data=submissions({k: v for k, v in form["fields"].items() if k not in management}))
    def submit(data):
        admin_client.post("/inspections/letters/new/", {"text": LETTER})
        before = _written()
        posted = {name: form["fields"][name]["value"] or "" for name in management}
        response = admin_client.post("/inspections/letters/check/", {**data, **posted, "save": "1"})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert _written() == before, "a refused check page writes nothing"
        else:
            assert _written()[0] == before[0] + 1, "a saved letter is one inspection"

    submit()
