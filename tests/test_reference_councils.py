"""The 153 councils from the reference CSV, the loader's checks and the code constraints."""

import csv
from collections import Counter
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from councils.models import Council, CouncilType, Region
from councils.reference import EXPECTED_COLUMNS, load_councils, read_reference_rows

from .factories import CouncilFactory

pytestmark = pytest.mark.django_db

COLUMNS = ",".join(EXPECTED_COLUMNS)


def write_csv(path, *lines, header=COLUMNS):
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


# --- What the data migration loaded ---------------------------------------------------------


def test_data_migration_loads_153_councils_and_5_abolished_ones():
    assert Council.objects.active().count() == 153
    assert Council.objects.count() == 158


def test_cambridgeshire_has_its_real_codes():
    council = Council.objects.get(dfe_la_code="873")
    assert (council.name, council.gss_code, council.ofsted_urn) == (
        "Cambridgeshire",
        "E10000003",
        "80445",
    )
    assert council.region == Region.EAST_OF_ENGLAND
    assert council.council_type == CouncilType.COUNTY
    assert council.slug == "cambridgeshire"
    assert council.ofsted_provider_url == "https://reports.ofsted.gov.uk/provider/44/80445"


@pytest.mark.parametrize(
    ("dfe_la_code", "name", "gss_code", "ofsted_urn", "slug"),
    [
        ("856", "Leicester", "E06000016", "80482", "leicester"),
        ("201", "City of London", "E09000001", "80450", "city-of-london"),
        ("801", "Bristol, City of", "E06000023", "80441", "bristol-city-of"),
        ("810", "Kingston upon Hull, City of", "E06000010", "80477", "kingston-upon-hull-city-of"),
    ],
)
def test_other_councils_have_their_real_codes(dfe_la_code, name, gss_code, ofsted_urn, slug):
    council = Council.objects.get(dfe_la_code=dfe_la_code)
    assert (council.name, council.gss_code, council.ofsted_urn, council.slug) == (
        name,
        gss_code,
        ofsted_urn,
        slug,
    )


def test_councils_by_type_match_the_reference_readme():
    counts = Counter(Council.objects.active().values_list("council_type", flat=True))
    assert counts == {
        CouncilType.UNITARY: 63,
        CouncilType.METROPOLITAN: 36,
        CouncilType.LONDON_BOROUGH: 33,
        CouncilType.COUNTY: 21,
    }


def test_councils_by_region_match_the_reference_readme():
    counts = Counter(Council.objects.active().values_list("region", flat=True))
    assert counts == {
        Region.LONDON: 33,
        Region.NORTH_WEST: 24,
        Region.SOUTH_EAST: 19,
        Region.SOUTH_WEST: 15,
        Region.YORKSHIRE_AND_THE_HUMBER: 15,
        Region.WEST_MIDLANDS: 14,
        Region.NORTH_EAST: 12,
        Region.EAST_OF_ENGLAND: 11,
        Region.EAST_MIDLANDS: 10,
    }


@pytest.mark.parametrize(
    ("dfe_la_code", "region"),
    [("873", "East of England"), ("810", "Yorkshire and the Humber"), ("856", "East Midlands")],
)
def test_region_is_shown_as_the_ons_writes_it(dfe_la_code, region):
    # Shown in the admin's region filter and on every council page.
    assert Council.objects.get(dfe_la_code=dfe_la_code).get_region_display() == region


def test_abolished_councils_are_loaded_inactive_with_their_successors():
    # Cumbria (909), Northamptonshire (928) and Poole (836) no longer exist, but their
    # letters and findings do: they are kept, inactive, linked to who took over.
    abolished = Council.objects.filter(is_active=False)
    assert set(abolished.values_list("dfe_la_code", flat=True)) == {
        "835", "836", "837", "909", "928",
    }  # fmt: skip
    cumbria = Council.objects.get(dfe_la_code="909")
    assert set(cumbria.successors.values_list("name", flat=True)) == {
        "Cumberland",
        "Westmorland and Furness",
    }
    bcp = Council.objects.get(dfe_la_code="839")
    assert set(bcp.predecessors.values_list("name", flat=True)) == {"Poole", "Bournemouth"}
    assert str(cumbria.abolished_on) == "2023-03-31"


def test_every_current_council_is_active_with_no_successor():
    current = Council.objects.filter(is_active=True)
    assert current.count() == 153
    assert not current.filter(successors__isnull=False).exists()


def test_loading_the_predecessors_again_changes_nothing():
    from councils.models import Succession
    from councils.reference import load_predecessors

    before = (Council.objects.count(), Succession.objects.count())
    load_predecessors()
    assert (Council.objects.count(), Succession.objects.count()) == before


# --- The CSV loader ---------------------------------------------------------------------------


def test_reference_csv_reads_153_valid_rows():
    rows = read_reference_rows()
    assert len(rows) == 153
    assert len({row.slug for row in rows}) == 153


def test_loader_creates_a_new_council_and_updates_existing_ones(tmp_path):
    path = write_csv(
        tmp_path / "councils.csv",
        "Cambridgeshire,873,E10000003,99999990,East of England,County council",
        "Newshire,099,E10999999,99999999,East Midlands,County council",
    )
    created, updated = load_councils(path=path)
    assert (created, updated) == (1, 1)
    assert Council.objects.get(dfe_la_code="873").ofsted_urn == "99999990"
    newshire = Council.objects.get(dfe_la_code="099")
    assert (newshire.name, newshire.slug) == ("Newshire", "newshire")


def test_loader_names_the_line_of_a_malformed_code(tmp_path):
    path = write_csv(
        tmp_path / "councils.csv",
        "Goodshire,099,E10999999,99999999,East Midlands,County council",
        "Badshire,87,E10999998,99999998,East Midlands,County council",
    )
    with pytest.raises(ValidationError) as caught:
        read_reference_rows(path)
    assert caught.value.messages == [
        "line 3 (Badshire): A DfE local authority code is three digits, for example 873."
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "Badshire,099,E11999999,99999999,East Midlands,County council",
            "An ONS GSS code is E06, E08, E09 or E10 followed by six digits",
        ),
        (
            "Badshire,099,E10999999,80A45,East Midlands,County council",
            "An Ofsted URN is five to eight digits",
        ),
        ("Badshire,099,E10999999,99999999,Middle Earth,County council", "unknown region"),
        ("Badshire,099,E10999999,99999999,East Midlands,Parish", "unknown council type"),
        (",099,E10999999,99999999,East Midlands,County council", "the name is empty"),
    ],
)
def test_loader_refuses_a_bad_row_with_a_clear_message(tmp_path, row, message):
    path = write_csv(tmp_path / "councils.csv", row)
    with pytest.raises(ValidationError) as caught:
        read_reference_rows(path)
    assert message in caught.value.messages[0], caught.value.messages


@pytest.mark.parametrize(
    ("second_row", "field"),
    [
        ("Twoshire,099,E10999998,99999998,East Midlands,County council", "dfe_la_code 099"),
        ("Twoshire,098,E10999999,99999998,East Midlands,County council", "gss_code E10999999"),
        ("Twoshire,098,E10999998,99999999,East Midlands,County council", "ofsted_urn 99999999"),
        ("Oneshire,098,E10999998,99999998,East Midlands,County council", "slug oneshire"),
    ],
)
def test_loader_refuses_codes_shared_by_two_rows(tmp_path, second_row, field):
    path = write_csv(
        tmp_path / "councils.csv",
        "Oneshire,099,E10999999,99999999,East Midlands,County council",
        second_row,
    )
    with pytest.raises(ValidationError) as caught:
        read_reference_rows(path)
    assert any(field in message for message in caught.value.messages), caught.value.messages


def test_loader_refuses_a_file_with_the_wrong_columns(tmp_path):
    path = write_csv(
        tmp_path / "councils.csv",
        "Oneshire,099,E10999999,99999999,East Midlands",
        header="name,dfe_la_code,gss_code,ofsted_urn,region",
    )
    with pytest.raises(ValidationError, match="must have the columns"):
        read_reference_rows(path)


def test_loader_writes_nothing_when_one_row_is_bad(tmp_path):
    path = write_csv(
        tmp_path / "councils.csv",
        "Cambridgeshire Renamed,873,E10000003,80445,East of England,County council",
        "Goodshire,099,E10999999,99999999,East Midlands,County council",
        "Badshire,98,E10999998,99999998,East Midlands,County council",
    )
    with pytest.raises(ValidationError):
        load_councils(path=path)
    assert Council.objects.count() == 158
    assert not Council.objects.filter(dfe_la_code="099").exists()
    assert Council.objects.get(dfe_la_code="873").name == "Cambridgeshire"


def test_loader_rolls_back_every_row_when_the_database_refuses_one(tmp_path):
    # The second row's GSS code belongs to Cambridgeshire, which the file does not list:
    # only the database can see the clash, and the first row must not stay behind.
    path = write_csv(
        tmp_path / "councils.csv",
        "Goodshire,099,E10999999,99999999,East Midlands,County council",
        "Clashshire,098,E10000003,99999998,East Midlands,County council",
    )
    with pytest.raises(IntegrityError):
        load_councils(path=path)
    assert not Council.objects.filter(dfe_la_code__in=["098", "099"]).exists()
    assert Council.objects.count() == 158


def _all_councils():
    return list(Council.objects.order_by("dfe_la_code").values())


def test_load_councils_command_is_idempotent():
    before = _all_councils()
    out = StringIO()
    call_command("load_councils", stdout=out)
    call_command("load_councils", stdout=out)
    assert out.getvalue().splitlines() == [
        "Councils: 0 created, 153 updated.",
        "Councils: 0 created, 153 updated.",
    ]
    assert _all_councils() == before


def test_load_councils_command_reports_bad_lines_and_loads_nothing(tmp_path):
    path = write_csv(
        tmp_path / "councils.csv",
        "Goodshire,099,E10999999,99999999,East Midlands,County council",
        "Badshire,099,E10999998,99999998,East Midlands,County council",
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_councils", file=str(path), stdout=StringIO())
    assert str(caught.value).startswith("Nothing was loaded:")
    assert "Badshire and Goodshire share the dfe_la_code 099" in str(caught.value)
    assert not Council.objects.filter(dfe_la_code="099").exists()


def test_reference_csv_in_the_app_matches_the_shared_reference():
    from councils.reference import REFERENCE_CSV

    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["name"] for row in rows] == sorted(row["name"] for row in rows)
    assert len(rows) == 153


# --- Model validators and database constraints ---------------------------------------------


def _council(**fields):
    values = {
        "name": "Testshire",
        "slug": "testshire",
        "dfe_la_code": "099",
        "gss_code": "E10999999",
        "ofsted_urn": "99999999",
        "region": Region.EAST_MIDLANDS,
        "council_type": CouncilType.COUNTY,
    }
    values.update(fields)
    return Council(**values)


def test_a_well_formed_council_passes_full_clean():
    _council().full_clean()


GSS_MESSAGE = (
    "An ONS GSS code is E06, E08, E09 or E10 followed by six digits, for example E10000003."
)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dfe_la_code", "87", "A DfE local authority code is three digits, for example 873."),
        ("dfe_la_code", "8a3", "A DfE local authority code is three digits, for example 873."),
        ("gss_code", "E07000012", GSS_MESSAGE),
        ("gss_code", "e10000099", GSS_MESSAGE),
        ("ofsted_urn", "8044", "An Ofsted URN is five to eight digits, for example 80445."),
        ("ofsted_urn", "80445\n", "An Ofsted URN is five to eight digits, for example 80445."),
    ],
)
def test_full_clean_refuses_a_malformed_code(field, value, message):
    with pytest.raises(ValidationError) as caught:
        _council(**{field: value}).full_clean()
    assert message in caught.value.message_dict[field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dfe_la_code", "87"),
        ("dfe_la_code", "8a3"),
        ("gss_code", "E07000012"),
        ("gss_code", "X10000099"),
        ("ofsted_urn", "8044"),
        ("ofsted_urn", "80A45"),
        # The model's validator refuses a trailing newline; the database must too.
        ("ofsted_urn", "80445\n"),
    ],
)
def test_database_refuses_a_malformed_code(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        _council(**{field: value}).save()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dfe_la_code", "873", "Council with this DfE LA code already exists."),
        ("gss_code", "E10000003", "Council with this ONS GSS code already exists."),
        ("ofsted_urn", "80445", "Council with this Ofsted URN already exists."),
        ("slug", "cambridgeshire", "Council with this Slug already exists."),
    ],
)
def test_full_clean_refuses_a_code_already_used(field, value, message):
    with pytest.raises(ValidationError) as caught:
        _council(**{field: value}).full_clean()
    assert caught.value.message_dict[field] == [message]


@pytest.mark.parametrize(
    ("field", "value"),
    [("dfe_la_code", "873"), ("gss_code", "E10000003"), ("ofsted_urn", "80445")],
)
def test_database_refuses_a_code_already_used(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        _council(**{field: value}).save()


def test_database_refuses_a_council_that_succeeds_itself():
    from councils.models import Succession

    council = CouncilFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Succession.objects.create(predecessor=council, successor=council)


def test_a_council_that_split_names_each_successor():
    first, second = CouncilFactory(name="Cumberland"), CouncilFactory(name="Westmorland")
    split = CouncilFactory(name="Cumbria", is_active=False, successors=[first, second])
    assert list(first.predecessors.all()) == [split]
    assert set(split.successors.all()) == {first, second}
    assert list(Council.objects.active().filter(pk__in=[split.pk, first.pk])) == [first]


def test_an_abolished_council_takes_no_new_members():
    from django.core.exceptions import ValidationError

    from councils.models import Membership
    from tests.factories import UserFactory

    gone = CouncilFactory(is_active=False)
    with pytest.raises(ValidationError, match="takes no new members"):
        Membership(user=UserFactory(), council=gone).full_clean()


def test_council_factory_codes_do_not_collide_with_real_councils():
    councils = CouncilFactory.create_batch(120)
    for council in councils:
        council.full_clean()
    assert Council.objects.count() == 158 + 120
