"""Generated people: users, their memberships and roles, and the audit rows for memberships.

Every generated user's email address is at GENERATED_EMAIL_DOMAIN (example.org is
reserved for examples, so no real person has one): that is how the generator tells
its own people from real ones (see guard.py).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.text import slugify

from councils.models import Membership, Role, User

from . import text
from .timeline import moment

GENERATED_EMAIL_DOMAIN = "generated.example.org"
USERNAME_PREFIX = "gen."


@dataclass
class People:
    """One council's people, by role (user ids), and everyone's name for timeline notes."""

    staff: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)
    admins: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    def owner(self, rng) -> int:
        """Staff own most actions; managers some."""
        return rng.choice(self.managers if rng.random() < 0.15 else self.staff)

    def other_manager(self, rng, not_this: int) -> int:
        return rng.choice([pk for pk in self.managers if pk != not_this])

    def other_staff(self, rng, not_these) -> int | None:
        choices = [pk for pk in self.staff if pk not in not_these]
        return rng.choice(choices) if choices else None


def people_with(people: People, role: str) -> list[int]:
    return {Role.STAFF: people.staff, Role.MANAGER: people.managers, Role.ADMIN: people.admins}[
        role
    ]


class PeopleMaker:
    """Makes users and memberships through the writer, with unique usernames."""

    def __init__(self, writer, *, password: str):
        self.writer = writer
        self.password = password
        self.usernames: set[str] = set()

    def council(self, rng, council, *, joined: datetime.date, counts: dict) -> People:
        """`counts`: role -> how many people with that role."""
        people = People()
        for role, how_many in counts.items():
            for _ in range(how_many):
                first, last = rng.choice(text.FIRST_NAMES), rng.choice(text.LAST_NAMES)
                title = rng.choice(text.JOB_TITLES[role])
                at = moment(joined, 9 * 60 + rng.randint(0, 60))
                pk = self.user(
                    f"{council.dfe_la_code}.{first}.{last}", first, last, title, at, role
                )
                self.membership(pk, council.pk, role, at)
                people_with(people, role).append(pk)
                people.names[pk] = f"{first} {last}"
        return people

    def adviser(self, rng, region: str, councils, *, joined: datetime.date) -> int:
        """A regional improvement adviser: a manager at every council of the region."""
        first, last = rng.choice(text.FIRST_NAMES), rng.choice(text.LAST_NAMES)
        at = moment(joined, 9 * 60)
        pk = self.user(
            f"adviser.{slugify(region)}", first, last, "Regional improvement adviser", at, "manager"
        )
        for council in councils:
            self.membership(pk, council.pk, Role.MANAGER, at)
        return pk

    def user(self, handle: str, first, last, title, joined_at, role) -> int:
        username = self._unique(f"{USERNAME_PREFIX}{handle}".lower())
        users = self.writer[User]
        pk = users.new_id()
        users.add(
            id=pk,
            password=self.password,
            last_login=None,
            is_superuser=False,
            username=username,
            first_name=first,
            last_name=last,
            # Council admins work in the service; the admin site is for superusers only.
            is_staff=False,
            is_active=True,
            date_joined=joined_at,
            email=f"{username}@{GENERATED_EMAIL_DOMAIN}",
            job_title=title,
        )
        return pk

    def membership(self, user_id: int, council_id: int, role: str, at) -> None:
        memberships = self.writer[Membership]
        pk = memberships.new_id()
        row = {
            "id": pk,
            "user_id": user_id,
            "council_id": council_id,
            "role": role,
            "created_at": at,
        }
        memberships.add(**row)
        history = self.writer[Membership.history.model]
        history.add(
            **row,
            history_id=history.new_id(),
            history_date=at,
            history_change_reason=None,
            history_type="+",
            history_user_id=None,  # made by a command, as `createsuperuser` or the demo would
        )

    def _unique(self, username: str) -> str:
        candidate, n = username, 1
        while candidate in self.usernames:
            n += 1
            candidate = f"{username}{n}"
        self.usernames.add(candidate)
        return candidate
