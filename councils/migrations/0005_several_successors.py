import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def copy_successors(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    Succession = apps.get_model("councils", "Succession")
    for council in Council.objects.filter(successor__isnull=False):
        Succession.objects.get_or_create(predecessor=council, successor_id=council.successor_id)


def copy_back(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    Succession = apps.get_model("councils", "Succession")
    for succession in Succession.objects.order_by("pk"):
        Council.objects.filter(pk=succession.predecessor_id).update(
            successor_id=succession.successor_id
        )


class Migration(migrations.Migration):
    dependencies = [("councils", "0004_exact_code_patterns_and_labels")]

    operations = [
        migrations.CreateModel(
            name="Succession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "predecessor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="successions_as_predecessor",
                        to="councils.council",
                    ),
                ),
                (
                    "successor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="successions_as_successor",
                        to="councils.council",
                    ),
                ),
            ],
            options={"ordering": ["predecessor__name", "successor__name"]},
        ),
        migrations.AddConstraint(
            model_name="succession",
            constraint=models.UniqueConstraint(
                fields=("predecessor", "successor"), name="succession_once_per_pair"
            ),
        ),
        migrations.AddConstraint(
            model_name="succession",
            constraint=models.CheckConstraint(
                condition=models.Q(("predecessor", models.F("successor")), _negated=True),
                name="succession_not_to_itself",
            ),
        ),
        migrations.RunPython(copy_successors, copy_back),
        migrations.RemoveConstraint(model_name="council", name="council_not_own_successor"),
        migrations.RemoveField(model_name="council", name="successor"),
        migrations.RemoveField(model_name="historicalcouncil", name="successor"),
        migrations.AddField(
            model_name="council",
            name="successors",
            field=models.ManyToManyField(
                blank=True,
                help_text="The councils that took over when this one merged or split.",
                related_name="predecessors",
                through="councils.Succession",
                through_fields=("predecessor", "successor"),
                to="councils.council",
            ),
        ),
        migrations.AddField(
            model_name="council",
            name="abolished_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalcouncil",
            name="abolished_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="council",
            name="ofsted_urn",
            field=models.CharField(
                blank=True,
                max_length=8,
                null=True,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9]{5,8}\\Z", "An Ofsted URN is five to eight digits, for example 80445."
                    )
                ],
                verbose_name="Ofsted URN",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcouncil",
            name="ofsted_urn",
            field=models.CharField(
                blank=True,
                db_index=True,
                max_length=8,
                null=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9]{5,8}\\Z", "An Ofsted URN is five to eight digits, for example 80445."
                    )
                ],
                verbose_name="Ofsted URN",
            ),
        ),
    ]
