"""Property-based tests of the whole admin site, which is for superusers only.

The targets come from the admin site's registry, so a model admin added later is
fuzzed too: every changelist (each filter's parameters, the search box, the date
hierarchy, ordering and pages), every autocomplete endpoint (the admins' and their
inlines'), every add form and every change form (and the user password page) with
its inlines, and every history URL. Hypothesis fills them with NUL characters,
huge text, other scripts, impossible dates, enormous and negative numbers, and
other councils' ids. Whatever it sends:

- the answer is never a server error (the test client re-raises any exception);
- a changelist answers a page, a redirect to the plain list, or a refusal (400);
- a refused POST writes nothing: no row, no history row, no admin log entry.

A council admin, even with staff status and every model permission, gets a 404
for every one of those addresses, and nothing they send writes anything.
"""

import datetime
import re
from urllib.parse import quote, urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms as django_forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions import services
from actions.models import Action, ProgressUpdate
from actions.rag import Status
from councils.models import Council, Membership, Role, User
from inspections.models import Finding, Inspection, Judgement, Theme
from tests.factories import (
    ActionFactory,
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(max_examples=12)
# Each form example posts a page and reads every table twice: fewer, on a shared machine.
FORM_EXAMPLES = hypothesis_settings(max_examples=10)
ROLES = ["superuser"]
# Signed in, with staff status and every model permission, but not superusers.
LOCKED_OUT = ["council admin", "two councils"]

nasty_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "%00",
            "\u202e\u0645\u0631\u062d\u0628\u0627",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "a" * 100_000,
            "<script>alert(1)</script>",
            "'; DROP TABLE actions_action; --",
            "(",
            "[[",
            "\\",
            "../../etc/passwd",
        ]
    ),
)
nasty_number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "-1",
            "0",
            "1.5",
            "1e309",
            "NaN",
            "0x10",
            "١٢",
            " 5 ",
            "9999",
            "10000",
            "99999",
            "2147483648",
            "9223372036854775808",
        ]
    ),
)
nasty_date = st.sampled_from(
    [
        "99999-01-01",
        "0000-00-00",
        "0001-01-01",
        "2024-02-30",
        "9999-12-31",
        "10000-01-01",
        "31/02/2025",
        "2024-13-01",
        "2024-06-15 25:61:61",
    ]
)


def nasty(other_ids):
    return st.one_of(nasty_text, nasty_number, nasty_date, st.sampled_from(other_ids))


def nasty_values(other_ids):
    """One value, or several (a multiple select, or a parameter given twice)."""
    return st.one_of(nasty(other_ids), st.lists(nasty(other_ids), min_size=1, max_size=3))


# --- The world: two councils with everything the admin shows --------------------------------------


def _plan(council, label):
    inspection = InspectionFactory(council=council, lead_inspector=f"{label} inspector")
    JudgementFactory(inspection=inspection)
    finding = FindingFactory(inspection=inspection, short_title=f"{label} finding")
    owner = UserFactory(username=f"{label}-owner")
    MembershipFactory(user=owner, council=council, role=Role.STAFF)
    manager = UserFactory(username=f"{label}-manager")
    MembershipFactory(user=manager, council=council, role=Role.MANAGER)
    action = ActionFactory(
        finding=finding, owner=owner, title=f"{label} action", start_date=datetime.date(2025, 1, 1)
    )
    services.log_progress(
        action=action, author=owner, note="Started", status=Status.IN_PROGRESS, percent_complete=30
    )
    return {
        Council: council,
        Inspection: inspection,
        Finding: finding,
        Action: action,
        ProgressUpdate: action.updates.first(),
        User: owner,
        Membership: Membership.objects.get(user=owner, council=council),
        Theme: finding.theme,
    }


@pytest.fixture
def world(db):
    home = CouncilFactory(name="Homeshire")
    other = CouncilFactory(name="Otherby")
    ours, theirs = _plan(home, "home"), _plan(other, "other")
    council_admin = UserFactory(username="fuzz-admin", is_staff=True)
    council_admin.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["councils", "inspections", "actions"]
        )
    )
    MembershipFactory(user=council_admin, council=home, role=Role.ADMIN)
    # Staff at Homeshire and admin at Otherby: Homeshire's admin may not manage them.
    two_councils = UserFactory(username="two-councils", is_staff=True)
    MembershipFactory(user=two_councils, council=home, role=Role.STAFF)
    MembershipFactory(user=two_councils, council=other, role=Role.ADMIN)
    superuser = UserFactory(username="fuzz-root", is_staff=True, is_superuser=True)
    MembershipFactory(user=superuser, council=home, role=Role.STAFF)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.create(
            username="someone", ip_address="192.0.2.1", user_agent="fuzz", path_info="/sign-in/"
        ) if model is not AccessAttempt else model.objects.create(
            username="someone",
            ip_address="192.0.2.1",
            user_agent="fuzz",
            path_info="/sign-in/",
            get_data="",
            post_data="",
            failures_since_start=3,
        )
    other_ids = sorted(
        {str(obj.pk) for obj in theirs.values()} | {str(two_councils.pk), str(superuser.pk)}
    )
    return {
        "users": {
            "superuser": superuser,
            "council admin": council_admin,
            "two councils": two_councils,
        },
        "ours": ours,
        "theirs": theirs,
        "other_ids": other_ids,
    }


def fingerprint():
    """Every row the admin could write, their history rows and the admin's log."""
    rows = {}
    for model in (
        Council,
        Membership,
        User,
        Inspection,
        Judgement,
        Finding,
        Theme,
        Action,
        ProgressUpdate,
        AccessAttempt,
        AccessLog,
        AccessFailureLog,
    ):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
        if hasattr(model, "history"):
            rows[f"{model.__name__} history"] = model.history.count()
    rows["admin log"] = LogEntry.objects.count()
    rows["contributors"] = list(Action.contributors.through.objects.values_list("pk", flat=True))
    return rows


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_url(model, name, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def sign_in(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    return user


# --- Everyone else: a 404 for every address, and nothing written ---------------------------------


def every_admin_address(world):
    """Each model's changelist, add, change, delete and history pages, and the site's own."""
    addresses = [reverse("admin:index"), reverse("admin:password_change"), "/admin/login/"]
    for model, _ in registered():
        obj = world["ours"].get(model) or model.objects.first()
        addresses.append(admin_url(model, "changelist"))
        addresses.append(admin_url(model, "add"))
        if obj is not None:
            addresses += [
                admin_url(model, name, obj.pk) for name in ("change", "delete", "history")
            ]
            if hasattr(model, "history"):
                version = model.history.filter(pk__isnull=False).first()
                addresses.append(admin_url(model, "simple_history", obj.pk, version.history_id))
    person = world["ours"][User]
    addresses.append(reverse("admin:auth_user_password_change", args=[person.pk]))
    addresses.append(
        reverse("admin:autocomplete") + "?app_label=actions&model_name=action&field_name=owner"
    )
    return addresses


@pytest.mark.parametrize("role", LOCKED_OUT)
def test_everyone_but_a_superuser_finds_no_admin_site(client, world, role):
    user = sign_in(client, world, role)
    superuser = world["users"]["superuser"]

    def written():
        # Signing in and out between requests moves last_login; nothing else may move.
        rows = fingerprint()
        rows["User"] = [{**row, "last_login": None} for row in rows["User"]]
        return rows

    before = written()
    for url in every_admin_address(world):
        # What a superuser's browser would post back from the same page, or a delete's "yes".
        client.force_login(superuser)
        page = client.get(url)
        data = page_form_data(page) if page.status_code == 200 and page.context else {}
        client.force_login(user)
        assert client.get(url).status_code == 404, f"GET {url}"
        response = client.post(url, {**data, "post": "yes", "action": "delete_selected"})
        assert response.status_code == 404, f"POST {url}"
    assert written() == before


@pytest.mark.parametrize("role", LOCKED_OUT)
def test_everyone_but_a_superuser_is_refused_at_the_admins_sign_in(client, world, role):
    client.force_login(world["users"][role])
    assert client.get("/admin/login/").status_code == 404
    client.logout()
    user = world["users"][role]
    user.set_password("a-long-enough-password-1")
    user.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": "a-long-enough-password-1"},
    )
    assert response.status_code == 200, "the sign-in form again, with its error"
    assert "_auth_user_id" not in client.session


# --- Changelists ----------------------------------------------------------------------------------

GENERAL_PARAMETERS = ["q", "o", "p", "all", "e", "_to_field", "_popup", "_facets"]


def changelist_parameters(client, model, model_admin):
    """Every query-string key the changelist reads: each filter's, the date hierarchy's..."""
    keys = set(GENERAL_PARAMETERS)
    if model_admin.date_hierarchy:
        keys |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    response = client.get(admin_url(model, "changelist"))
    if response.status_code == 200:
        for spec in response.context["cl"].filter_specs:
            keys |= set(spec.expected_parameters())
    return sorted(keys), response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_changelist_with_hostile_filters_search_and_dates(client, world, role):
    user = sign_in(client, world, role)
    visited = 0
    for model, model_admin in registered():
        keys, status = changelist_parameters(client, model, model_admin)
        assert status in (200, 403), f"{model.__name__} changelist answered {status}"
        if status == 403:
            assert not user.is_superuser
        visited += 1
        _fuzz_changelist(client, user, model, keys, world["other_ids"], status)
    assert visited == len(admin.site._registry)


def _fuzz_changelist(client, user, model, keys, other_ids, plain_status):
    url = admin_url(model, "changelist")

    @EXAMPLES
    @given(
        params=st.dictionaries(
            st.one_of(st.sampled_from(keys), st.sampled_from(keys), nasty_text),
            nasty_values(other_ids),
            min_size=1,
            max_size=4,
        )
    )
    def browse(params):
        client.force_login(user)
        response = client.get(f"{url}?{urlencode(params, doseq=True)}")
        allowed = (200, 302, 400) if plain_status == 200 else (403,)
        assert response.status_code in allowed, (
            f"GET {url} {params!r:.300} answered {response.status_code}"
        )

    browse()


# --- Autocomplete ---------------------------------------------------------------------------------


def autocomplete_sources(user):
    """(app_label, model_name, field_name) of every autocomplete field, inlines' included."""
    request = RequestFactory().get("/admin/")
    request.user = user
    sources = set()
    for model, model_admin in registered():
        owners = [(model, model_admin)] + [
            (inline.model, inline) for inline in model_admin.get_inline_instances(request)
        ]
        for source_model, source_admin in owners:
            for field in source_admin.get_autocomplete_fields(request):
                opts = source_model._meta
                sources.add((opts.app_label, opts.model_name, field))
    return sorted(sources)


@pytest.mark.parametrize("role", ROLES)
def test_every_autocomplete_with_hostile_terms(client, world, role):
    user = sign_in(client, world, role)
    sources = autocomplete_sources(world["users"]["superuser"])
    assert ("councils", "membership", "user") in sources
    assert ("inspections", "finding", "repeats") in sources, "inlines' fields are found too"

    @EXAMPLES
    @given(
        source=st.sampled_from(sources),
        term=nasty_text,
        page=st.one_of(st.none(), nasty_number, nasty_text),
    )
    def search(source, term, page):
        client.force_login(user)
        app_label, model_name, field_name = source
        params = {
            "term": term,
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
        }
        if page is not None:
            params["page"] = page
        response = client.get(reverse("admin:autocomplete"), params)
        assert response.status_code in (200, 403, 404), f"{params!r:.300}"

    search()

    @EXAMPLES
    @given(source=st.sampled_from(sources), garbage=nasty_values(world["other_ids"]))
    def misdirect(source, garbage):
        """Unknown apps, models and fields, in any combination: a refusal."""
        client.force_login(user)
        keys = ["app_label", "model_name", "field_name"]
        params = dict(zip(keys, source, strict=True))
        params[keys[len(str(garbage)) % 3]] = garbage
        response = client.get(f"{reverse('admin:autocomplete')}?{urlencode(params, doseq=True)}")
        assert response.status_code in (200, 403, 404)

    misdirect()


# --- Add and change forms -------------------------------------------------------------------------


def page_form_data(response) -> dict:
    """What a browser would post back unchanged: the main form, the inlines and their counts."""
    context = response.context
    if "adminform" in context:
        forms = [context["adminform"].form]
        for inline in context.get("inline_admin_formsets", []):
            forms.append(inline.formset.management_form)
            forms.extend(inline.formset.forms)
            forms.append(inline.formset.empty_form)
    elif "form" in context:
        forms = [context["form"]]
    else:
        return {}
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            widget = bound.field.widget
            if isinstance(widget, django_forms.MultiWidget):  # a date and a time, say
                parts = value if isinstance(value, list | tuple) else widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=False):
                    data[f"{bound.html_name}{suffix}"] = "" if part is None else str(part)
                continue
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    return data


def html_names(bound) -> list[str]:
    widget = bound.field.widget
    if isinstance(widget, django_forms.MultiWidget):
        return [f"{bound.html_name}{suffix}" for suffix in widget.widgets_names]
    return [bound.html_name]


def form_targets(world, role):
    """(label, url) of every add and change form the role can open, plus the password page."""
    user = world["users"][role]
    request = RequestFactory().get("/admin/")
    request.user = user
    targets = []
    for model, model_admin in registered():
        if model_admin.has_add_permission(request):
            targets.append((f"add {model.__name__}", admin_url(model, "add")))
        obj = world["ours"].get(model) or model_admin.get_queryset(request).first()
        if obj is not None:
            targets.append((f"change {model.__name__}", admin_url(model, "change", obj.pk)))
    person = world["ours"][User]
    targets.append(
        ("password", reverse("admin:auth_user_password_change", args=[person.pk])),
    )
    return targets


@pytest.mark.parametrize("role", ROLES)
def test_every_add_and_change_form_with_hostile_values(client, world, role):
    user = sign_in(client, world, role)
    fuzzed = []
    for label, url in form_targets(world, role):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), f"GET {url} answered {response.status_code}"
        if response.status_code != 200:
            continue
        baseline = page_form_data(response)
        names = sorted(set(baseline) | set(_field_names(response)))
        if not names:
            continue
        fuzzed.append(label)
        _fuzz_form(client, user, url, baseline, names, world["other_ids"])
    expected = {"add Membership", "change Action", "change Inspection", "password"}
    assert expected <= set(fuzzed), f"expected to fuzz {expected}, fuzzed {fuzzed}"


def _field_names(response):
    context = response.context
    if "adminform" not in context and "form" not in context:
        return []
    forms = [context["adminform"].form if "adminform" in context else context["form"]]
    names = []
    for inline in context.get("inline_admin_formsets", []):
        forms.extend(inline.formset.forms)
        # And one more inline row, as the page's "Add another" would make.
        extra = inline.formset.empty_form
        index = str(len(inline.formset.forms))
        names.extend(
            name.replace("__prefix__", index)
            for field in extra.fields
            for name in html_names(extra[field])
        )
    return names + [
        name for form in forms for field in form.fields for name in html_names(form[field])
    ]


def _fuzz_form(client, user, url, baseline, names, other_ids):
    @FORM_EXAMPLES
    @given(
        changes=st.dictionaries(
            st.sampled_from(names), nasty_values(other_ids), min_size=1, max_size=6
        ),
        drop=st.lists(st.sampled_from(names), max_size=3),
    )
    def submit(changes, drop):
        client.force_login(user)
        data = {name: value for name, value in baseline.items() if name not in drop}
        data.update(changes)
        # A value for a new inline row counts only if the row is in the formset's total.
        for name in changes:
            row = re.match(r"(.+)-(\d+)-", name)
            total = row and f"{row[1]}-TOTAL_FORMS"
            if total and total in data and total not in changes:
                data[total] = str(max(int(data[total]), int(row[2]) + 1))
        before = fingerprint()
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404), (
            f"POST {url} answered {response.status_code}"
        )
        if response.status_code != 302:
            assert fingerprint() == before, f"POST {url} was refused but wrote: {data!r:.400}"

    submit()


# --- History --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_history_url_with_hostile_ids(client, world, role):
    user = sign_in(client, world, role)
    models = [model for model, _ in registered()]
    ids = st.one_of(
        nasty_text,
        nasty_number,
        st.sampled_from(world["other_ids"]),
        st.sampled_from([str(obj.pk) for obj in world["ours"].values()]),
    )

    @EXAMPLES
    @given(model=st.sampled_from(models), object_id=ids, version=st.one_of(st.none(), ids))
    def read(model, object_id, version):
        client.force_login(user)
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/{quote(object_id, safe='')}/history/"
        if version is not None:
            url += f"{quote(version, safe='')}/"
        before = fingerprint()
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (200, 302, 403, 404, 405), (
                f"{method.upper()} {url} answered {response.status_code}"
            )
        assert fingerprint() == before, f"reading {url} wrote something"

    read()

    # And every model's real history pages, with real versions, open or refuse cleanly.
    for model, _ in registered():
        obj = world["ours"].get(model) or model.objects.first()
        response = client.get(admin_url(model, "history", obj.pk))
        assert response.status_code in (200, 403, 404)
        if hasattr(model, "history"):
            version = model.history.filter(pk__isnull=False).first()
            url = admin_url(model, "simple_history", obj.pk, version.history_id)
            assert client.get(url).status_code in (200, 403, 404)
