"""The board pack as a PDF: opened again with pypdf, its title, language, tags, pages and text;
and how long a large council's pack takes."""

import datetime
import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Action, ProgressUpdate, UpdateKind
from boards.models import BoardMeeting
from tests.factories import FindingFactory, InspectionFactory

from .conftest import signed_in
from .test_views import days_ago, make_plan


def read(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


@pytest.mark.django_db
def test_the_pdf_names_the_council_and_meeting_on_every_page(council, manager, staff):
    built = make_plan(council, manager, staff, actions=40, findings=4)
    meeting = built["meeting"]
    response = signed_in(manager).get(reverse("board_pack_pdf", args=[meeting.pk]))
    pdf = read(response)
    assert f"board-pack-{council.slug}" in response["Content-Disposition"] or (
        "board-pack-" in response["Content-Disposition"]
    )
    when = f"{meeting.held_on:%-d %B %Y}"
    assert pdf.metadata.title == (
        f"Board pack: {council.name}, Children's Improvement Board, {when}"
    )
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"]), "a tagged PDF"
    assert "/StructTreeRoot" in root
    pages = len(pdf.pages)
    assert pages >= 4, "the summary, then the findings, exceptions, changes and appendix"
    for number, page in enumerate(pdf.pages, start=1):
        text = page.extract_text()
        assert council.name in text, f"page {number} does not name the council"
        assert when in text, f"page {number} does not give the meeting's date"
        assert f"Page {number} of {pages}" in text
    everything = "\n".join(page.extract_text() for page in pdf.pages)
    for heading in ("Summary", "Findings", "Exceptions", "What changed since", "Appendix"):
        assert heading in everything, heading
    assert "Action 39" in everything


def _structure_types(pdf: PdfReader) -> set[str]:
    seen, stack = set(), [pdf.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            seen.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)
    return seen


@pytest.mark.django_db
def test_the_pdf_has_real_headings_and_tables(council, manager, staff):
    built = make_plan(council, manager, staff, actions=5)
    pdf = read(signed_in(manager).get(reverse("board_pack_pdf", args=[built["meeting"].pk])))
    types = _structure_types(pdf)
    assert {"/H1", "/H2", "/H3", "/Table", "/TR", "/TH", "/TD"} <= types, types


def make_large_plan(council, manager, owner, *, actions: int, findings: int) -> BoardMeeting:
    """A big plan written in bulk (the services would take minutes): each action with a
    progress update, a third with a revised due date and a fifth delivered."""
    today = datetime.date.today()
    inspection = InspectionFactory(council=council, start_date=today - datetime.timedelta(400))
    finding_rows = [
        FindingFactory(inspection=inspection, position=n + 1, short_title=f"Finding {n + 1}")
        for n in range(findings)
    ]
    rows = []
    for n in range(actions):
        due = today + datetime.timedelta(days=(n % 7) * 20 - 60)
        delivered = n % 5 == 0
        rows.append(
            Action(
                finding=finding_rows[n % findings],
                title=f"Action {n}: a plan line of a realistic length for the board",
                owner=owner,
                due_date=due,
                revised_due_date=due + datetime.timedelta(days=90) if n % 3 == 0 else None,
                status="delivered" if delivered else "in_progress",
                percent_complete=100 if delivered else (n * 13) % 90,
                last_progress_at=days_ago(20 if delivered else 100 - n % 30),
            )
        )
    made = Action.objects.bulk_create(rows)
    Action.objects.filter(pk__in=[a.pk for a in made]).update(created_at=days_ago(300))
    entries = []
    for n, action in enumerate(made):

        def entry(
            kind, at, status, percent, previous=("not_started", 0), note="Progress.", dates=None
        ):
            return ProgressUpdate(
                action=action,  # noqa: B023 - used at once, within the loop
                council=council,
                author=owner,
                kind=kind,
                created_at=at,
                note=note,
                previous_status=previous[0],
                previous_percent=previous[1],
                status=status,
                percent_complete=percent,
                previous_due_date=dates and dates[0],
                new_due_date=dates and dates[1],
            )

        pct = (n * 13) % 90
        entries.append(entry(UpdateKind.PROGRESS, days_ago(100 - n % 30), "in_progress", pct))
        if n % 3 == 0:
            entries.append(
                entry(
                    UpdateKind.DUE_DATE_REVISED,
                    days_ago(50),
                    "in_progress",
                    pct,
                    ("in_progress", pct),
                    f"Due date moved from {action.due_date:%-d %B %Y} to "
                    f"{action.revised_due_date:%-d %B %Y}. Slipped.",
                    (action.due_date, action.revised_due_date),
                )
            )
        if n % 5 == 0:
            entries.append(
                entry(UpdateKind.PROGRESS, days_ago(20), "delivered", 100, ("in_progress", pct))
            )
    ProgressUpdate.objects.bulk_create(entries)
    BoardMeeting.objects.create(
        council=council, held_on=today - datetime.timedelta(60), board="Board", created_by=manager
    )
    return BoardMeeting.objects.create(
        council=council,
        held_on=today - datetime.timedelta(1),
        board="Children's Improvement Board",
        created_by=manager,
    )


@pytest.mark.django_db
def test_a_large_councils_pack_takes_seconds(council, manager, staff):
    """About 1,000 actions: the PDF (and the page) in seconds, not minutes."""
    built = {"meeting": make_large_plan(council, manager, staff, actions=1000, findings=10)}
    client = signed_in(manager)
    url = reverse("board_pack_pdf", args=[built["meeting"].pk])
    started, cpu = time.perf_counter(), time.process_time()
    pdf = read(client.get(url))
    took, cpu_took = time.perf_counter() - started, time.process_time() - cpu
    page_started = time.perf_counter()
    assert client.get(reverse("board_pack", args=[built["meeting"].pk])).status_code == 200
    page_took = time.perf_counter() - page_started
    print(
        f"\nBoard pack for 1,000 actions: PDF {took:.1f} s ({cpu_took:.1f} s of CPU, "
        f"{len(pdf.pages)} pages); printable page {page_took:.1f} s"
    )
    assert took < 60, f"the PDF took {took:.1f} s"
