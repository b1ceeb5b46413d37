"""Build one council's data: people, inspections, judgements, findings, actions, timelines.

Every council has its own random.Random, seeded from the run's seed and the council's
DfE code, so a council's data does not depend on which other councils are generated
(only the ids do).
"""

import datetime
import random
import statistics

from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from councils.models import Role
from inspections.models import Finding, Inspection, Judgement

from . import text
from .people import PeopleMaker
from .scales import Scale
from .schedule import Visit, schedule
from .timeline import DAY, Life, life, moment

# The first line of every generated inspection's letter: how generated data is recognised.
LETTER_MARK = "Generated test data: not a real Ofsted letter."
EVIDENCE_ROOT = "https://evidence.example.org"
HIS_MAJESTY_FROM = datetime.date(2022, 9, 8)

# Which finding themes a visit's focus brings up first.
FOCUS_THEMES = {
    "care_leavers": (
        "pathway-planning",
        "accommodation-sufficiency",
        "education-employment-and-training",
        "transition-planning",
    ),
    "children_in_care": ("permanence", "voice-of-the-child", "accommodation-sufficiency"),
    "front_door": ("the-front-door", "assessments", "out-of-hours-services"),
    "children_in_need_and_protection": (
        "child-protection",
        "assessments",
        "management-oversight-and-supervision",
    ),
    "extra_familial_risk": ("child-protection", "partnerships"),
    "permanence": ("permanence",),
    "older_children_placements": ("accommodation-sufficiency", "homeless-16-and-17-year-olds"),
    "disabled_children": ("transition-planning", "assessments"),
}


def council_rng(seed: int, council) -> random.Random:
    # Repeatable test data, not security: the same seed gives the same council.
    return random.Random(f"{seed}-{council.dfe_la_code}")  # noqa: S311 # nosec B311


class CouncilBuilder:
    """Writes one council's rows through the shared writer."""

    def __init__(self, writer, people: PeopleMaker, *, scale: Scale, seed: int, today, themes):
        self.writer = writer
        # Looked up once: simple-history builds a new manager at every `Model.history`.
        self.history_of = {
            model: writer[model.history.model] for model in (Inspection, Judgement, Finding, Action)
        }
        self.actions = writer[Action]
        self.contributor_links = writer[Action.contributors.through]
        self.updates = writer[ProgressUpdate]
        self.people_maker = people
        self.scale = scale
        self.seed = seed
        self.today = today
        self.themes = themes  # [(id, slug, name)], in slug order
        self.theme_slugs = {pk: slug for pk, slug, _ in themes}
        self.finding_rows = {}  # the current inspection's findings, by id
        self.earlier = {}  # theme id -> (finding id, its inspection's start date)
        self.long_left = 0  # actions still to give a very long timeline, at a big council

    # --- the council -------------------------------------------------------------

    def build(self, council, *, big: bool) -> int:
        """Generate the council's data; returns how many actions it has."""
        rng = council_rng(self.seed, council)
        visits = schedule(rng, self.today, first_level=4 if big else None)
        if self.scale.last_inspections:
            visits = visits[-self.scale.last_inspections :]
        people = self.people_maker.council(
            rng,
            council,
            joined=visits[0].start_date - datetime.timedelta(days=30),
            counts=self._headcount(rng, big),
        )
        findings_range = self.scale.findings
        actions_range = self.scale.actions
        if big:
            findings_range = (max(findings_range[0], findings_range[1] - 2), findings_range[1])
            actions_range = self._big_actions_range(visits, findings_range)
        self.earlier = {}  # theme id -> (finding id, its inspection's start date)
        self.long_left = self.scale.long_actions if big else 0
        actions = 0
        for visit in visits:
            actions += self.inspection(rng, council, visit, people, findings_range, actions_range)
            self.writer.flush_if_full()
        return actions

    def _headcount(self, rng, big: bool) -> dict:
        scale = self.scale
        return {
            Role.STAFF: rng.randint(*(scale.big_council_staff if big else scale.staff)),
            Role.MANAGER: max(2, rng.randint(*scale.managers) * (3 if big else 1)),
            Role.ADMIN: rng.randint(*scale.admins),
        }

    def _big_actions_range(self, visits: list[Visit], findings_range) -> tuple[int, int]:
        """Actions per finding that give a big council about big_council_actions in all."""
        planned = [v for v in visits if v.end_date < self.today - datetime.timedelta(days=120)]
        findings = max(1, len(planned)) * statistics.mean(findings_range)
        per_finding = self.scale.big_council_actions / findings
        return (max(1, round(per_finding * 0.85)), max(2, round(per_finding * 1.15)))

    # --- inspections, judgements, findings -----------------------------------------

    def inspection(self, rng, council, visit: Visit, people, findings_range, actions_range) -> int:
        """The visit's inspection, grades and findings, and the plan if it has been made."""
        published_on = visit.end_date + datetime.timedelta(
            days=rng.randint(30, 60) if visit.is_graded else rng.randint(20, 45)
        )
        if published_on > self.today - 2 * DAY:
            published_on = None  # the letter is not out yet: no findings either
        entered_day = min(
            self.today - DAY,
            (published_on or visit.end_date) + datetime.timedelta(days=rng.randint(0, 5)),
        )
        clerk = rng.choice(people.admins)
        entered_at = moment(entered_day, 10 * 60 + rng.randint(0, 90))
        findings = self._finding_texts(rng, visit, findings_range) if published_on else []
        pk = self.writer[Inspection].new_id()
        row = {
            "id": pk,
            "council_id": council.pk,
            "kind": visit.kind,
            "focus_theme": visit.focus_theme,
            "visit_number": visit.visit_number,
            "start_date": visit.start_date,
            "end_date": visit.end_date,
            "published_on": published_on,
            "lead_inspector": self._inspector(rng, visit.start_date),
            "report_url": "",
            "ofsted_file_id": "",
            "letter_text": _letter(findings),
            "created_at": entered_at,
            "updated_at": entered_at,
        }
        self._with_history(Inspection, row, entered_at, clerk)
        for n, (area, grade) in enumerate(visit.grades.items(), start=1):
            judgement = {"id": self.writer[Judgement].new_id(), "inspection_id": pk, "area": area}
            at = entered_at + datetime.timedelta(minutes=n)
            self._with_history(Judgement, {**judgement, "grade": int(grade)}, at, clerk)
        finding_ids = []
        for position, (theme_id, short_title, words) in enumerate(findings, start=1):
            at = entered_at + datetime.timedelta(minutes=10 + position)
            finding_ids.append(
                self.finding(rng, visit, pk, position, theme_id, short_title, words, at, clerk)
            )
        for finding_id, (theme_id, *_) in zip(finding_ids, findings, strict=True):
            if theme_id is not None:
                self.earlier[theme_id] = (finding_id, visit.start_date)
        plan_day = entered_day + datetime.timedelta(days=rng.randint(7, 30))
        if not finding_ids or plan_day >= self.today:
            return 0
        return self.plan(rng, council, visit, finding_ids, plan_day, people, actions_range)

    def _inspector(self, rng, start_date) -> str:
        majesty = "His" if start_date >= HIS_MAJESTY_FROM else "Her"
        return f"{rng.choice(text.INSPECTOR_NAMES)}, {majesty} Majesty's Inspector"

    def _finding_texts(self, rng, visit: Visit, findings_range):
        """[(theme id or None, short title, text)]: distinct themes, the visit's focus first."""
        count = rng.randint(*findings_range)
        preferred = FOCUS_THEMES.get(visit.focus_theme, ())
        first = [t for t in self.themes if t[1] in preferred]
        rest = [t for t in self.themes if t[1] not in preferred]
        rng.shuffle(first)
        rng.shuffle(rest)
        ordered = first + rest
        chosen = []
        for n in range(count):
            theme = ordered[n % len(ordered)] if ordered and rng.random() > 0.03 else None
            chosen.append(self._finding_words(rng, theme))
        return chosen

    def _finding_words(self, rng, theme):
        if theme is None:
            return (None, "Recording of children's records", "The quality of case recording.")
        pk, slug, name = theme
        if slug in text.THEMES:
            short_title, words = rng.choice(text.THEMES[slug][1])
        else:
            short_title, words = name, f"Improve {name.lower()}."
        return (pk, short_title, words)

    def finding(self, rng, visit, inspection_id, position, theme_id, short_title, words, at, clerk):
        pk = self.writer[Finding].new_id()
        serious = visit.level == 4 and visit.kind != "jtai"
        repeats = None
        earlier = self.earlier.get(theme_id)
        if earlier and earlier[1] < visit.start_date and rng.random() < 0.45:
            repeats = earlier[0]
        row = {
            "id": pk,
            "inspection_id": inspection_id,
            "position": position,
            "text": words,
            "short_title": short_title,
            "theme_id": theme_id,
            "is_priority_action": rng.random() < (0.35 if serious else 0.04),
            "repeats_id": repeats,
            "created_at": at,
            "updated_at": at,
        }
        self._with_history(Finding, row, at, clerk)
        self.finding_rows[pk] = row
        return pk

    # --- the plan: actions and their timelines ---------------------------------------

    def plan(self, rng, council, visit, finding_ids, plan_day, people, actions_range) -> int:
        """The plan's actions, entered by a manager one afternoon, then each one's life."""
        creator = rng.choice(people.managers)
        number = 0
        for finding_id in finding_ids:
            finding = self.finding_rows.pop(finding_id)
            for _ in range(rng.randint(*actions_range)):
                created = moment(plan_day, 13 * 60) + datetime.timedelta(seconds=20 * number)
                number += 1
                self.action(rng, council, finding, created, creator, people)
        self.finding_rows.clear()
        return number

    def action(self, rng, council, finding, created, creator, people) -> None:
        plan_day = created.date()
        start = plan_day + datetime.timedelta(days=rng.randint(0, 30))
        urgent = finding["is_priority_action"]
        due = start + datetime.timedelta(
            days=rng.randint(30, 120) if urgent else rng.randint(60, 400)
        )
        owner = people.owner(rng)
        slug = self.theme_slugs.get(finding["theme_id"])
        long = self.long_left > 0
        self.long_left -= long
        entries = self.scale.long_action_updates if long else self._entries(rng)
        story = life(rng, created=created, due=due, today=self.today, entries=entries, long=long)
        pk = self.actions.new_id()
        state = {
            "id": pk,
            "finding_id": finding["id"],
            "title": _action_title(rng, slug, finding),
            "description": rng.choice(text.ACTION_DESCRIPTIONS),
            "success_measure": rng.choice(text.SUCCESS_MEASURES),
            "owner_id": owner,
            "lead_service": text.THEMES[slug][0]
            if slug in text.THEMES
            else text.GENERIC_LEAD_SERVICE,
            "priority": 1 if urgent else rng.choices((1, 2, 3), weights=(25, 55, 20))[0],
            "start_date": None if rng.random() < 0.1 else start,
            "due_date": due,
            "revised_due_date": None,
            "status": Status.NOT_STARTED.value,
            "percent_complete": 0,
            "signed_off_by_id": None,
            "signed_off_at": None,
            "last_progress_at": created,
            "version": 1,
            "created_at": created,
            "updated_at": created,
        }
        history = self.history_of[Action]
        history_rows = [(dict(state), created, None, "+", creator)]
        contributors = self._contributors(rng, pk, owner, people)
        self._timeline(rng, council, state, story, people, contributors, history_rows)
        self.actions.add(**state)
        for row, at, reason, kind, user in history_rows:
            history.add(
                **row,
                history_id=history.new_id(),
                history_date=at,
                history_change_reason=reason,
                history_type=kind,
                history_user_id=user,
            )

    def _entries(self, rng) -> int:
        mean = self.scale.updates
        return max(1, min(round(mean * 3), round(rng.gauss(mean, mean * 0.35))))

    def _contributors(self, rng, action_id, owner, people) -> list[int]:
        chosen = []
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 2)):
                other = people.other_staff(rng, {owner, *chosen})
                if other is not None:
                    chosen.append(other)
        links = self.contributor_links
        for user_id in chosen:
            links.add(id=links.new_id(), action_id=action_id, user_id=user_id)
        return chosen

    def _timeline(self, rng, council, state, story: Life, people, contributors, history_rows):
        """Write the action's entries, changing `state` as the services would at each one."""
        updates = self.updates
        for step in story.steps:
            owner = state["owner_id"]
            author = self._author(rng, step.by, owner, people, contributors)
            note = self._note(rng, step, state, people)
            if step.move == "reassign":
                state["owner_id"] = new_owner = people.other_staff(rng, {owner}) or owner
                names = people.names
                note = f"Reassigned from {names[owner]} to {names[new_owner]}. {note}"
            due_dates = (None, None)
            if step.move == "revise":
                due_dates = (state["revised_due_date"] or state["due_date"], step.revised_due_date)
                state["revised_due_date"] = step.revised_due_date
            if step.move == "signed_off":
                state["signed_off_by_id"], state["signed_off_at"] = author, step.at
            if step.move == "reopened":
                state["signed_off_by_id"], state["signed_off_at"] = None, None
            state["status"], state["percent_complete"] = step.status.value, step.percent
            # action_edit (a reassignment) saves without moving last_progress_at.
            if step.move != "reassign":
                state["last_progress_at"] = step.at
            state["version"] += 1
            state["updated_at"] = step.at
            reason = None if step.move == "reassign" else UpdateKind(step.kind).label
            history_rows.append((dict(state), step.at, reason, "~", author))
            updates.add(
                id=updates.new_id(),
                action_id=state["id"],
                council_id=council.pk,
                author_id=author,
                kind=step.kind.value,
                created_at=step.at,
                note=note,
                previous_status=step.previous_status.value,
                status=step.status.value,
                previous_percent=step.previous_percent,
                percent_complete=step.percent,
                evidence_url=self._evidence(rng, council, state["id"], step),
                evidence_file="",
                evidence_file_name="",
                previous_due_date=due_dates[0],
                new_due_date=due_dates[1],
            )

    def _author(self, rng, by: str, owner: int, people, contributors) -> int:
        if by == "manager":
            return people.other_manager(rng, owner)
        roll = rng.random()
        if contributors and roll < 0.08:
            return rng.choice(contributors)
        if roll > 0.96:
            return rng.choice(people.managers)  # managers may log progress on any action
        return owner

    def _note(self, rng, step, state, people) -> str:
        move = "progress" if step.move == "progress" else step.move
        note = rng.choice(text.NOTES[move]).format(percent=step.percent)
        if step.move == "revise":
            before = state["revised_due_date"] or state["due_date"]
            after = step.revised_due_date
            return f"Due date moved from {before:%-d %B %Y} to {after:%-d %B %Y}. {note}"
        return note

    def _evidence(self, rng, council, action_id, step) -> str:
        if step.move in ("progress", "delivered") and rng.random() < 0.1:
            return f"{EVIDENCE_ROOT}/{council.slug}/actions/{action_id}/{step.at:%Y%m%d%H%M}"
        return ""

    def _with_history(self, model, row: dict, at, user) -> None:
        """The row, and its audit-history creation row ("+") as simple-history would write it."""
        self.writer[model].add(**row)
        history = self.history_of[model]
        history.add(
            **row,
            history_id=history.new_id(),
            history_date=at,
            history_change_reason=None,
            history_type="+",
            history_user_id=user,
        )


def _action_title(rng, slug, finding) -> str:
    if slug in text.THEMES and rng.random() < 0.7:
        return rng.choice(text.THEMES[slug][2])
    topic = finding["short_title"][0].lower() + finding["short_title"][1:]
    return rng.choice(text.GENERIC_ACTIONS).format(topic=topic)


def _letter(findings) -> str:
    if not findings:
        return LETTER_MARK
    points = "\n".join(f"- {words}" for _, _, words in findings)
    return f"{LETTER_MARK}\n\nWhat needs to improve?\n\n{points}"
