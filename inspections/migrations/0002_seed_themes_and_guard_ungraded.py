"""Seed the editable list of themes, and make the database refuse grades on ungraded visits.

The trigger backs up Judgement.clean(): whatever writes to the database (a
script, a bulk import, a shell), a focused visit, monitoring visit or JTAI
cannot carry a grade, and an inspection with grades cannot become one.

SQLite drops triggers when Django rebuilds a table, so a later migration that
alters these two tables must create them again; tests/inspections check it.
"""

from django.db import migrations
from django.utils.text import slugify

THEMES = [
    ("Workforce and caseloads", "Recruiting and keeping staff; manageable workloads."),
    ("Management oversight and supervision", "Front-line managers' direction and reflective supervision."),
    ("Pathway planning", "Plans with care leavers for their move into adulthood."),
    ("Accommodation sufficiency", "Enough suitable homes for children in care and care leavers."),
    ("Assessments", "Quality, consistency and timeliness of assessments."),
    ("Permanence", "Permanence for children in care, including special guardianship."),
    ("Transition planning", "Moving on from care and between services."),
    ("Out-of-hours services", "Help for children and families outside office hours."),
    ("Homeless 16 and 17 year olds", "Response to 16 and 17-year-olds presenting as homeless."),
    ("The front door", "Contacts, referrals and the first response to concerns."),
    ("Child protection", "Strategy meetings, enquiries and child protection plans."),
    ("Voice of the child", "Children's views shaping their plans and services."),
    ("Education, employment and training", "Care leavers in education, work or training."),
    ("Quality assurance and performance", "Audits, performance data and learning from them."),
    ("Partnerships", "Work with health, police, housing, schools and others."),
    ("Leadership and governance", "Leaders' grip on practice, and corporate parenting."),
]

GRADED = "('standard', 'short')"
MESSAGE = "Only a standard or short inspection can be graded"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION inspections_judgement_graded_only() RETURNS trigger AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM inspections_inspection
                     WHERE id = NEW.inspection_id AND kind IN {GRADED}) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER judgement_graded_only BEFORE INSERT OR UPDATE ON inspections_judgement
    FOR EACH ROW EXECUTE FUNCTION inspections_judgement_graded_only();
    """,
    f"""
    CREATE OR REPLACE FUNCTION inspections_inspection_keeps_grades() RETURNS trigger AS $$
    BEGIN
      IF NEW.kind NOT IN {GRADED}
         AND EXISTS (SELECT 1 FROM inspections_judgement WHERE inspection_id = NEW.id) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER inspection_ungraded_has_no_judgements
    BEFORE UPDATE OF kind ON inspections_inspection
    FOR EACH ROW EXECUTE FUNCTION inspections_inspection_keeps_grades();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS judgement_graded_only ON inspections_judgement;",
    "DROP TRIGGER IF EXISTS inspection_ungraded_has_no_judgements ON inspections_inspection;",
    "DROP FUNCTION IF EXISTS inspections_judgement_graded_only();",
    "DROP FUNCTION IF EXISTS inspections_inspection_keeps_grades();",
]

SQLITE = [
    f"""
    CREATE TRIGGER judgement_graded_only_insert BEFORE INSERT ON inspections_judgement
    WHEN (SELECT kind FROM inspections_inspection WHERE id = NEW.inspection_id) NOT IN {GRADED}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER judgement_graded_only_update BEFORE UPDATE ON inspections_judgement
    WHEN (SELECT kind FROM inspections_inspection WHERE id = NEW.inspection_id) NOT IN {GRADED}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER inspection_ungraded_has_no_judgements
    BEFORE UPDATE OF kind ON inspections_inspection
    WHEN NEW.kind NOT IN {GRADED}
         AND EXISTS (SELECT 1 FROM inspections_judgement WHERE inspection_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS judgement_graded_only_insert;",
    "DROP TRIGGER IF EXISTS judgement_graded_only_update;",
    "DROP TRIGGER IF EXISTS inspection_ungraded_has_no_judgements;",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("inspections", "Theme")
    for name, description in THEMES:
        Theme.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [
        migrations.RunPython(seed_themes, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
