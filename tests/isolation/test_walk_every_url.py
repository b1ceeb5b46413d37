"""Walk every URL pattern of the project as each role of one council, aimed at another's objects.

The patterns come from the URL conf, so a page added later is walked too; a
pattern whose arguments this test cannot fill fails the test, which is the
prompt to teach it (add the model to MODEL_BY_URL_NAME).

For every role and every pattern, GET and POST:
- a URL naming another council's object answers exactly as it does for an id
  that does not exist (on the app's pages, 404), and never with a page, so
  nothing reveals that the object exists;
- a page without ids never shows another council's text;
- nothing of the other council's changes.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actions import services
from actions.models import Action, ProgressUpdate
from boards.models import BoardMeeting
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

SECRET = "ZZSECRETOTHERCOUNCIL"

# The model behind each id-taking app page, by URL name (or name prefix).
MODEL_BY_URL_NAME = {
    "inspection_detail": Inspection,
    "inspection_edit": Inspection,
    # The action plan downloads: inspection_plan_xlsx, inspection_plan_csv.
    "inspection_plan_": Inspection,
    "finding_detail": Finding,
    "evidence_download": ProgressUpdate,
    "action_create": Finding,
    "action_": Action,
    # The Team pages name a membership; the invitation's set-password link, a user.
    "team_": Membership,
    "set_password": User,
    # The admin's "view on site" shortcut, which config/urls.py shadows with a 404.
    "view_on_site_disabled": Action,
    "admin:view_on_site": Action,
    # Board meetings: the meeting, its changes, freezing and the pack (page and PDF).
    "board_finding_trends": Finding,
    "board_": BoardMeeting,
}
# App pages for council admins only (by URL name prefix).
ADMIN_ONLY_URL_NAMES = ("team_", "inspection_edit")
# Admin pages of records that belong to no council (sign-in lockouts): open to
# superusers only, so a council user meets "permission denied", which leaks nothing.
GLOBAL_ADMIN_ROUTES = ("admin/axes/", "admin/inspections/theme/")
MISSING_ID = 987654321
ADMIN_MODELS = {
    f"{model._meta.app_label}_{model._meta.model_name}": model
    for model in (
        Council,
        User,
        Membership,
        Inspection,
        Judgement,
        Finding,
        Theme,
        Action,
        ProgressUpdate,
    )
}
# Plausible form data, so that a POST that were let through would change something.
POST_DATA = {
    "note": "Walker changed this",
    "reason": "Walker changed this",
    "title": "Walker changed this",
    "status": "in_progress",
    "percent_complete": "50",
    "revised_due_date-day": "1",
    "revised_due_date-month": "1",
    "revised_due_date-year": "2030",
    "council": "",
    "version": "1",
    "post": "yes",
}


def walk(resolver=None, prefix="", namespace=""):
    """Yield (route, name, pattern) for every URL pattern, with its full route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield route, name, entry


def model_for(name: str, route: str):
    if name in MODEL_BY_URL_NAME:
        return MODEL_BY_URL_NAME[name]
    admin_route = re.match(r"admin/(\w+)/(\w+)/", route)
    if admin_route:  # named or not (the admin's "<id>/" redirect has no name)
        return ADMIN_MODELS.get(f"{admin_route[1]}_{admin_route[2]}")
    for known, model in MODEL_BY_URL_NAME.items():
        if name == known or (known.endswith("_") and name.startswith(known)):
            return model
    return None


def fill(route: str, name: str, objects: dict, missing: bool = False) -> str | None:
    """The URL for a route, with ids of `objects` (a dict model -> instance). None: skip it.

    With `missing`, every object id is one that does not exist.
    """
    if "(?P<url>" in route:  # the admin's catch-all for unknown URLs
        return None
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    if "(?P<app_label>" in route:
        route = re.sub(r"\(\?P<app_label>[^)]*\)", "actions", route)
    arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if arguments and route.startswith("admin/axes/"):
        return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)
    if arguments:
        model = model_for(name, route)
        if model is None:
            raise AssertionError(
                f"The isolation walk cannot fill the URL pattern {route!r} ({name or 'unnamed'}): "
                "add its model to MODEL_BY_URL_NAME so that the new page is checked."
            )
        instance = objects[model]
        values = {
            "content_type_id": ContentType.objects.get_for_model(model).pk,
            # One entry of the action's timeline (its own page).
            "update_pk": objects[ProgressUpdate].pk,
            "version_id": instance.history.first().history_id
            if hasattr(instance, "history")
            else 0,
        }
        for argument in arguments:
            value = values.get(argument, instance.pk)
            if missing and argument != "content_type_id":
                value = MISSING_ID
            route = re.sub(rf"<(?:\w+:)?{argument}>", str(value), route)
    return "/" + route


def fingerprint(council):
    """Everything of a council's that a leak could change."""
    actions = Action.objects.filter(finding__inspection__council=council)
    return {
        "actions": list(actions.order_by("pk").values()),
        "updates": list(
            ProgressUpdate.objects.filter(action__in=actions)
            .order_by("pk")
            .values_list("pk", "note")
        ),
        "findings": list(
            Finding.objects.filter(inspection__council=council).order_by("pk").values()
        ),
        "inspections": list(Inspection.objects.filter(council=council).order_by("pk").values()),
        "judgements": list(Judgement.objects.filter(inspection__council=council).values()),
        "memberships": list(Membership.objects.filter(council=council).order_by("pk").values()),
        "users": list(
            User.objects.filter(memberships__council=council)
            .order_by("pk")
            .values("pk", "username", "password", "is_staff", "is_superuser", "is_active")
        ),
        "council": list(Council.objects.filter(pk=council.pk).values()),
        "board_meetings": list(BoardMeeting.objects.filter(council=council).values()),
    }


def _council_objects(council, label):
    inspection = InspectionFactory(council=council, lead_inspector=f"{label} inspector")
    judgement = JudgementFactory(inspection=inspection)
    finding = FindingFactory(
        inspection=inspection, short_title=f"{label} finding", text=f"{label} text"
    )
    owner = UserFactory(first_name=label, last_name="Owner", username=f"{label.lower()}-owner")
    membership = MembershipFactory(user=owner, council=council, role=Role.STAFF)
    manager = UserFactory(username=f"{label.lower()}-manager")
    MembershipFactory(user=manager, council=council, role=Role.MANAGER)
    action = ActionFactory(
        finding=finding, owner=owner, title=f"{label} action", lead_service=label
    )
    update = services.log_progress(
        action=action,
        author=owner,
        note=f"{label} note",
        status="delivered",
        percent_complete=100,
        evidence_file=SimpleUploadedFile(f"{label}.pdf", b"%PDF-1.4 evidence", "application/pdf"),
    )
    return {
        Council: council,
        Inspection: inspection,
        Judgement: judgement,
        Finding: finding,
        Action: action,
        ProgressUpdate: update,
        User: owner,
        Membership: membership,
        Theme: finding.theme,
        BoardMeeting: BoardMeeting.objects.create(
            council=council,
            held_on=inspection.start_date,
            board=f"{label} board",
            created_by=manager,
        ),
    }


@pytest.fixture
def world(db):
    home = CouncilFactory(name="Homeshire")
    other = CouncilFactory(name=f"{SECRET} Otherby")
    ours = _council_objects(home, "Home")
    theirs = _council_objects(other, SECRET)
    users = {}
    for role in (Role.STAFF, Role.MANAGER, Role.ADMIN):
        user = UserFactory(username=f"walker-{role}", is_staff=role == Role.ADMIN)
        MembershipFactory(user=user, council=home, role=role)
        if role == Role.ADMIN:
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label__in=["councils", "inspections", "actions"]
                )
            )
        users[role] = user
    users["no council"] = UserFactory(username="nobody")
    # People at Homeshire whom its admin may not manage (councils.user_admin_rules): a
    # superuser with a membership there, and a member of two councils, staff at
    # Homeshire and admin at Otherby (who may not manage Homeshire's people either).
    users["two councils"] = _admin_site_user("walker-two-councils")
    MembershipFactory(user=users["two councils"], council=home, role=Role.STAFF)
    MembershipFactory(user=users["two councils"], council=other, role=Role.ADMIN)
    superuser = UserFactory(username="member-superuser", is_staff=True, is_superuser=True)
    MembershipFactory(user=superuser, council=home, role=Role.STAFF)
    shared = UserFactory(username="member-of-both")
    MembershipFactory(user=shared, council=home, role=Role.STAFF)
    MembershipFactory(user=shared, council=other, role=Role.STAFF)
    return {
        "home": home,
        "other": other,
        "ours": ours,
        "theirs": theirs,
        "users": users,
        "more powerful": {"superuser": superuser, "member of both": shared},
    }


def _admin_site_user(username):
    """Staff status and every model permission, as a council admin has."""
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["councils", "inspections", "actions"]
        )
    )
    return user


def _same_place(response, objects) -> str:
    """Where a redirect goes, with object ids blanked, so a redirect for a real and a
    missing object compare equal only if they reveal nothing."""
    location = response.get("Location", "")
    return re.sub(r"/\d+/", "/ID/", location)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


ROLES = [Role.STAFF, Role.MANAGER, Role.ADMIN, "no council"]


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_no_url_shows_or_changes_another_councils_objects(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    before = fingerprint(world["other"])
    checked = 0
    problems = []
    for route, name, _ in walk():
        url = fill(route, name, world["theirs"])
        if url is None or url.startswith("/sign-out"):
            continue
        names_an_object = bool(re.search(r"<(?:\w+:)?\w+>", re.sub(r"\(\?P<\w+>", "", route)))
        for method in ("get", "post"):
            response = getattr(client, method)(url, POST_DATA if method == "post" else None)
            checked += 1
            status = response.status_code
            if names_an_object and not route.startswith(GLOBAL_ADMIN_ROUTES):
                missing_url = fill(route, name, world["theirs"], missing=True)
                missing = getattr(client, method)(
                    missing_url, POST_DATA if method == "post" else None
                )
                client.force_login(user)
                answer = (status, _same_place(response, world["theirs"]))
                answer_if_missing = (missing.status_code, _same_place(missing, world["theirs"]))
                # The same answer as for nothing at all: a 404, a refusal, a redirect to sign
                # in, or (for someone with no council) the same "ask your admin" page.
                if answer != answer_if_missing:
                    problems.append(
                        f"{method.upper()} {url} ({name}) answered {answer}, "
                        f"but {answer_if_missing} "
                        "for an object that does not exist"
                    )
            if status == 200 and SECRET in _body(response):
                problems.append(f"{method.upper()} {url} ({name}) showed the other council's text")
            if status >= 500:
                problems.append(f"{method.upper()} {url} ({name}) failed with {status}")
        client.force_login(user)  # a sign-out or session flush along the way must not end the walk
    assert checked > 50, f"only {checked} requests: the walk found too few URL patterns"
    assert not problems, "\n".join(problems)
    assert fingerprint(world["other"]) == before, "the other council's data changed"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN], ids=str)
def test_the_walk_reaches_the_same_pages_for_the_users_own_council(client, world, role):
    """The control: with their own council's ids the pages answer, so the 404s mean scoping."""
    client.force_login(world["users"][role])
    reached = []
    for route, name, _ in walk():
        if not re.search(r"<(?:\w+:)?\w+>", route) or not name or name.startswith("admin:"):
            continue
        if name == "view_on_site_disabled":
            continue
        url = fill(route, name, world["ours"])
        if url is None:
            continue
        response = client.get(url)
        # The Team pages are for admins: a manager meets a refusal there.
        refused = (403,) if role != Role.ADMIN and name.startswith(ADMIN_ONLY_URL_NAMES) else ()
        assert response.status_code in (200, 302, 405, *refused), (
            f"GET {url} ({name}) gave {response.status_code}"
        )
        reached.append(name)
    assert {"inspection_detail", "finding_detail", "action_detail", "evidence_download"} <= set(
        reached
    )
    if role == Role.ADMIN:
        assert {"team_change_role", "team_remove"} <= set(reached)
        ours = world["ours"]
        for model in (Inspection, Finding, Action, Membership):
            opts = model._meta
            response = client.get(
                f"/admin/{opts.app_label}/{opts.model_name}/{ours[model].pk}/change/"
            )
            assert response.status_code == 404, (
                f"the admin site is for superusers only, but a council admin opened their "
                f"own {opts.model_name} there"
            )


# --- The admin's pages about people ---------------------------------------------------------------

ADMIN_WALKERS = [Role.ADMIN, "two councils"]
TAKE_OVER = {
    **POST_DATA,
    "password1": "taken-over-password-1",
    "password2": "taken-over-password-1",
    "usable_password": "true",
    "username": "taken-over",
    "email": "taken-over@example.org",
    "is_active": "",
}


def _people(users):
    return list(
        User.objects.filter(pk__in=[user.pk for user in users])
        .order_by("pk")
        .values("pk", "username", "email", "password", "is_active", "is_staff", "is_superuser")
    ) + list(Membership.objects.filter(user__in=users).order_by("pk").values())


def _user_routes():
    """Every admin URL pattern that names one person: change, password, delete, history..."""
    routes = [
        (route, name)
        for route, name, _ in walk()
        if route.startswith("admin/councils/user/") and re.search(r"<(?:\w+:)?\w+>", route)
    ]
    assert len(routes) >= 5, f"expected the user admin's pages, found {routes}"
    return routes


@pytest.mark.parametrize("role", ADMIN_WALKERS, ids=str)
def test_the_admins_pages_about_people_it_may_not_manage_answer_as_for_nobody(client, world, role):
    """Issue 12, item 1: a council admin cannot reach the change, password, delete or
    history page of anyone with more power or with a role at another council."""
    walker = world["users"][role]
    # Homeshire's admin and the member of two councils may not manage each other either.
    other_walker = world["users"]["two councils" if role == Role.ADMIN else Role.ADMIN]
    targets = {**world["more powerful"], "the other admin": other_walker}
    client.force_login(walker)
    before = _people(targets.values())
    problems = []
    for route, name in _user_routes():
        for label, target in targets.items():
            objects = {**world["ours"], User: target}
            url, missing_url = fill(route, name, objects), fill(route, name, objects, True)
            for method in ("get", "post"):
                data = TAKE_OVER if method == "post" else None
                response = getattr(client, method)(url, data)
                missing = getattr(client, method)(missing_url, data)
                client.force_login(walker)
                answer = (response.status_code, _same_place(response, objects))
                if answer != (missing.status_code, _same_place(missing, objects)):
                    problems.append(f"{method.upper()} {url} ({label}) answered {answer}")
                if response.status_code == 200:
                    problems.append(f"{method.upper()} {url} ({label}) showed a page")
    assert not problems, "\n".join(problems)
    assert _people(targets.values()) == before, "someone more powerful was changed"


@pytest.mark.parametrize("role", ADMIN_WALKERS, ids=str)
def test_the_people_it_manages_are_on_the_team_page_not_in_the_admin(client, world, role):
    """The control: someone wholly at the walker's council. A council admin runs them on
    the Team page; in the admin, their pages are a 404 too, and a superuser's 200."""
    council = world["home"] if role == Role.ADMIN else world["other"]
    person = UserFactory(username=f"managed-by-{role}")
    membership = MembershipFactory(user=person, council=council, role=Role.STAFF)
    pages = [
        f"/admin/councils/user/{person.pk}/{page}/" for page in ("change", "history", "delete")
    ]
    pages.append(f"/admin/councils/user/{person.pk}/password/")
    client.force_login(world["users"][role])
    for url in pages:
        assert client.get(url).status_code == 404, url
    client.post(reverse("switch_council"), {"council": council.pk})  # work on their council
    assert client.get(reverse("team_change_role", args=[membership.pk])).status_code == 200
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in pages:
        assert client.get(url).status_code == 200, url


# --- The admin's "view on site" shortcut ----------------------------------------------------------

SHORTCUT_SPELLINGS = ["{}", "+{}", "0{}", "00{}", "%20{}", "{}%20", "-0{}", "%2B{}", "{}.0"]


@pytest.mark.parametrize("role", [*ROLES, "two councils"], ids=str)
def test_the_view_on_site_shortcut_is_a_404_however_it_is_spelt(client, world, role):
    """Issue 12, item 2: `/admin/r/+24/<id>/` once redirected for another council's action."""
    client.force_login(world["users"][role])
    problems = []
    for model in (Action, Finding, Inspection, Council, Membership, User):
        content_type = ContentType.objects.get_for_model(model).pk
        for object_id in (world["theirs"][model].pk, world["ours"][model].pk, MISSING_ID):
            for spelling in SHORTCUT_SPELLINGS:
                url = f"/admin/r/{spelling.format(content_type)}/{object_id}/"
                response = client.get(url)
                if response.status_code != 404:
                    problems.append(f"GET {url} answered {response.status_code}")
    assert not problems, "\n".join(problems)
