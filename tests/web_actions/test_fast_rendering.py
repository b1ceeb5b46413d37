"""The cheaper ways the action lists are rendered give exactly what Django's own did.

GovukSelect writes a select and its options in Python, ChoicesInOneQuery reads
a choice list with one plain query (config/govuk_forms.py), and the list pages pick
a page's ids before loading its rows (actions.selectors.IdsFirst). Each is checked
against the plain Django way, byte for byte or row for row.
"""

import pytest
from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse

from actions.filters import CouncilChoiceField
from config.govuk_forms import GovukSelect
from tests.factories import ActionFactory, FindingFactory, ThemeFactory, UserFactory

from .conftest import make_actions, titles

pytestmark = pytest.mark.django_db


CHOICES = [
    ("", "Anyone"),
    ("1", "Priya Shah"),
    (2, 'O\'Brien & <Sons> "quoted"'),
    ("Group", [("g1", "In a group"), ("g2", "Another")]),
]


@pytest.mark.parametrize("value", [None, "", "1", 2, "g2", ["1", "g1"], "not offered"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "govuk-select", "id": "id_owner"},
        {"disabled": True, "hidden": False, "aria-describedby": 'a "b" <c>'},
    ],
)
def test_govuk_select_writes_the_same_html_as_djangos(value, attrs):
    ours = GovukSelect(choices=CHOICES).render("owner", value, attrs=attrs)
    # GovukSelect carries GOV.UK's class by default: the filters' selects lost their style
    # (and a phone's width) without it.
    django = forms.Select(attrs={"class": "govuk-select"}, choices=CHOICES).render(
        "owner", value, attrs=attrs
    )
    assert ours == django


def test_a_multiple_select_is_the_same_too():
    class Multiple(GovukSelect):
        allow_multiple_selected = True

    ours = Multiple(choices=CHOICES).render("owner", ["1", "g1"], attrs={"multiple": True})
    django = forms.SelectMultiple(attrs={"class": "govuk-select"}, choices=CHOICES).render(
        "owner", ["1", "g1"]
    )
    assert ours == django


def test_choices_in_one_query_are_djangos_choices(council):
    people = [UserFactory(first_name=name) for name in ("Ann", "Bob", "Cat")]
    field = CouncilChoiceField(
        queryset=UserFactory._meta.model.objects.filter(pk__in=[p.pk for p in people]).order_by(
            "first_name"
        ),
        empty_label="Anyone",
    )
    ours = [(str(value), label) for value, label in field.choices]
    django = [(str(value), label) for value, label in ModelChoiceIterator(field)]
    assert ours == django
    assert len(ours) == 4


def _filter_form(html: str) -> str:
    return html.split('<form method="get"', 1)[1].split("</form>", 1)[0]


def test_the_filter_form_is_what_djangos_widgets_wrote(
    staff_client, council, staff, other_staff, monkeypatch
):
    theme = ThemeFactory(name="Care & leavers")
    finding = FindingFactory(inspection__council=council, theme=theme, short_title="Plans <b>")
    make_actions(finding, staff, 3)
    ActionFactory(finding=finding, owner=other_staff)
    url = (
        reverse("action_list")
        + f"?owner={other_staff.pk}&theme={theme.pk}&status=in_progress&rag=red&priority=1"
        + f"&finding={finding.pk}&inspection={finding.inspection_id}&sort=due"
    )
    ours = _filter_form(staff_client.get(url).content.decode())
    monkeypatch.setattr(GovukSelect, "render", forms.Select.render)
    monkeypatch.setattr(GovukSelect, "template_name", forms.Select.template_name)
    monkeypatch.setattr(CouncilChoiceField, "iterator", ModelChoiceIterator)
    django = _filter_form(staff_client.get(url).content.decode())
    assert ours == django
    assert "selected" in ours and "Care &amp; leavers" in ours


@pytest.mark.parametrize(
    "query", ["", "?sort=-due", "?sort=owner&page=2", "?sort=-title&page=3", "?sort=-rag&page=2"]
)
def test_ids_first_gives_the_rows_of_one_query(staff_client, council, staff, query, monkeypatch):
    finding = FindingFactory(inspection__council=council)
    make_actions(finding, staff, 60)
    make_actions(finding, UserFactory(first_name="Zed"), 55)
    url = reverse("action_list") + query
    ours = titles(staff_client.get(url))

    from actions import selectors

    def one_query(self, page):
        return self.actions[page]

    monkeypatch.setattr(selectors.IdsFirst, "__getitem__", one_query)
    assert ours == titles(staff_client.get(url))
    assert len(ours) == 50 or "page=3" in query


def test_text_already_marked_safe_is_not_escaped_twice_as_in_djangos():
    from django.utils.safestring import mark_safe

    choices = [(mark_safe("a&amp;b"), mark_safe("<b>Bold</b>")), ("c&d", "C & D")]
    attrs = {"data-note": mark_safe("x&amp;y"), "title": "p&q"}
    ours = GovukSelect(choices=choices).render("pick", "c&d", attrs=attrs)
    django = forms.Select(attrs={"class": "govuk-select"}, choices=choices).render(
        "pick", "c&d", attrs=attrs
    )
    assert ours == django
    assert 'value="a&amp;b"' in ours and 'value="c&amp;d"' in ours


def test_a_select_with_an_error_is_marked_for_govuk_however_its_class_was_set():
    invalid = {"aria-invalid": "true"}
    assert 'class="govuk-select govuk-select--error"' in GovukSelect().render("x", "", invalid)
    bare = GovukSelect()
    bare.attrs = {}  # a caller that cleared the widget's attributes
    assert 'class="govuk-select govuk-select--error"' in bare.render("x", "", invalid)
