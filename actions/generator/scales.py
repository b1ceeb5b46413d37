"""How much to generate: small (for tests), national (153 councils), large (stress)."""

from dataclasses import dataclass

# The biggest councils in England by children's services, in the order they are made big.
BIG_COUNCIL_NAMES = (
    "Birmingham",
    "Kent",
    "Essex",
    "Lancashire",
    "Hampshire",
    "Surrey",
    "Hertfordshire",
    "Manchester",
)


@dataclass(frozen=True)
class Scale:
    name: str
    councils: int | None  # how many councils by default; None for every council
    last_inspections: int | None  # keep only each council's latest N inspections; None for all
    findings: tuple[int, int]  # findings per inspection (inclusive range)
    actions: tuple[int, int]  # actions per finding at an ordinary council
    updates: float  # average timeline entries per action
    staff: tuple[int, int]  # staff per ordinary council
    managers: tuple[int, int]
    admins: tuple[int, int]
    big_councils: int  # how many councils get a big plan
    big_council_actions: int  # about how many actions each big council has
    big_council_staff: tuple[int, int]
    long_actions: int  # actions per big council with a very long timeline (weekly for years)
    long_action_updates: int


SCALES = {
    "small": Scale(
        name="small",
        councils=10,
        last_inspections=3,
        findings=(2, 4),
        actions=(3, 5),
        updates=4,
        staff=(4, 6),
        managers=(2, 3),
        admins=(1, 1),
        big_councils=1,
        big_council_actions=80,
        big_council_staff=(8, 10),
        long_actions=1,
        long_action_updates=40,
    ),
    "national": Scale(
        name="national",
        councils=None,
        last_inspections=None,
        findings=(4, 10),
        actions=(8, 15),
        updates=5,
        staff=(12, 30),
        managers=(3, 6),
        admins=(1, 2),
        big_councils=3,
        big_council_actions=5_600,
        big_council_staff=(90, 130),
        long_actions=3,
        long_action_updates=300,
    ),
    "large": Scale(
        name="large",
        councils=None,
        last_inspections=None,
        findings=(6, 12),
        actions=(12, 20),
        updates=6,
        staff=(25, 50),
        managers=(5, 8),
        admins=(1, 3),
        big_councils=8,
        big_council_actions=12_000,
        big_council_staff=(150, 220),
        long_actions=5,
        long_action_updates=600,
    ),
}
