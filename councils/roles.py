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
    role = role_at(user, council)
    return role is not None and _RANK[role] >= _RANK[minimum]
