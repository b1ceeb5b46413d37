"""The reminder emails: subject, plain text and HTML, with absolute links.

Links go through /reminders/action/<id>/, which opens the action at its own
council (switching the reader's current council if they belong to several), then
on to the page where they can act: logging progress, signing off, or the action.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from actions.rag import DUE_SOON_DAYS, STALE_AFTER_DAYS

from .rules import (
    AWAITING_SIGN_OFF,
    DUE_SOON,
    ESCALATE_AFTER_DAYS_OVERDUE,
    HEADINGS,
    MANAGER_SECTIONS,
    NO_UPDATE,
    OVERDUE,
    OWNER_SECTIONS,
    RED,
)
from .selectors import CouncilPart, Digest, Escalation, ReminderPlan

# Where each kind of link leads, by the link view's `to`: (actions.urls name, #fragment).
# Progress is logged with the form on the action's own page.
PAGES = {
    "progress": ("action_detail", "#log-progress"),
    "sign-off": ("action_sign_off", ""),
    "": ("action_detail", ""),
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def action_url(action, to: str = "") -> str:
    """The absolute link to an action, for someone who may not be signed in yet."""
    path = reverse("action_from_reminder", args=[action.pk])
    return absolute(f"{path}?to={to}" if to else path)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _sections(part: CouncilPart, order: tuple[str, ...], links: dict[str, tuple[str, str]]):
    """A part's entries under their headings, each with its link and the link's words."""
    sections = []
    for section in order:
        items = []
        for entry in part.entries:
            if entry.section != section:
                continue
            to, words = links.get(section, ("", "See the action"))
            items.append({"entry": entry, "url": action_url(entry.action, to), "link_text": words})
        if items:
            sections.append({"heading": HEADINGS[section], "items": items})
    return {"council": part.council, "sections": sections}


def _message(subject: str, template: str, context: dict, to: list[str]) -> EmailMultiAlternatives:
    context = {
        **context,
        "subject": subject,
        "preferences_url": absolute(reverse("reminder_preference")),
        "due_soon_days": DUE_SOON_DAYS,
        "stale_days": STALE_AFTER_DAYS,
        "escalate_days": ESCALATE_AFTER_DAYS_OVERDUE,
        "weekly_day": settings.REMINDERS_WEEKLY_DAY.capitalize(),
    }
    text = render_to_string(f"reminders/email/{template}.txt", context)
    html = render_to_string(f"reminders/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, None, to)
    message.attach_alternative(html, "text/html")
    return message


def owner_digest(digest: Digest, plan: ReminderPlan) -> EmailMultiAlternatives:
    counts = [
        (digest.count(OVERDUE), "overdue"),
        (digest.count(DUE_SOON), f"due in the next {DUE_SOON_DAYS} days"),
        (digest.count(NO_UPDATE), f"with no update for {STALE_AFTER_DAYS} days"),
    ]
    summary = ", ".join(f"{count} {words}" for count, words in counts if count)
    log = ("progress", "Log progress")
    parts = [
        _sections(part, OWNER_SECTIONS, dict.fromkeys(OWNER_SECTIONS, log)) for part in digest.parts
    ]
    return _message(
        f"Your actions need an update: {summary}",
        "owner_digest",
        {
            "user": digest.user,
            "parts": parts,
            "count": len(digest.entries),
            "weekly": digest.frequency != "daily",
            "my_actions_url": absolute(reverse("my_actions")),
        },
        [digest.user.email],
    )


def manager_digest(digest: Digest, plan: ReminderPlan) -> EmailMultiAlternatives:
    counts = [
        (digest.count(RED), "red"),
        (digest.count(AWAITING_SIGN_OFF), "awaiting sign-off"),
        (digest.count(NO_UPDATE), f"with no update for {STALE_AFTER_DAYS} days"),
    ]
    summary = ", ".join(f"{count} {words}" for count, words in counts if count)
    councils = ", ".join(part.council.name for part in digest.parts)
    links = {AWAITING_SIGN_OFF: ("sign-off", "Sign off or send back")}
    return _message(
        f"Weekly exceptions for {councils}: {summary}",
        "manager_digest",
        {
            "user": digest.user,
            "parts": [_sections(part, MANAGER_SECTIONS, links) for part in digest.parts],
            "day": plan.day,
            "actions_url": absolute(reverse("action_list")),
        },
        [digest.user.email],
    )


def escalation(escalation: Escalation, actions: list, plan: ReminderPlan) -> EmailMultiAlternatives:
    """One email to all the council's managers about the actions escalated today."""
    items = [
        {"action": action, "assessment": action.assess(plan.clock), "url": action_url(action)}
        for action in actions
    ]
    count = _plural(len(actions), "action")
    return _message(
        f"Escalated to you: {count} at {escalation.council} more than "
        f"{ESCALATE_AFTER_DAYS_OVERDUE} days overdue with no update",
        "escalation",
        {"council": escalation.council, "items": items, "count": len(actions)},
        [manager.email for manager in escalation.managers],
    )
