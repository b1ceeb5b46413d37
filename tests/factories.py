"""factory_boy factories for every model the tests write.

The 153 real councils are loaded by a data migration, so CouncilFactory makes
codes that cannot collide with them: DfE codes from the unused ones (100 upwards),
GSS codes E10900000 upwards and URNs 9000000 upwards (real URNs are at most 7
digits and start lower).
"""

import csv
import datetime
from functools import cache

import factory
from django.utils import timezone

from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from councils.models import Council, CouncilType, Membership, Region, Role, User
from councils.reference import PREDECESSORS_CSV, REFERENCE_CSV, read_reference_rows
from inspections.frameworks import Grade, JudgementArea
from inspections.models import Finding, Inspection, InspectionKind, Judgement, Theme


@cache
def free_dfe_codes() -> tuple[str, ...]:
    """Three-digit codes no real council uses, 100 to 199 first."""
    used = {row.dfe_la_code for row in read_reference_rows(REFERENCE_CSV)}
    with PREDECESSORS_CSV.open(encoding="utf-8") as handle:
        used |= {row["dfe_la_code"] for row in csv.DictReader(handle)}
    candidates = [f"{n:03d}" for n in (*range(100, 1000), *range(100))]
    return tuple(code for code in candidates if code not in used)


def _dfe_code(n: int) -> str:
    codes = free_dfe_codes()
    return codes[n % len(codes)]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    password = factory.django.Password("correct-horse-battery")


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Testshire {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    dfe_la_code = factory.Sequence(_dfe_code)
    gss_code = factory.Sequence(lambda n: f"E10{900000 + n % 100000:06d}")
    ofsted_urn = factory.Sequence(lambda n: f"{9000000 + n % 1000000}")
    region = Region.EAST_OF_ENGLAND
    council_type = CouncilType.COUNTY

    @factory.post_generation
    def successors(self, create, extracted, **kwargs):
        """CouncilFactory(is_active=False, successors=[cumberland]) for a merged council."""
        if create and extracted:
            self.successors.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CouncilFactory)
    role = Role.STAFF


class InspectionFactory(factory.django.DjangoModelFactory):
    """A standard inspection in March 2024 (ILACS with five judgements)."""

    class Meta:
        model = Inspection

    council = factory.SubFactory(CouncilFactory)
    kind = InspectionKind.STANDARD
    start_date = datetime.date(2024, 3, 4)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=11))
    published_on = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=60))
    lead_inspector = "Helen Carter, His Majesty's Inspector"

    class Params:
        focused_visit = factory.Trait(
            kind=InspectionKind.FOCUSED_VISIT,
            focus_theme="care_leavers",
            end_date=factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=1)),
        )
        monitoring_visit = factory.Trait(
            kind=InspectionKind.MONITORING_VISIT,
            visit_number=1,
            end_date=factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=1)),
        )


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    area = JudgementArea.IMPACT_OF_LEADERS
    grade = Grade.REQUIRES_IMPROVEMENT


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test theme {n}")
    slug = factory.Sequence(lambda n: f"test-theme-{n}")


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    # Unique across the run, so never twice in one inspection.
    position = factory.Sequence(lambda n: n + 1)
    short_title = factory.Sequence(lambda n: f"Finding {n}")
    text = factory.LazyAttribute(lambda o: f"{o.short_title}, as Ofsted wrote it.")
    theme = factory.SubFactory(ThemeFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    """A live action, not started, due in two months, updated just now."""

    class Meta:
        model = Action

    finding = factory.SubFactory(FindingFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    status = Status.NOT_STARTED
    percent_complete = 0
    last_progress_at = factory.LazyFunction(timezone.now)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    council = factory.SelfAttribute("action.finding.inspection.council")
    author = factory.SelfAttribute("action.owner")
    kind = UpdateKind.PROGRESS
    note = "Work is under way."
    previous_status = Status.NOT_STARTED
    status = Status.IN_PROGRESS
    previous_percent = 0
    percent_complete = 10
