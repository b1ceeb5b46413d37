from .current import current_council as _current_council
from .current import current_role


def current_council(request):
    """The current council and role, for the header of every page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"current_council": _current_council(request), "current_role": current_role(request)}
