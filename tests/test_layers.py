"""The house's floors: an app imports only from the floors beneath it.

councils/ is the ground floor (councils, users, memberships, the Team page's rules):
it imports nothing from the apps built on it. inspections/ takes from actions/ only
what a finding's progress needs. Reports (the dashboard, boards) live at the top.

Every .py file is parsed, imports inside functions included, so a lazy import
does not slip through.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# For each app, the modules it must not import: a name, and everything under it.
FORBIDDEN = {
    "councils": ("actions", "inspections", "boards", "reminders", "team"),
    "inspections": ("boards", "reminders", "team"),
}

# What inspections/ may take from actions/: what a finding's progress needs (the RAG
# rules and the Clock, the roll-ups, the admin's progress columns) and, for the finding's
# page and the admin's inline list of actions, the Action model. Not actions' views or
# URLs: the plan's export and import are routed from actions/plan_urls.py.
INSPECTIONS_MAY_IMPORT = (
    "actions.rag",
    "actions.rollups",
    "actions.admin_display",
    "actions.models",
)


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Every module some source in `package` imports, made absolute, with its line number.

    "from actions import rag" counts as importing both actions and actions.rag.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def under(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def forbidden(app: str, module: str) -> bool:
    if any(under(module, banned) for banned in FORBIDDEN[app]):
        return True
    return (
        app == "inspections"
        and under(module, "actions")
        and module != "actions"  # "from actions import x" is judged as actions.x
        and not any(under(module, allowed) for allowed in INSPECTIONS_MAY_IMPORT)
    )


def violations(app: str) -> list[str]:
    problems = set()
    for path in sorted((ROOT / app).rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).parent.parts)
        for lineno, module in imported_modules(path.read_text(encoding="utf-8"), package):
            if forbidden(app, module):
                problems.add(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    return sorted(problems)


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_nothing_from_the_floors_above_it(app):
    assert violations(app) == []


def test_the_check_sees_relative_imports_and_imports_inside_functions():
    source = (
        "from . import models\n"
        "from ..letter_reader import text\n"
        "def f():\n"
        "    from actions.rag import Clock\n"
        "    import boards.views\n"
    )
    found = {module for _, module in imported_modules(source, "inspections.letter_reader")}
    assert {
        "inspections.letter_reader.models",
        "inspections.letter_reader.text",
        "actions.rag.Clock",
        "boards.views",
    } <= found
