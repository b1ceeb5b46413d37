from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .querysets import CouncilQuerySet, MembershipQuerySet
from .validators import (
    DFE_LA_CODE_PATTERN,
    GSS_CODE_PATTERN,
    OFSTED_URN_PATTERN,
    dfe_la_code_validator,
    gss_code_validator,
    ofsted_urn_validator,
)


class User(AbstractUser):
    """A person who signs in. What they may do depends on their memberships."""

    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Region(models.TextChoices):
    """England's nine regions, spelt as the ONS spells them (value and label alike)."""

    EAST_MIDLANDS = "East Midlands", "East Midlands"
    EAST_OF_ENGLAND = "East of England", "East of England"
    LONDON = "London", "London"
    NORTH_EAST = "North East", "North East"
    NORTH_WEST = "North West", "North West"
    SOUTH_EAST = "South East", "South East"
    SOUTH_WEST = "South West", "South West"
    WEST_MIDLANDS = "West Midlands", "West Midlands"
    YORKSHIRE_AND_THE_HUMBER = "Yorkshire and the Humber", "Yorkshire and the Humber"


class CouncilType(models.TextChoices):
    COUNTY = "County council", "County council"
    UNITARY = "Unitary authority", "Unitary authority"
    METROPOLITAN = "Metropolitan district", "Metropolitan district"
    LONDON_BOROUGH = "London borough", "London borough"


class Council(models.Model):
    """An English local authority with children's social care duties."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    dfe_la_code = models.CharField(
        "DfE LA code", max_length=3, unique=True, validators=[dfe_la_code_validator]
    )
    gss_code = models.CharField(
        "ONS GSS code", max_length=9, unique=True, validators=[gss_code_validator]
    )
    # Empty only for a few councils abolished before Ofsted gave them a number here.
    ofsted_urn = models.CharField(
        "Ofsted URN",
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[ofsted_urn_validator],
    )
    region = models.CharField(max_length=30, choices=Region.choices)
    council_type = models.CharField("type", max_length=30, choices=CouncilType.choices)
    is_active = models.BooleanField("active", default=True)
    abolished_on = models.DateField(null=True, blank=True)
    # A council that split has several successors (Cumbria: Cumberland, and Westmorland
    # and Furness); councils that merged share one (Bournemouth and Poole).
    successors = models.ManyToManyField(
        "self",
        through="Succession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text="The councils that took over when this one merged or split.",
    )

    objects = CouncilQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dfe_la_code__regex=DFE_LA_CODE_PATTERN), name="council_dfe_code_format"
            ),
            models.CheckConstraint(
                condition=Q(gss_code__regex=GSS_CODE_PATTERN), name="council_gss_code_format"
            ),
            models.CheckConstraint(
                condition=Q(ofsted_urn__regex=OFSTED_URN_PATTERN),
                name="council_ofsted_urn_format",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:councils_council_change", args=[self.pk])

    @property
    def ofsted_provider_url(self) -> str:
        if not self.ofsted_urn:
            return ""
        return f"https://reports.ofsted.gov.uk/provider/44/{self.ofsted_urn}"


class Succession(models.Model):
    """One council taking over all or part of another's children's services."""

    predecessor = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="successions_as_predecessor"
    )
    successor = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="successions_as_successor"
    )

    class Meta:
        ordering = ["predecessor__name", "successor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="succession_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


class Membership(models.Model):
    """A user's role at one council. A user may belong to several councils."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="membership_one_per_council"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} at {self.council}"

    def clean(self):
        council = getattr(self, "council", None)
        if self._state.adding and council is not None and not council.is_active:
            raise ValidationError(
                {"council": f"{council} no longer exists, so it takes no new members."}
            )
