"""Who may do what at a council: the one place that reads memberships for a decision.

Roles rank staff < manager < admin: a council admin can do what a manager can.
A superuser may act at every council (the regional team or the support desk).
"""

from .models import Council, Membership, Role

_RANK = {Role.STAFF: 1, Role.MANAGER: 2, Role.ADMIN: 3}


def role_at(user, council: Council) -> Role | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    role = (
        Membership.objects.filter(user=user, council=council).values_list("role", flat=True).first()
    )
    return Role(role) if role else None


def has_role(user, council: Council, minimum: Role) -> bool:
    return ranks_at_least(role_at(user, council), minimum)


def ranks_at_least(role: Role | None, minimum: Role) -> bool:
    """Whether a role (from role_at(), or None for no role) is at least `minimum`."""
    return role is not None and _RANK[role] >= _RANK[minimum]


def keeps_records_of(user, council: Council) -> bool:
    """An admin at the council, or at a council that took over from it.

    A successor keeps its predecessors' inspections as its own history (a 2024
    Cumberland finding may repeat a 2022 Cumbria one), so its admins may enter
    and correct them.
    """
    if has_role(user, council, Role.ADMIN):
        return True
    return Membership.objects.filter(
        user=user, role=Role.ADMIN, council__in=council.successors.all()
    ).exists()
