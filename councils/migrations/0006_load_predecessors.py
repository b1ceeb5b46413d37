from django.db import migrations


def load(apps, schema_editor):
    from councils.reference import load_predecessors

    load_predecessors(apps.get_model("councils", "Council"), apps.get_model("councils", "Succession"))


class Migration(migrations.Migration):
    dependencies = [("councils", "0005_several_successors")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
