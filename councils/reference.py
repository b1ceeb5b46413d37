"""The 153 English councils with children's services, from the CSV kept in the repo.

The same loader serves the data migration (with the historical model) and the
`load_councils` command (to refresh codes later), so the rules live once.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .validators import dfe_la_code_validator, gss_code_validator, ofsted_urn_validator

REFERENCE_CSV = Path(__file__).resolve().parent / "data" / "local_authorities.csv"
EXPECTED_COLUMNS = ["name", "dfe_la_code", "gss_code", "ofsted_urn", "region", "la_type"]


@dataclass(frozen=True)
class CouncilRow:
    name: str
    dfe_la_code: str
    gss_code: str
    ofsted_urn: str
    region: str
    council_type: str

    @property
    def slug(self) -> str:
        # "Bristol, City of" reads better as "bristol-city-of" than the raw name.
        return slugify(self.name)


def read_reference_rows(path: Path = REFERENCE_CSV) -> list[CouncilRow]:
    """Read and check every row; raise ValidationError naming each bad line."""
    from .models import CouncilType, Region

    errors = []
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != EXPECTED_COLUMNS:
            raise ValidationError(
                f"{path.name} must have the columns {', '.join(EXPECTED_COLUMNS)}; "
                f"it has {', '.join(reader.fieldnames or [])}."
            )
        for line_number, raw in enumerate(reader, start=2):
            row = CouncilRow(
                name=raw["name"].strip(),
                dfe_la_code=raw["dfe_la_code"].strip(),
                gss_code=raw["gss_code"].strip(),
                ofsted_urn=raw["ofsted_urn"].strip(),
                region=raw["region"].strip(),
                council_type=raw["la_type"].strip(),
            )
            problems = []
            for validator, value in (
                (dfe_la_code_validator, row.dfe_la_code),
                (gss_code_validator, row.gss_code),
                (ofsted_urn_validator, row.ofsted_urn),
            ):
                try:
                    validator(value)
                except ValidationError as error:
                    problems.extend(error.messages)
            if row.region not in Region.values:
                problems.append(f"unknown region {row.region!r}")
            if row.council_type not in CouncilType.values:
                problems.append(f"unknown council type {row.council_type!r}")
            if not row.name:
                problems.append("the name is empty")
            if problems:
                errors.append(f"line {line_number} ({row.name or '?'}): {'; '.join(problems)}")
            rows.append(row)

    for field in ("dfe_la_code", "gss_code", "ofsted_urn", "slug"):
        seen = {}
        for row in rows:
            value = getattr(row, field)
            if value in seen:
                errors.append(f"{row.name} and {seen[value]} share the {field} {value}")
            seen[value] = row.name
    if errors:
        raise ValidationError(errors)
    return rows


def load_councils(council_model=None, path: Path = REFERENCE_CSV) -> tuple[int, int]:
    """Create or update every council from the CSV, all or nothing.

    Councils are matched on their DfE code. Councils missing from the file are
    left alone: a council that merged stays, marked inactive by an admin.
    Returns (created, updated).
    """
    if council_model is None:
        from .models import Council as council_model
    rows = read_reference_rows(path)
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            _, was_created = council_model.objects.update_or_create(
                dfe_la_code=row.dfe_la_code,
                defaults={
                    "name": row.name,
                    "slug": row.slug,
                    "gss_code": row.gss_code,
                    "ofsted_urn": row.ofsted_urn,
                    "region": row.region,
                    "council_type": row.council_type,
                },
            )
            created += was_created
            updated += not was_created
    return created, updated


PREDECESSORS_CSV = Path(__file__).resolve().parent / "data" / "predecessors.csv"


def load_predecessors(council_model=None, succession_model=None, path=PREDECESSORS_CSV) -> int:
    """Councils abolished since 2013, as inactive councils linked to their successors.

    Letters from before a merger or split name them, and a finding's history must
    cross the change (a 2024 Cumberland finding may repeat a 2022 Cumbria one).
    Matched on the DfE code, so loading twice changes nothing. Returns how many
    councils the file holds.
    """
    import datetime

    if council_model is None:
        from .models import Council as council_model
    if succession_model is None:
        from .models import Succession as succession_model
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with transaction.atomic():
        for row in rows:
            council, _ = council_model.objects.update_or_create(
                dfe_la_code=row["dfe_la_code"],
                defaults={
                    "name": row["name"],
                    "slug": slugify(f"{row['name']}-{row['dfe_la_code']}"),
                    "gss_code": row["gss_code"],
                    "ofsted_urn": row["ofsted_urn"] or None,
                    "region": row["region"],
                    "council_type": row["la_type"],
                    "is_active": False,
                    "abolished_on": datetime.date.fromisoformat(row["abolished_on"]),
                },
            )
            for code in row["successor_la_codes"].split(";"):
                successor = council_model.objects.get(dfe_la_code=code.strip())
                succession_model.objects.get_or_create(predecessor=council, successor=successor)
    return len(rows)
