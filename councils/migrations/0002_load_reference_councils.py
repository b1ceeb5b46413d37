from django.db import migrations


def load(apps, schema_editor):
    from councils.reference import load_councils

    load_councils(council_model=apps.get_model("councils", "Council"))


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
