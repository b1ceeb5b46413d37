"""Print each module's mutation score and its surviving mutants, from cosmic-ray sessions.

    python mutation/score.py .mutation/services.sqlite .mutation/rag.sqlite ...

Score = killed / (killed + survived), survivors including the equivalent mutants
listed in mutation/equivalent.toml; "without equivalent" leaves those out. Skipped
mutants (filtered operators, type annotations, listed constants) and those cosmic-ray
could not apply are not counted. Every survivor is printed, the equivalent ones with
their reason. Exits 1 when a session still has mutants to run.
"""

import sys
import tomllib
from collections import Counter
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome


def outcome(result) -> str:
    if result.worker_outcome == WorkerOutcome.SKIPPED:
        return "skipped"
    if result.worker_outcome == WorkerOutcome.NO_TEST:
        return "not applicable"
    if result.worker_outcome != WorkerOutcome.NORMAL:
        return f"error ({result.worker_outcome})"
    if result.test_outcome == TestOutcome.KILLED and result.output == "timeout":
        return "killed"  # a test run that never ends is a caught mutant too
    return str(result.test_outcome.value)


EQUIVALENT = Path(__file__).with_name("equivalent.toml")


def changed_lines(diff: str | None) -> list[str]:
    return [
        line
        for line in (diff or "").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def why_equivalent(mutation, diff, known: list[dict]) -> str:
    removed = {line[1:].strip() for line in changed_lines(diff) if line.startswith("-")}
    for entry in known:
        if (
            str(mutation.module_path) == entry["module"]
            and mutation.operator_name.startswith(entry["operator"])
            and entry["line"].strip() in removed
        ):
            return " ".join(entry["why"].split())
    return ""


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main(sessions: list[str]) -> int:
    known = tomllib.loads(EQUIVALENT.read_text())["mutant"] if EQUIVALENT.exists() else []
    rows, survivors, pending_total = [], [], 0
    totals = Counter()
    for session in sessions:
        with use_db(session, WorkDB.Mode.open) as db:
            counts = Counter()
            for item, result in db.completed_work_items:
                kind = outcome(result)
                if kind == "survived":
                    mutation = item.mutations[0]
                    why = why_equivalent(mutation, result.diff, known)
                    kind = "equivalent" if why else "survived"
                    survivors.append((mutation, result.diff, why))
                counts[kind] += 1
            pending = db.num_work_items - db.num_results
        pending_total += pending
        totals += counts
        rows.append((Path(session).stem, counts, pending))
    rows.append(("all", totals, pending_total))
    print()
    print(
        f"{'module':<11} {'killed':>6} {'survived':>8} {'equivalent':>10} {'skipped':>7} "
        f"{'score':>7} {'without equivalent':>18}  pending"
    )
    for name, counts, pending in rows:
        killed, survived, equivalent = counts["killed"], counts["survived"], counts["equivalent"]
        print(
            f"{name:<11} {killed:>6} {survived:>8} {equivalent:>10} {counts['skipped']:>7} "
            f"{_percent(killed, killed + survived + equivalent):>7} "
            f"{_percent(killed, killed + survived):>18}  {pending}"
        )
    others = {
        k: v for k, v in totals.items() if k not in ("killed", "survived", "equivalent", "skipped")
    }
    if others:
        print(f"also: {others}")
    unexplained = [s for s in survivors if not s[2]]
    print(f"\n{len(survivors)} surviving mutants, {len(unexplained)} unexplained:")
    for mutation, diff, why in sorted(survivors, key=lambda s: (bool(s[2]), str(s[0].module_path))):
        print(
            f"\n{mutation.module_path}:{mutation.start_pos[0]} {mutation.operator_name}"
            f" #{mutation.occurrence}  {'EQUIVALENT' if why else 'UNEXPLAINED'}"
        )
        for line in changed_lines(diff):
            print(f"    {line}")
        if why:
            print(f"    why: {why}")
    return 1 if pending_total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
