from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_council_from_action(apps, schema_editor):
    ProgressUpdate = apps.get_model("actions", "ProgressUpdate")
    Action = apps.get_model("actions", "Action")
    council = Action.objects.filter(pk=OuterRef("action_id")).values(
        "finding__inspection__council_id"
    )[:1]
    # The historical model has the plain QuerySet, so update() is allowed here: this
    # fills a new column, it does not change what any entry says.
    ProgressUpdate.objects.filter(council__isnull=True).update(council_id=Subquery(council))


class Migration(migrations.Migration):
    dependencies = [("actions", "0004_bounded_text_and_update_council")]

    operations = [migrations.RunPython(copy_council_from_action, migrations.RunPython.noop)]
