"""The SQL floor of each page: its rows and aggregates, by hand-written SQL with psycopg 3.

Each floor asks for what its page shows (the same rows, in the same order, and the
same counts and averages), with only the columns the page uses, in as few round
trips as is natural, using the indexes there are. What the floors leave out is
what every page pays whatever it shows: the session, the user, the membership and
the session save (about five small queries).

RAG is the rule of actions/rag.py written once as SQL; the page works out the
reason in words in Python from the same columns.
"""
# ruff: noqa: S608 - the SQL is built from this module's constants; values are parameters

import csv
import datetime
import io
import re

from bench_data import PAGE_SIZE, Targets

ADMIN_PAGE_SIZE = 100  # ModelAdmin.list_per_page
UPDATES_PAGE_SIZE = 20  # actions.views.HISTORY_PAGE_SIZE
TIMELINE_SHOWN = 20  # actions.views.TIMELINE_SHOWN
CHANGES_SHOWN = 20  # actions.views.CHANGES_SHOWN
DASHBOARD_LIST = 10  # boards.dashboard.LIST_LIMIT and RECENT_UPDATES
DUE_WITHIN_DAYS = 30  # boards.dashboard.DUE_WITHIN_DAYS

DUE = "coalesce(a.revised_due_date, a.due_date)"
OPEN = "a.status in ('not_started', 'in_progress')"
RED = f"(a.status = 'blocked' or ({OPEN} and {DUE} < %(today)s))"
AMBER = (
    f"(a.status = 'delivered' or ({OPEN} and {DUE} >= %(today)s "
    f"and ({DUE} <= %(soon)s or a.last_progress_at < %(stale)s)))"
)
GREEN = f"({OPEN} and {DUE} >= %(today)s and {DUE} > %(soon)s and a.last_progress_at >= %(stale)s)"
OVERDUE = f"(a.status in ('not_started', 'in_progress', 'blocked') and {DUE} < %(today)s)"
RANK = (
    f"case when {RED} then 0 when {AMBER} then 1 when {OPEN} then 2 "
    "when a.status = 'complete' then 3 else 4 end"
)
# What a finding, an inspection or a council shows of its actions' progress.
PROGRESS = f"""
    count(a.id) filter (where a.status <> 'cancelled') as action_count,
    round(avg(a.percent_complete) filter (where a.status <> 'cancelled')) as progress,
    count(a.id) filter (where a.status = 'complete') as complete_count,
    min({DUE}) filter (where {OVERDUE}) as earliest_overdue,
    count(a.id) filter (where {RED}) as red_count,
    count(a.id) filter (where {AMBER}) as amber_count,
    count(a.id) filter (where {GREEN}) as green_count"""
STATUS_COUNTS = ",\n".join(
    f"    count(a.id) filter (where a.status = '{status}') as {status}_count"
    for status in ("not_started", "in_progress", "blocked", "delivered", "complete", "cancelled")
)
# One row of an actions list: what _action_rows.html shows.
LIST_COLUMNS = """
    a.id, a.title, a.status, a.priority, a.percent_complete, a.due_date, a.revised_due_date,
    a.last_progress_at, a.signed_off_at, f.position, f.short_title,
    u.first_name, u.last_name, u.username"""
COUNCIL_ACTIONS = """
    actions_action a
    join inspections_finding f on f.id = a.finding_id
    join inspections_inspection i on i.id = f.inspection_id and i.council_id = %(c)s"""
# The list's filter form: every choice comes from the council.
FILTER_CHOICES = [
    (
        "inspection choices",
        """select id, kind, focus_theme, visit_number, start_date from inspections_inspection
           where council_id = %(c)s order by start_date desc, id""",
    ),
    (
        "finding choices",
        """select f.id, f.position, f.short_title, i.kind, i.focus_theme, i.start_date
           from inspections_finding f join inspections_inspection i on i.id = f.inspection_id
           where i.council_id = %(c)s order by i.start_date desc, f.inspection_id, f.position""",
    ),
    (
        "theme choices",
        """select t.id, t.name from inspections_theme t where exists (
             select 1 from inspections_finding f join inspections_inspection i
               on i.id = f.inspection_id
             where f.theme_id = t.id and i.council_id = %(c)s) order by t.name""",
    ),
    (
        "owner choices",
        f"""select u.id, u.first_name, u.last_name, u.username from councils_user u
           where u.id in (select user_id from councils_membership where council_id = %(c)s
                          union select a.owner_id from {COUNCIL_ACTIONS})
           order by u.first_name, u.last_name, u.username""",
    ),
]


def _list_page(where: str = "", keys: tuple[str, ...] = (RANK, DUE), offset: str = "0"):
    """Count and page of an actions list, and its filter form's choices.

    The 50 rows are chosen from narrow rows (id and sort keys), then joined for
    what the page shows: much faster than sorting whole joined rows.
    """
    users = "join councils_user u on u.id = a.owner_id" if any("u." in k for k in keys) else ""
    inner_keys = ", ".join(f"{key} as k{n}" for n, key in enumerate(keys))
    order = ", ".join(f"k{n}" for n in range(len(keys)))
    return [
        ("count", f"select count(*) from {COUNCIL_ACTIONS} where true {where}"),
        (
            "page of 50",
            f"""select {LIST_COLUMNS}
                from (select a.id, {inner_keys} from {COUNCIL_ACTIONS} {users}
                      where true {where} order by {order}, a.id
                      limit {PAGE_SIZE} offset {offset}) page
                join actions_action a on a.id = page.id
                join inspections_finding f on f.id = a.finding_id
                join councils_user u on u.id = a.owner_id
                order by {", ".join(f"page.k{n}" for n in range(len(keys)))}, page.id""",
        ),
        *FILTER_CHOICES,
    ]


ACTION = f"""
    select a.*, f.position, f.short_title, f.text, i.id as inspection_id, i.kind, i.start_date,
           t.name as theme, u.first_name, u.last_name, u.username,
           s.first_name as signed_off_first_name, s.last_name as signed_off_last_name
    from {COUNCIL_ACTIONS}
    join councils_user u on u.id = a.owner_id
    left join councils_user s on s.id = a.signed_off_by_id
    left join inspections_theme t on t.id = f.theme_id
    where a.id = %(action)s"""
CONTRIBUTORS = """
    select u.id, u.first_name, u.last_name, u.username from councils_user u
    join actions_action_contributors c on c.user_id = u.id where c.action_id = %(action)s
    order by u.first_name, u.last_name, u.username"""
TIMELINE = """
    select p.id, p.kind, p.created_at, p.note, p.previous_status, p.status,
           p.previous_percent, p.percent_complete, p.evidence_url, p.evidence_file_name,
           u.first_name, u.last_name, u.username
    from actions_progressupdate p join councils_user u on u.id = p.author_id
    where p.action_id = %(action)s order by p.created_at desc, p.id desc
    limit {limit} offset 0"""

FLOOR_SQL: dict[str, list[tuple[str, str]]] = {
    # The session, the user and the membership: what every signed-in page reads.
    "baseline": [
        (
            "the session",
            "select session_data, expire_date from django_session "
            "where session_key = %(session_key)s and expire_date > now()",
        ),
        ("the user", "select id, is_active, is_superuser from councils_user where id = %(user)s"),
        (
            "the membership",
            "select m.role, c.id, c.name from councils_membership m "
            "join councils_council c on c.id = m.council_id "
            "where m.user_id = %(user)s and m.council_id = %(c)s",
        ),
    ],
    "dashboard": [
        (
            "latest inspection and its progress",
            f"""select i.id, i.kind, i.focus_theme, i.visit_number, i.start_date, i.end_date,
                       i.published_on, p.*
                from (select * from inspections_inspection where council_id = %(c)s
                      order by start_date desc, id desc limit 1) i
                left join lateral (
                  select {PROGRESS} from inspections_finding f
                  join actions_action a on a.finding_id = f.id where f.inspection_id = i.id
                ) p on true""",
        ),
        (
            "latest graded inspection and its grades",
            """select i.id, i.kind, i.start_date, j.area, j.grade
               from (select id, kind, start_date from inspections_inspection
                     where council_id = %(c)s and kind in ('standard', 'short')
                     order by start_date desc, id desc limit 1) i
               left join inspections_judgement j on j.inspection_id = i.id""",
        ),
        (
            "totals by status and RAG, overdue, due soon, progress",
            f"""select {STATUS_COUNTS},
                  count(*) filter (where {RED}) as red, count(*) filter (where {AMBER}) as amber,
                  count(*) filter (where {GREEN}) as green,
                  count(*) filter (where {OVERDUE}) as overdue,
                  round(avg(a.percent_complete) filter (where a.status <> 'cancelled')),
                  count(*) filter (where {DUE} between %(today)s and %(until)s) as due_soon
                from {COUNCIL_ACTIONS}""",
        ),
        (
            "open findings, most urgent first",
            f"""select f.id, f.position, f.short_title, f.is_priority_action, i.id, i.kind,
                       i.start_date, t.name, {PROGRESS},
                {STATUS_COUNTS}
                from inspections_finding f
                join inspections_inspection i on i.id = f.inspection_id and i.council_id = %(c)s
                left join inspections_theme t on t.id = f.theme_id
                left join actions_action a on a.finding_id = f.id
                group by f.id, i.id, t.name
                having count(a.id) filter (where a.status <> 'cancelled') = 0
                    or count(a.id) filter (where a.status = 'complete')
                       < count(a.id) filter (where a.status <> 'cancelled')
                order by red_count desc, amber_count desc, i.start_date desc, f.position""",
        ),
        (
            "ten most overdue",
            f"""select {LIST_COLUMNS}, i.kind, i.start_date from {COUNCIL_ACTIONS}
                join councils_user u on u.id = a.owner_id
                where {OVERDUE} order by {DUE}, a.id limit {DASHBOARD_LIST}""",
        ),
        (
            "ten due soonest",
            f"""select {LIST_COLUMNS}, i.kind, i.start_date from {COUNCIL_ACTIONS}
                join councils_user u on u.id = a.owner_id
                where {DUE} between %(today)s and %(until)s
                order by {DUE}, a.id limit {DASHBOARD_LIST}""",
        ),
        (
            "ten latest updates",
            f"""select p.id, p.kind, p.created_at, p.note, p.status, p.percent_complete,
                       a.id, a.title, u.first_name, u.last_name, u.username
                from actions_progressupdate p
                join actions_action a on a.id = p.action_id
                join councils_user u on u.id = p.author_id
                where p.council_id = %(c)s order by p.created_at desc, p.id desc
                limit {DASHBOARD_LIST}""",
        ),
    ],
    "inspections": [
        (
            "years inspected and the count",
            """select extract(year from start_date)::int, count(*) from inspections_inspection
               where council_id = %(c)s group by 1 order by 1 desc""",
        ),
        (
            "page of 20 with progress and worst grade",
            f"""select i.id, i.kind, i.focus_theme, i.visit_number, i.start_date, i.end_date,
                       i.published_on,
                       (select max(grade) from inspections_judgement j
                        where j.inspection_id = i.id) as worst_grade, p.*
                from (select * from inspections_inspection where council_id = %(c)s
                      order by start_date desc, id desc limit 20) i
                left join lateral (
                  select {PROGRESS} from inspections_finding f
                  join actions_action a on a.finding_id = f.id where f.inspection_id = i.id
                ) p on true
                order by i.start_date desc, i.id desc""",
        ),
    ],
    "inspection": [
        (
            "the inspection, its council and progress",
            f"""select i.*, c.name, {PROGRESS}
                from inspections_inspection i join councils_council c on c.id = i.council_id
                left join inspections_finding f on f.inspection_id = i.id
                left join actions_action a on a.finding_id = f.id
                where i.id = %(inspection)s and i.council_id = %(c)s group by i.id, c.name""",
        ),
        (
            "its judgements",
            "select area, grade from inspections_judgement where inspection_id = %(inspection)s",
        ),
        (
            "its findings with progress and status counts",
            f"""select f.id, f.position, f.short_title, f.text, f.is_priority_action, t.name,
                       {PROGRESS},
                {STATUS_COUNTS}
                from inspections_finding f left join inspections_theme t on t.id = f.theme_id
                left join actions_action a on a.finding_id = f.id
                where f.inspection_id = %(inspection)s group by f.id, t.name
                order by f.position""",
        ),
    ],
    "finding": [
        (
            "the finding, its inspection, theme and progress",
            f"""select f.*, i.kind, i.focus_theme, i.start_date, c.name, t.name, {PROGRESS}
                from inspections_finding f
                join inspections_inspection i on i.id = f.inspection_id and i.council_id = %(c)s
                join councils_council c on c.id = i.council_id
                left join inspections_theme t on t.id = f.theme_id
                left join actions_action a on a.finding_id = f.id
                where f.id = %(finding)s group by f.id, i.id, c.name, t.name""",
        ),
        (
            "the findings it repeats (five links)",
            """with recursive chain(id, repeats_id, depth) as (
                 select id, repeats_id, 0 from inspections_finding where id = %(finding)s
                 union all
                 select f.id, f.repeats_id, chain.depth + 1 from inspections_finding f
                 join chain on f.id = chain.repeats_id where chain.depth < 5)
               select f.id, f.position, f.short_title, i.kind, i.start_date, c.name
               from chain join inspections_finding f on f.id = chain.id
               join inspections_inspection i on i.id = f.inspection_id
               join councils_council c on c.id = i.council_id
               where chain.depth > 0 order by chain.depth""",
        ),
        (
            "its actions, most urgent first",
            f"""select a.id, a.title, a.status, a.priority, a.percent_complete, a.due_date,
                       a.revised_due_date, a.last_progress_at, a.signed_off_at,
                       u.first_name, u.last_name, u.username
                from actions_action a join councils_user u on u.id = a.owner_id
                where a.finding_id = %(finding)s order by {RANK}, {DUE}, a.id""",
        ),
        (
            "later findings that repeat it",
            """with recursive later(id, depth) as (
                 select id, 1 from inspections_finding where repeats_id = %(finding)s
                 union all
                 select f.id, later.depth + 1 from inspections_finding f
                 join later on f.repeats_id = later.id where later.depth < 5)
               select distinct f.id, f.position, f.short_title, i.kind, i.start_date
               from later join inspections_finding f on f.id = later.id
               join inspections_inspection i on i.id = f.inspection_id and i.council_id = %(c)s
               where f.id <> %(finding)s order by i.start_date, f.position""",
        ),
        (
            "other findings under its theme, with progress",
            f"""select f.id, f.position, f.short_title, i.kind, i.start_date, {PROGRESS}
                from inspections_finding f
                join inspections_inspection i on i.id = f.inspection_id and i.council_id = %(c)s
                left join actions_action a on a.finding_id = f.id
                where f.theme_id = (select theme_id from inspections_finding
                                    where id = %(finding)s)
                  and f.id <> %(finding)s
                group by f.id, i.id order by i.start_date desc, f.position""",
        ),
    ],
    "actions": _list_page(),
    "actions_filtered": _list_page(
        where="and a.status = %(status)s and f.theme_id = %(theme)s and a.priority = %(priority)s",
        keys=("u.first_name", "u.last_name", "u.username", DUE),
    ),
    "actions_deep_page": _list_page(offset="%(offset)s"),
    "action": [
        (
            "the action, its finding, owner, and counts of updates and saves",
            ACTION.replace(
                "select a.*,",
                """select a.*,
                   (select count(*) from actions_progressupdate p
                    where p.action_id = a.id) as update_count,
                   (select count(*) from actions_historicalaction h
                    where h.id = a.id) as save_count,""",
            ),
        ),
        ("its contributors", CONTRIBUTORS),
        ("its latest 20 updates", TIMELINE.format(limit=TIMELINE_SHOWN)),
        (
            "its latest 21 saves (the audit trail)",
            f"""select h.*, u.first_name, u.last_name, u.username,
                       o.first_name, o.last_name, f.short_title
                from (select * from actions_historicalaction where id = %(action)s
                      order by history_date desc, history_id desc
                      limit {CHANGES_SHOWN + 1}) h
                left join councils_user u on u.id = h.history_user_id
                left join councils_user o on o.id = h.owner_id
                left join inspections_finding f on f.id = h.finding_id
                order by h.history_date desc, h.history_id desc""",
        ),
    ],
    "action_updates": [
        (
            "the action and the count of its updates",
            ACTION.replace(
                "select a.*,",
                """select a.*, (select count(*) from actions_progressupdate p
                                where p.action_id = a.id) as update_count,""",
            ),
        ),
        ("its contributors", CONTRIBUTORS),
        ("its first page of 20 updates", TIMELINE.format(limit=UPDATES_PAGE_SIZE)),
    ],
    "my_actions": [
        (
            "count",
            f"""select count(*) from {COUNCIL_ACTIONS}
                where a.status not in ('complete', 'cancelled')
                  and (a.owner_id = %(user)s or a.id in (
                       select action_id from actions_action_contributors
                       where user_id = %(user)s))""",
        ),
        (
            "page of 50",
            f"""select {LIST_COLUMNS} from {COUNCIL_ACTIONS}
                join councils_user u on u.id = a.owner_id
                where a.status not in ('complete', 'cancelled')
                  and (a.owner_id = %(user)s or a.id in (
                       select action_id from actions_action_contributors
                       where user_id = %(user)s))
                order by {RANK}, {DUE}, a.id limit {PAGE_SIZE}""",
        ),
    ],
    "admin_actions": [
        (
            "council filter: councils with actions",
            """select c.id, c.name from councils_council c where exists (
                 select 1 from inspections_inspection i
                 join inspections_finding f on f.inspection_id = i.id
                 join actions_action a on a.finding_id = f.id where i.council_id = c.id)
               order by c.name""",
        ),
        (
            "owner filter: everyone who owns an action",
            """select u.id, u.username, u.first_name, u.last_name from councils_user u
               where exists (select 1 from actions_action a where a.owner_id = u.id)
               order by u.username""",
        ),
        ("theme filter", "select id, name from inspections_theme order by name"),
        ("count", "select count(*) from actions_action"),
        (
            "page of 100",
            f"""select a.id, a.title, a.status, a.percent_complete, a.due_date,
                       a.revised_due_date, a.last_progress_at, a.signed_off_at, {RANK},
                       f.short_title, c.name, u.first_name, u.last_name, u.username
                from (select * from actions_action order by due_date, id
                      limit {ADMIN_PAGE_SIZE}) a
                join inspections_finding f on f.id = a.finding_id
                join inspections_inspection i on i.id = f.inspection_id
                join councils_council c on c.id = i.council_id
                join councils_user u on u.id = a.owner_id
                order by a.due_date, a.id""",
        ),
    ],
    "admin_findings": [
        ("theme filter", "select id, name from inspections_theme order by name"),
        (
            "council filter: councils with findings",
            """select c.id, c.name from councils_council c where exists (
                 select 1 from inspections_inspection i
                 join inspections_finding f on f.inspection_id = i.id
                 where i.council_id = c.id) order by c.name""",
        ),
        ("count", "select count(*) from inspections_finding"),
        (
            "page of 100 with progress",
            f"""select f.id, f.short_title, f.is_priority_action, f.council_name, f.kind,
                       f.focus_theme, f.start_date, t.name, p.*
                from (select f.*, c.name as council_name, i.kind, i.focus_theme, i.start_date
                      from inspections_finding f
                      join inspections_inspection i on i.id = f.inspection_id
                      join councils_council c on c.id = i.council_id
                      order by i.start_date desc, c.name, f.position, f.id desc
                      limit {ADMIN_PAGE_SIZE}) f
                left join inspections_theme t on t.id = f.theme_id
                left join lateral (select {PROGRESS} from actions_action a
                                   where a.finding_id = f.id) p on true
                order by f.start_date desc, f.council_name, f.position, f.id desc""",
        ),
    ],
}

EXPORT_ROWS = [
    (
        "every row of the export, in the list's order",
        f"""select c.name, i.kind, i.focus_theme, i.visit_number, i.start_date, f.position,
                   f.short_title, a.title, u.first_name, u.last_name, u.username,
                   a.lead_service, a.priority, a.status, a.percent_complete, a.start_date,
                   a.due_date, a.revised_due_date, a.last_progress_at, a.signed_off_at,
                   s.first_name, s.last_name, s.username
            from {COUNCIL_ACTIONS}
            join councils_council c on c.id = i.council_id
            join councils_user u on u.id = a.owner_id
            left join councils_user s on s.id = a.signed_off_by_id
            where {DUE} >= %(due_after)s
            order by {RANK}, {DUE}, a.id""",
    )
]
FLOOR_SQL["export_csv"] = EXPORT_ROWS
FLOOR_SQL["export_xlsx"] = EXPORT_ROWS


def parameters(t: Targets) -> dict:
    clock = t.clock
    return {
        "c": t.council.pk,
        # The same index lookup as the real session's (the floor has no cookie to send).
        "session_key": "floor-session-key-not-a-real-one",
        "today": clock.today,
        "soon": clock.due_soon_by,
        "stale": clock.stale_before,
        "until": clock.today + datetime.timedelta(days=DUE_WITHIN_DAYS),
        "inspection": t.inspection_id,
        "finding": t.finding_id,
        "action": t.action_id,
        "user": t.member.pk,
        "status": t.filters.get("status"),
        "theme": int(t.filters["theme"]) if "theme" in t.filters else None,
        "priority": int(t.filters["priority"]) if "priority" in t.filters else None,
        "offset": (t.deep_page - 1) * PAGE_SIZE,
        "due_after": datetime.date.fromisoformat(t.export_filters["due_after"])
        if "due_after" in t.export_filters
        else datetime.date.min,
    }


def run(name: str, conn, t: Targets) -> tuple[int, int]:
    """Run a page's floor on a psycopg connection; (queries, rows fetched)."""
    params = parameters(t)
    statements = FLOOR_SQL[name]
    if name == "actions_filtered":
        statements = _without_missing_filters(statements, t)
    rows = 0
    with conn.cursor() as cursor:
        for _, sql in statements:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return len(statements), rows


def _without_missing_filters(statements, t: Targets):
    """On tiny data the filtered list may have only a status filter (bench_data)."""
    if "theme" in t.filters:
        return statements
    return [
        (label, sql.replace("and f.theme_id = %(theme)s and a.priority = %(priority)s", ""))
        for label, sql in statements
    ]


# Which of a page's statements lists its rows, and how the page links to each row:
# the ids in the page's HTML, in order, must be the floor's (a check of the floor).
ROW_LISTS = {
    "actions": ("page of 50", r'href="/actions/(\d+)/"'),
    "actions_filtered": ("page of 50", r'href="/actions/(\d+)/"'),
    "actions_deep_page": ("page of 50", r'href="/actions/(\d+)/"'),
    "my_actions": ("page of 50", r'href="/actions/(\d+)/"'),
    "finding": ("its actions, most urgent first", r'href="/actions/(\d+)/"'),
    "admin_actions": ("page of 100", r'href="/admin/actions/action/(\d+)/change/'),
    "admin_findings": (
        "page of 100 with progress",
        r'href="/admin/inspections/finding/(\d+)/change/',
    ),
}


def check_rows(name: str, conn, t: Targets, body: bytes) -> dict | None:
    """Whether the page lists the floor's rows in the floor's order (None: not a list page)."""
    if name == "export_csv":
        with conn.cursor() as cursor:
            cursor.execute(EXPORT_ROWS[0][1], parameters(t))
            floor_titles = [row[7] for row in cursor.fetchall()]
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
        page_titles = [row[3].removeprefix("'") for row in rows]
        return {
            "same_rows_in_same_order": page_titles == floor_titles,
            "page_rows": len(page_titles),
            "floor_rows": len(floor_titles),
        }
    if name not in ROW_LISTS:
        return None
    label, pattern = ROW_LISTS[name]
    sql = dict(FLOOR_SQL[name])[label]
    if name == "actions_filtered":
        sql = _without_missing_filters([(label, sql)], t)[0][1]
    with conn.cursor() as cursor:
        cursor.execute(sql, parameters(t))
        floor_ids = [row[0] for row in cursor.fetchall()]
    page_ids = list(dict.fromkeys(int(i) for i in re.findall(pattern, body.decode())))
    return {
        "same_rows_in_same_order": page_ids == floor_ids,
        "page_rows": len(page_ids),
        "floor_rows": len(floor_ids),
    }


class _Floors(dict):
    def __missing__(self, name):
        return lambda conn, t: run(name, conn, t)


FLOORS = _Floors()


def describe(name: str) -> list[str]:
    return [label for label, _ in FLOOR_SQL.get(name, [])]
