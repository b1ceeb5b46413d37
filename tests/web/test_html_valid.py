"""The main pages are valid HTML by the Nu Html Checker (vnu-jar), without a browser.

Django's test client renders them and one run of the checker validates them all, so
`make test` checks HTML where Chromium is missing too (tests/browser/test_zz_html_valid.py
checks every page the browser tests visit). Skipped without Java or the jar, except where
REQUIRE_BROWSER_TESTS=1.
"""

import pytest
from django.test import Client
from django.urls import reverse

from councils.models import Role
from tests.browser import html_validator
from tests.factories import CouncilFactory, MembershipFactory

from .conftest import build_plan

pytestmark = pytest.mark.django_db


def test_the_main_pages_are_valid_html(manager, staff, council, tmp_path):
    html_validator.require_checker()
    plan = build_plan(council, findings=2, actions_per_finding=2, owner=staff)
    action, finding = plan.actions[0], plan.findings[0]
    update = action.updates.first()
    # A second council (after the first by name, which stays current), so the switch page
    # offers a choice.
    MembershipFactory(user=manager, council=CouncilFactory(name="Zennor"), role=Role.STAFF)

    anonymous = Client()
    pages = {
        "sign-in": anonymous.get(reverse("login")),
        "sign-in-errors": anonymous.post(reverse("login"), {"username": "", "password": ""}),
    }
    client = Client()
    client.force_login(manager)
    pages |= {
        "dashboard": client.get(reverse("dashboard")),
        "actions": client.get(reverse("action_list")),
        "action": client.get(reverse("action_detail", args=[action.pk])),
        "log-progress-errors": client.post(reverse("action_log_progress", args=[action.pk]), {}),
        "every-update": client.get(reverse("action_updates", args=[action.pk])),
        "one-update": client.get(reverse("action_update", args=[action.pk, update.pk])),
        "add-action": client.get(reverse("action_create", args=[finding.pk])),
        "inspection": client.get(reverse("inspection_detail", args=[plan.inspection.pk])),
        "finding": client.get(reverse("finding_detail", args=[finding.pk])),
        "switch-council": client.get(reverse("switch_council")),
        "switch-council-errors": client.post(reverse("switch_council"), {}),
    }

    paths = {}
    for name, response in pages.items():
        assert response.status_code == 200, f"{name} answered {response.status_code}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        paths[path] = name
    errors = html_validator.check(list(paths))
    if errors:
        pytest.fail(html_validator.report(errors), pytrace=False)
