"""Reads for the Team page: a fixed number of queries, however large the team."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from actions.models import Action
from councils.models import Council, Membership, Role, User
from councils.user_admin_rules import administrable_users


def _open_actions_owned(council: Council, user_ref: str):
    """How many of the council's open actions the user at `user_ref` owns (a subquery)."""
    counts = (
        Action.objects.for_council(council)
        .not_closed()
        .filter(owner=OuterRef(user_ref))
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


@dataclass
class Team:
    members: list[Membership]
    # People who own open actions here but are no longer on the team (or whose
    # account is switched off): each with `open_actions`.
    leavers: list[User]
    admin_count: int


def team(council: Council, actor) -> Team:
    """The council's members, each with open_actions and can_change, and who has left."""
    members = list(
        Membership.objects.filter(council=council)
        .select_related("user")
        .annotate(open_actions=_open_actions_owned(council, "user_id"))
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    administrable = set(
        administrable_users(actor, User.objects.filter(memberships__council=council)).values_list(
            "pk", flat=True
        )
    )
    for membership in members:
        membership.can_change = (
            membership.user_id == actor.pk or membership.user_id in administrable
        )
    active_members = Membership.objects.filter(council=council, user__is_active=True)
    open_here = Action.objects.for_council(council).not_closed()
    leavers = list(
        User.objects.filter(pk__in=open_here.values("owner_id"))
        .exclude(pk__in=active_members.values("user_id"))
        .annotate(open_actions=_open_actions_owned(council, "pk"))
        .order_by("first_name", "last_name", "username")
    )
    admin_count = sum(1 for membership in members if membership.role == Role.ADMIN)
    return Team(members=members, leavers=leavers, admin_count=admin_count)


def council_membership(council: Council, pk: int) -> Membership:
    """One of the council's memberships, with its user, or 404."""
    return get_object_or_404(
        Membership.objects.filter(council=council).select_related("user", "council"), pk=pk
    )


def open_actions_owned(council: Council, user: User) -> int:
    return Action.objects.for_council(council).not_closed().filter(owner=user).count()
