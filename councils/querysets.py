from django.db import models


class CouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_user(self, user):
        """The councils a user may see: all for a superuser, else their memberships."""
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user).select_related("council")
