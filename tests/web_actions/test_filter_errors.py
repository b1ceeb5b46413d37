"""Issue 12, item 8: a filter with a bad value is shown as an error and not claimed as applied."""

import pytest
from django.urls import reverse

from .conftest import titles

pytestmark = pytest.mark.django_db

URL = reverse("action_list")


def _summary(html: str) -> str:
    start = html.index('class="govuk-error-summary"')
    return html[start : html.index("</div>\n</div>", start)]


def test_a_bad_date_is_listed_in_the_summary_and_linked_to_its_field(staff_client, action):
    html = staff_client.get(f"{URL}?due_after=31/02/2025").content.decode()
    summary = _summary(html)
    assert '<a href="#id_due_after">Due on or after must be a real date' in summary
    assert html.count("<title>Error: ") == 1


def test_the_page_does_not_claim_a_refused_filter_applied(staff_client, action):
    html = staff_client.get(f"{URL}?due_after=31/02/2025").content.decode()
    assert "match your filters" not in html
    assert "1 action matches the filters that could be applied" in html
    assert "Not applied, because of the problem above: Due on or after." in html


def test_each_bad_filter_gets_its_own_message(staff_client, action):
    html = staff_client.get(f"{URL}?due_after=nope&due_before=32/1/2026&status=x").content.decode()
    summary = _summary(html)
    assert summary.count("<li>") == 3
    for anchor in ("#id_due_after", "#id_due_before", "#id_status"):
        assert anchor in summary


def test_the_good_filters_still_apply(staff_client, action):
    response = staff_client.get(f"{URL}?due_after=31/02/2025&q={action.title}")
    assert titles(response) == [action.title]


def test_an_unknown_sort_is_not_the_users_mistake(staff_client, action):
    html = staff_client.get(f"{URL}?sort=bogus").content.decode()
    assert "govuk-error-summary" not in html
