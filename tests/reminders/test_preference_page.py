"""/reminders/: each signed-in person chooses how often they get digests, for themselves only."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from councils.models import Role
from reminders.models import Frequency, ReminderPreference
from tests.browser import html_validator
from tests.factories import CouncilFactory
from tests.fuzz.test_forms_and_filters import FormParser, nasty_text

from .conftest import member, signed_in

pytestmark = pytest.mark.django_db

URL = "/reminders/"


def _radios(response) -> dict:
    parser = FormParser()
    parser.feed(response.content.decode())
    (form,) = [form for form in parser.forms if "frequency" in form["fields"]]
    return form["fields"]["frequency"]


def _choice(user) -> str | None:
    return ReminderPreference.objects.filter(user=user).values_list("frequency", flat=True).first()


def test_the_page_offers_the_three_choices_with_daily_chosen_until_changed(staff):
    response = signed_in(staff).get(URL)

    assert response.status_code == 200
    radios = _radios(response)
    assert radios["options"] == ["daily", "weekly", "none"]
    assert radios["value"] == "daily"
    html = response.content.decode()
    assert "How often do you want reminder emails?" in html
    assert "on Mondays only" in html
    assert "always sent to managers" in html


def test_choosing_saves_it_says_so_and_shows_it_next_time(staff):
    client = signed_in(staff)

    response = client.post(URL, {"frequency": "weekly"}, follow=True)

    assert _choice(staff) == Frequency.WEEKLY
    assert "You will get reminder emails once a week." in response.content.decode()
    assert _radios(client.get(URL))["value"] == "weekly"

    client.post(URL, {"frequency": "none"})
    assert _choice(staff) == Frequency.NONE
    assert ReminderPreference.objects.filter(user=staff).count() == 1


def test_it_changes_only_your_own_preference(council, staff, other_staff):
    ReminderPreference.objects.create(user=other_staff, frequency=Frequency.WEEKLY)
    client = signed_in(staff)

    # Whatever else the form carries, it is about the person signed in.
    client.post(URL, {"frequency": "none", "user": other_staff.pk, "user_id": other_staff.pk})

    assert _choice(staff) == Frequency.NONE
    assert _choice(other_staff) == Frequency.WEEKLY
    assert _radios(signed_in(other_staff).get(URL))["value"] == "weekly"


def test_a_missing_or_unknown_choice_is_refused_with_the_govuk_error_summary(staff):
    client = signed_in(staff)
    for data, message in (
        ({}, "Choose how often you want reminder emails"),
        ({"frequency": "hourly"}, "Choose every day, once a week or never"),
    ):
        response = client.post(URL, data)
        html = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in html and message in html
        assert '<a href="#id_frequency_1">' in html, "the summary links to the first radio"
        assert html.count("<title>Error: ") == 1
    assert _choice(staff) is None


def test_signing_in_is_needed():
    response = Client().get(URL)

    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_someone_with_no_council_can_still_choose(db):
    lonely = member(CouncilFactory())
    lonely.memberships.all().delete()

    response = signed_in(lonely).post(URL, {"frequency": "none"})

    assert response.status_code == 302
    assert _choice(lonely) == Frequency.NONE


def test_my_actions_links_to_the_page(staff):
    html = signed_in(staff).get("/actions/mine/").content.decode()

    assert 'href="/reminders/"' in html


@hypothesis_settings(max_examples=40)
@given(data=st.dictionaries(st.sampled_from(["frequency", "user", "csrf"]), nasty_text))
def test_any_submission_is_saved_only_when_it_is_a_choice(staff_for_fuzz, data):
    client = signed_in(staff_for_fuzz)
    before = _choice(staff_for_fuzz)

    response = client.post(URL, data)

    if data.get("frequency") in Frequency.values:
        assert response.status_code == 302
        assert _choice(staff_for_fuzz) == data["frequency"]
    else:
        assert response.status_code == 200, f"{data!r:.200} answered {response.status_code}"
        assert _choice(staff_for_fuzz) == before, "a refused form wrote nothing"
    assert ReminderPreference.objects.exclude(user=staff_for_fuzz).count() == 0


@pytest.fixture
def staff_for_fuzz(db):
    return member(CouncilFactory(), Role.STAFF)


def test_the_page_is_valid_html(staff, tmp_path):
    html_validator.require_checker()
    client = signed_in(staff)
    pages = {"preference": client.get(URL), "preference-errors": client.post(URL, {})}
    paths = {}
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        paths[path] = name
    errors = html_validator.check(list(paths))
    if errors:
        pytest.fail(html_validator.report(errors), pytrace=False)
