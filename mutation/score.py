"""Print each module's mutation score and its surviving mutants, from cosmic-ray sessions.

    python mutation/score.py .mutation/services.sqlite .mutation/rag.sqlite ...

Score = killed / (killed + survived). Skipped mutants (filtered operators, type
annotations) and those cosmic-ray could not apply are not counted. Exits 1 when a
session still has mutants to run.
"""

import sys
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


def main(sessions: list[str]) -> int:
    rows, survivors, pending_total = [], [], 0
    totals = Counter()
    for session in sessions:
        with use_db(session, WorkDB.Mode.open) as db:
            counts = Counter()
            for item, result in db.completed_work_items:
                kind = outcome(result)
                counts[kind] += 1
                if kind == "survived":
                    mutation = item.mutations[0]
                    survivors.append((mutation, result.diff))
            pending = db.num_work_items - db.num_results
        pending_total += pending
        totals += counts
        scored = counts["killed"] + counts["survived"]
        score = 100 * counts["killed"] / scored if scored else 0.0
        rows.append((Path(session).stem, counts, scored, score, pending))
    print()
    print(f"{'module':<12} {'killed':>7} {'survived':>9} {'skipped':>8} {'score':>7}  pending")
    for name, counts, _scored, score, pending in rows:
        print(
            f"{name:<12} {counts['killed']:>7} {counts['survived']:>9} {counts['skipped']:>8} "
            f"{score:>6.1f}%  {pending}"
        )
    scored = totals["killed"] + totals["survived"]
    if scored:
        print(
            f"{'all':<12} {totals['killed']:>7} {totals['survived']:>9} {totals['skipped']:>8} "
            f"{100 * totals['killed'] / scored:>6.1f}%  {pending_total}"
        )
    others = {k: v for k, v in totals.items() if k not in ("killed", "survived", "skipped")}
    if others:
        print(f"also: {others}")
    if survivors:
        print(f"\n{len(survivors)} surviving mutants:")
        for mutation, diff in survivors:
            changed = [
                line
                for line in (diff or "").splitlines()
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            ]
            print(
                f"\n{mutation.module_path}:{mutation.start_pos[0]} {mutation.operator_name}"
                f" #{mutation.occurrence}"
            )
            for line in changed:
                print(f"    {line}")
    return 1 if pending_total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
