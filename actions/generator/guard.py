"""Telling generated data from real data, so the generator never mixes into a real plan.

Generated rows carry two marks, and nothing else is needed to recognise them:
- every generated user's email address is at GENERATED_EMAIL_DOMAIN (a subdomain
  of example.org, which is reserved for examples: no real person has one);
- every generated inspection's letter starts with LETTER_MARK.
Everything else the generator makes hangs from those: memberships from users;
judgements, findings, actions and their timelines from inspections.

Real data is any user who is not generated (except a superuser who belongs to no
council: a developer's own account, or a benchmark's), or any inspection that is
not generated.
"""

from django.db.models import Exists, OuterRef, Q

from councils.models import Membership, User
from inspections.models import Inspection

from .build import LETTER_MARK
from .people import GENERATED_EMAIL_DOMAIN


def generated_users():
    return User.objects.filter(email__iendswith=f"@{GENERATED_EMAIL_DOMAIN}")


def real_data() -> str:
    """What real (not generated) data the database holds, in words; '' when none."""
    member = Exists(Membership.objects.filter(user=OuterRef("pk")))
    people = User.objects.exclude(email__iendswith=f"@{GENERATED_EMAIL_DOMAIN}").filter(
        Q(is_superuser=False) | member
    )
    inspections = Inspection.objects.exclude(letter_text__startswith=LETTER_MARK)
    found = []
    if count := people.count():
        found.append(f"{count:,} user{'s' if count != 1 else ''}")
    if count := inspections.count():
        found.append(f"{count:,} inspection{'s' if count != 1 else ''}")
    return " and ".join(found)


def already_generated() -> bool:
    return generated_users().exists()
