"""The audit trail in the admin: history pages that read, and deletes only a superuser makes.

Every change to a council, membership, inspection, judgement, theme, finding or
action is kept by django-simple-history, with who made it and when. Its admin
pages ("History" on each object) are made safe here:

- They show only objects the admin's own queryset shows, so a council admin
  never reads another council's history (it is a 404, as everywhere else). The
  library would otherwise fall back to the last historical row of any object.
- On those pages a council admin reads only the versions that were at one of
  their councils: an inspection, membership or action that moved from another
  council keeps its earlier versions from them.
- Reference data shared by every council (themes) has no council: its history
  is every council's doing, so only a superuser reads it.
- People's history (the admin's log, not simple-history) is read by a council
  admin only for the people they may manage, and only from the moment the person
  last belonged to a council outside theirs (see `user_history_since`).
- They only read. "Revert to this version" is switched off in settings
  (SIMPLE_HISTORY_REVERT_DISABLED) and a POST to a version page is refused: an
  action's status changes only through actions.services, never by replaying a
  row.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

from .admin_scoping import admin_council_ids, is_valid_value
from .models import Membership


def user_history_since(user, council_ids):
    """The last time `user` was recorded with a membership outside `council_ids`, or None.

    Entries in the person's log before then may be about another council's
    business (a role there, an edit by its admin), so a council admin reads
    only what came after.
    """
    if council_ids is None:
        return None
    return (
        Membership.history.filter(user_id=user.pk)
        .exclude(council_id__in=council_ids)
        .aggregate(latest=Max("history_date"))["latest"]
    )


class AuditedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose model has `HistoricalRecords()`: adds a read-only history page."""

    # True for reference data shared by every council: only superusers read its history.
    history_for_superusers_only = False

    def _check_visible(self, request, object_id) -> None:
        if not is_valid_value(self.model._meta.pk, unquote(object_id)):
            raise Http404("No such object")
        if request.user.is_superuser:
            # A superuser sees everything, deleted objects' history included.
            return
        if self.history_for_superusers_only:
            raise PermissionDenied
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such object")

    def history_at_own_councils(self, request, history):
        """Historical rows narrowed to those that were at one of the admin's councils."""
        council_ids = admin_council_ids(request)
        if council_ids is None:
            return history
        if self.history_for_superusers_only:
            return history.none()
        path = getattr(self, "council_path", None)
        if path is None:
            return history
        if path == "pk":
            path = self.model._meta.pk.attname  # the historical table's own pk is history_id
        return history.filter(**{f"{path}__in": council_ids})

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        history = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return self.history_at_own_councils(request, history)

    def history_view(self, request, object_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._check_visible(request, object_id)
        history = self.model.history
        if not is_valid_value(history.model._meta.pk, version_id):
            raise Http404("No such version")
        version = history.filter(
            **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id}
        )
        if not self.history_at_own_councils(request, version).exists():
            raise Http404("No such version")
        return super().history_form_view(request, object_id, version_id, extra_context)


class OnlySuperusersDelete:
    """For ModelAdmins and inlines of the plan's records: only a superuser deletes them.

    Council admins correct a record instead; a superuser's delete is still kept in
    the audit trail (simple-history writes a "deleted" row with the last values).
    """

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
