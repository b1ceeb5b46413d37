"""Every write to a council's team goes through here: invite, change a role, remove.

Each function is one transaction that locks the council's row first, so two
admins changing the team at once are taken in turn (two admins demoting each
other cannot leave the council without one). Each checks the rules again,
whatever the page offered:

- only an admin of the council (or a superuser) changes its team;
- whose account an admin may touch is councils.user_admin_rules' one rule
  (an admin's own membership aside: they may step down or leave, unless they
  are the last admin);
- roles go no higher than admin, and nothing here sets staff or superuser flags;
- the council always keeps at least one admin;
- a council that is no longer active takes no new members.

Memberships keep their audit trail (django-simple-history): each save or delete
names who made it and why. Emails go through Django's email backend inside the
transaction, so an invitation that cannot be sent adds nobody.
"""

import re
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Council, Membership, Role, User
from .roles import has_role
from .user_admin_rules import can_administer_user

# Said when an address belongs to someone this admin may not add: the same words
# whatever the reason, so the answer reveals nothing about other councils.
CANNOT_ADD = "This person cannot be added here. Ask your support team."
NOT_SENT = (
    "The invitation email could not be sent, so nobody has been added. "
    "Try again later, or ask your support team."
)


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    # False when the address already had an account, which has now joined the team.
    new_account: bool
    # Whether the email carried a link to set a password (new accounts, and
    # accounts whose password was never set).
    link_sent: bool


def can_change_membership(actor, membership: Membership) -> bool:
    """May `actor` change the role of, or remove, this membership? (Not the last-admin rule.)

    Their own membership, or that of someone whose account they may administer.
    """
    if not has_role(actor, membership.council, Role.ADMIN):
        return False
    return membership.user_id == actor.pk or can_administer_user(actor, membership.user)


def last_admin_refusal(membership: Membership, *, actor, removing: bool) -> str:
    """Why this membership may not stop being an admin ('' when it may).

    The one statement of the rule, for the services and for the pages that decide
    whether to offer a change at all. `membership` is read as it is now.
    """
    if membership.role != Role.ADMIN:
        return ""
    others = (
        Membership.objects.filter(council_id=membership.council_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )
    if others:
        return ""
    council = membership.council
    if membership.user_id == actor.pk:
        doing = "leave the team" if removing else "change your role"
        return (
            f"You are the only admin of {council}, so you cannot {doing}. "
            "Make someone else an admin first."
        )
    doing = "removed" if removing else "given another role"
    return (
        f"{membership.user} is the only admin of {council}, so cannot be {doing}. "
        "Make someone else an admin first."
    )


def _require_admin(actor, council: Council) -> None:
    if not has_role(actor, council, Role.ADMIN):
        raise PermissionDenied("Only an admin of this council can change its team.")


def _lock_council(council: Council) -> Council:
    return Council.objects.select_for_update().get(pk=council.pk)


def _lock_membership(membership: Membership, actor) -> Membership:
    """The membership as it is now, locked (after its council), if it is the actor's to change."""
    council = _lock_council(membership.council)
    _require_admin(actor, council)
    locked = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership.pk, council=council)
        .first()
    )
    if locked is None:
        raise ValidationError(f"{membership.user} is no longer on the team.")
    locked.council = council
    if not can_change_membership(actor, locked):
        raise PermissionDenied("You cannot change this person's membership.")
    return locked


@transaction.atomic
def change_role(*, membership: Membership, role: str, changed_by) -> Membership:
    """Make a member staff, manager or admin at the membership's council."""
    locked = _lock_membership(membership, changed_by)
    if role not in Role.values:
        raise ValidationError({"role": "Choose staff, manager or admin"})
    if role == locked.role:
        return locked
    if role != Role.ADMIN:
        refusal = last_admin_refusal(locked, actor=changed_by, removing=False)
        if refusal:
            raise ValidationError({"role": refusal})
    old = locked.get_role_display().lower()
    locked.role = role
    locked.full_clean()
    locked._history_user = changed_by
    locked._change_reason = f"Role changed from {old} to {locked.get_role_display().lower()}"
    locked.save(update_fields=["role"])
    return locked


@transaction.atomic
def remove_member(*, membership: Membership, removed_by) -> None:
    """Take someone off the council's team. Their account and their actions stay."""
    locked = _lock_membership(membership, removed_by)
    refusal = last_admin_refusal(locked, actor=removed_by, removing=True)
    if refusal:
        raise ValidationError(refusal)
    locked._history_user = removed_by
    locked._change_reason = "Removed from the team"
    locked.delete()


@transaction.atomic
def invite_member(
    *,
    council: Council,
    invited_by,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    role: str,
    site_url: str,
) -> Invitation:
    """Add someone to the council's team and email them.

    A new address gets an account with no usable password and an email with a
    one-time link to set one (Django's password reset tokens: the link works
    once, until settings.PASSWORD_RESET_TIMEOUT). An address that already has an
    account joins only if this admin may administer that account; its name and
    details are left as they are. `site_url` is where links in the email start,
    e.g. "https://tracker.example.gov.uk".
    """
    council = _lock_council(council)
    _require_admin(invited_by, council)
    if not council.is_active:
        raise ValidationError(f"{council} is no longer an active council, so no one new can join.")
    if role not in Role.values:
        raise ValidationError({"role": "Choose staff, manager or admin"})
    email = User.objects.normalize_email((email or "").strip())
    user = User.objects.filter(email__iexact=email).first()
    new_account = user is None
    if new_account:
        user = _new_account(
            email=email, first_name=first_name, last_name=last_name, job_title=job_title
        )
    else:
        _require_may_join(user, council, invited_by)
    membership = Membership(user=user, council=council, role=role)
    membership.full_clean()
    membership._history_user = invited_by
    membership._change_reason = "Invited" if new_account else "Added to the team"
    membership.save()
    link_sent = not user.has_usable_password()
    _send(
        "invitation" if link_sent else "added",
        user=user,
        council=council,
        invited_by=invited_by,
        role=membership.get_role_display().lower(),
        site_url=site_url,
    )
    return Invitation(membership=membership, new_account=new_account, link_sent=link_sent)


def _require_may_join(user: User, council: Council, invited_by) -> None:
    if Membership.objects.filter(user=user, council=council).exists():
        # They are on this council's Team page already: saying so reveals nothing.
        raise ValidationError({"email": f"{user} is already on the team."})
    if not can_administer_user(invited_by, user) or not user.is_active:
        raise ValidationError({"email": CANNOT_ADD})


def _new_account(*, email: str, first_name: str, last_name: str, job_title: str) -> User:
    user = User(
        username=_free_username(email),
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        job_title=(job_title or "").strip(),
    )
    user.set_unusable_password()
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        # Someone else took the address or username in the same moment.
        raise ValidationError(
            {"email": "Try again: someone else was added at the same moment."}
        ) from error
    return user


def _free_username(email: str) -> str:
    """A username from the address's first part (priya.shah@... gives priya.shah), made unique."""
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0].lower())[:140] or "user"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def set_password_path(user: User) -> str:
    """The one-time link's path: Django's password reset token for this user."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("set_password", kwargs={"uidb64": uid, "token": token})


def link_lifetime() -> str:
    """How long a set-password link works, in words ("3 days", "12 hours")."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    if seconds % 86_400 == 0:
        days = seconds // 86_400
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, seconds // 3600)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _send(kind: str, *, user: User, council: Council, invited_by, role: str, site_url: str):
    site_url = site_url.rstrip("/")
    context = {
        "user": user,
        "council": council,
        "invited_by": invited_by,
        "role": role,
        "sign_in_url": site_url + reverse("login"),
        "set_password_url": site_url + set_password_path(user) if kind == "invitation" else "",
        "lifetime": link_lifetime(),
    }
    if kind == "invitation":
        subject = f"Set up your Improvement Tracker account for {council}"
    else:
        subject = f"You have been added to {council} on Improvement Tracker"
    body = render_to_string(f"councils/team_email_{kind}.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError) as error:
        raise ValidationError(NOT_SENT) from error


@transaction.atomic
def send_invitation_again(*, membership: Membership, sent_by, site_url: str) -> None:
    """A new one-time link for a member who has not set a password yet (the last one expired)."""
    locked = _lock_membership(membership, sent_by)
    if locked.user.has_usable_password():
        raise ValidationError(f"{locked.user} has set a password already, so needs no invitation.")
    _send(
        "invitation",
        user=locked.user,
        council=locked.council,
        invited_by=sent_by,
        role=locked.get_role_display().lower(),
        site_url=site_url,
    )
