"""A GET form must not carry the CSRF token: it would land in URLs, history and logs."""

import re

import pytest

from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

GET_FORM = re.compile(r"<form[^>]*method=\"get\"[^>]*>(.*?)</form>", re.S | re.I)


@pytest.mark.parametrize("url", ["/", "/actions/", "/actions/mine/", "/inspections/"])
def test_filter_forms_do_not_carry_the_csrf_token(client, council, manager, url):
    ActionFactory(finding__inspection__council=council, owner=manager)
    client.force_login(manager)
    page = client.get(url).content.decode()
    for form in GET_FORM.findall(page):
        assert "csrfmiddlewaretoken" not in form, f"a GET form on {url} carries the CSRF token"
    if url == "/actions/":
        assert GET_FORM.search(page), "the actions list has its filter form"
