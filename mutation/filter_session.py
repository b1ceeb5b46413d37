"""Mark as skipped the mutants of a cosmic-ray session that test no rule.

Run by `make mutation` after `cosmic-ray init` and `cr-filter-operators`:

    python mutation/filter_session.py SESSION.sqlite CONFIG.toml

Skipped:
- mutants inside type annotations (`date | None` becoming `date & None` breaks the
  import, so every test "kills" it without testing a rule);
- mutants inside the module-level constants a config lists under
  [cosmic-ray.filters.constants-filter] skip, each with its reason there (column
  widths, chunk sizes: presentation and tuning, not rules).
The operators left out altogether are listed in each module's .toml file.
"""

import ast
import sys
from functools import cache
from pathlib import Path

from cosmic_ray.config import load_config
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

Span = tuple[tuple[int, int], tuple[int, int]]


def _span(node: ast.AST) -> Span:
    return (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)


@cache
def constant_spans(module_path: str, names: tuple[str, ...]) -> list[Span]:
    tree = ast.parse(Path(module_path).read_text())
    spans = []
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id in names for t in targets):
            spans.append(_span(node))
    return spans


@cache
def annotation_spans(module_path: str) -> list[Span]:
    tree = ast.parse(Path(module_path).read_text())
    spans = []
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotations.append(node.returns)
            arguments = node.args
            annotations += [
                arg.annotation
                for arg in (
                    *arguments.posonlyargs,
                    *arguments.args,
                    *arguments.kwonlyargs,
                    arguments.vararg,
                    arguments.kwarg,
                )
                if arg is not None
            ]
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        for annotation in annotations:
            if annotation is not None:
                spans.append(_span(annotation))
    return spans


def _within(mutation, spans: list[Span]) -> bool:
    start, end = tuple(mutation.start_pos), tuple(mutation.end_pos)
    return any(low <= start and end <= high for low, high in spans)


def why_skip(mutation, constants: tuple[str, ...]) -> str:
    path = str(mutation.module_path)
    if _within(mutation, annotation_spans(path)):
        return "In a type annotation"
    if constants and _within(mutation, constant_spans(path, constants)):
        return "In a constant listed in constants-filter"
    return ""


def main(session: str, config_file: str) -> None:
    config = load_config(config_file)
    constants = tuple(config.sub("filters", "constants-filter").get("skip", ()))
    skipped = {}
    with use_db(session, WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            reason = next(filter(None, (why_skip(m, constants) for m in item.mutations)), "")
            if reason:
                db.set_result(
                    item.job_id, WorkResult(output=reason, worker_outcome=WorkerOutcome.SKIPPED)
                )
                skipped[reason] = skipped.get(reason, 0) + 1
    print(f"{session}: skipped {skipped or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
