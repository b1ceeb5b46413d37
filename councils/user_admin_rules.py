"""Who may manage whose account: the one rule, for the admin site and the Team page alike.

A council admin may change, set the password of, deactivate or delete a user
only when every one of that user's memberships is at a council they administer
and the user is neither staff (admin site access) nor a superuser. Otherwise a
council admin could take over someone with more power: a superuser who also
holds a membership at their council, or a user who is staff at their council
and admin at another. Nobody manages their own account this way (their own
password goes through the usual change-password page). A user with no
membership at all belongs to no council, so no council admin manages them.
A superuser may manage anyone.

Nothing here knows about the admin site: callers turn a "no" into a 404.
"""

from django.db.models import Exists, OuterRef, QuerySet

from .models import Membership, Role


def administered_council_ids(actor) -> set[int] | None:
    """The councils `actor` administers; None means every council (a superuser)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return set()
    if actor.is_superuser:
        return None
    return set(
        Membership.objects.filter(user=actor, role=Role.ADMIN).values_list("council_id", flat=True)
    )


def can_administer_user(actor, target) -> bool:
    """May `actor` change, set the password of, deactivate or delete `target`?"""
    if target is None or target.pk is None:
        return False
    council_ids = administered_council_ids(actor)
    if council_ids is None:
        return True
    if not council_ids or target.pk == actor.pk:
        return False
    if target.is_staff or target.is_superuser:
        return False
    # Read the memberships afresh: a form may have changed the instance in memory.
    target_councils = set(
        Membership.objects.filter(user_id=target.pk).values_list("council_id", flat=True)
    )
    return bool(target_councils) and target_councils <= council_ids


def administrable_users(actor, users: QuerySet) -> QuerySet:
    """`users` narrowed to those `actor` may administer: the same rule, in one query."""
    council_ids = administered_council_ids(actor)
    if council_ids is None:
        return users
    if not council_ids:
        return users.none()
    elsewhere = Membership.objects.filter(user=OuterRef("pk")).exclude(council_id__in=council_ids)
    at_theirs = Membership.objects.filter(user=OuterRef("pk"), council_id__in=council_ids)
    return (
        users.filter(is_staff=False, is_superuser=False)
        .exclude(pk=actor.pk)
        .filter(Exists(at_theirs))
        .exclude(Exists(elsewhere))
    )
