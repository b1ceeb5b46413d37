"""The audit trail in the admin: history pages that read, and deletes only a superuser makes.

Every change to a council, membership, inspection, judgement, theme, finding or
action is kept by django-simple-history, with who made it and when. Its admin
pages ("History" on each object) are made safe here:

- They show only objects the admin's own queryset shows, so a council admin
  never reads another council's history (it is a 404, as everywhere else). The
  library would otherwise fall back to the last historical row of any object.
- They only read. "Revert to this version" is switched off in settings
  (SIMPLE_HISTORY_REVERT_DISABLED) and a POST to a version page is refused: an
  action's status changes only through actions.services, never by replaying a
  row.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose model has `HistoricalRecords()`: adds a read-only history page."""

    def _check_visible(self, request, object_id) -> None:
        if request.user.is_superuser:
            # A superuser sees everything, deleted objects' history included.
            return
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such object")

    def history_view(self, request, object_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self._check_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class OnlySuperusersDelete:
    """For ModelAdmins and inlines of the plan's records: only a superuser deletes them.

    Council admins correct a record instead; a superuser's delete is still kept in
    the audit trail (simple-history writes a "deleted" row with the last values).
    """

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
