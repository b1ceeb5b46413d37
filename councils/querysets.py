from django.db import models


class CouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_progress(self, clock=None):
        from actions.rag import Clock
        from actions.rollups import progress_annotations

        return self.annotate(
            **progress_annotations("inspections__findings__actions", clock or Clock.current())
        )

    def for_user(self, user):
        """The councils a user may see: all for a superuser, else their memberships."""
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user).select_related("council")
