"""Get a new server process ready before its first request, and keep the collector's pauses short.

A worker's first requests compile the templates, build the URL resolver and the
models' relation caches: objects that live as long as the process. Python's
cyclic garbage collector walks every long-lived object on each full collection,
and in a worker that has served a few pages that is a pause of 60 to 110 ms
every dozen or so requests (docs/performance.md, "Pauses"), which was most of the
pages' 95th percentile. Building those objects at start and then freezing them
(`gc.freeze()`) takes them out of every later collection; objects freed by
reference counting, which is almost all of a request's, are freed as before.

config/wsgi.py calls warm_up() once per process, after Django has loaded.
"""

import datetime
import gc
from pathlib import Path

from django.apps import apps
from django.forms.renderers import get_default_renderer
from django.template import TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver

from inspections.deadlines import is_working_day

TEMPLATE_SUFFIXES = (".html", ".txt")


def template_names(folders) -> set[str]:
    """Every template name under the folders, as get_template() takes it ("actions/list.html")."""
    names = set()
    for folder in folders:
        root = Path(folder)
        if root.is_dir():
            names.update(
                path.relative_to(root).as_posix()
                for path in root.rglob("*")
                if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
            )
    return names


def compile_templates() -> int:
    """Compile every template the site and its widgets can render; the cached loader keeps them.

    The project's own templates must all compile: one that does not stops the worker
    starting, rather than failing a page later. The installed apps' may not all (a
    template for a feature of the app this project does not install), and are skipped.
    """
    engine = engines["django"].engine
    widget_engine = get_default_renderer().engine.engine
    return (
        compile_all(engine, template_names(engine.dirs), strict=True)
        + compile_all(engine, template_names(get_app_template_dirs("templates")), strict=False)
        + compile_all(widget_engine, template_names(widget_engine.dirs), strict=True)
    )


def compile_all(engine, names, *, strict: bool) -> int:
    """Compile the named templates (how many did); `strict`: raise for one that does not."""
    compiled = 0
    for name in sorted(names):
        try:
            engine.get_template(name)
        except TemplateSyntaxError:
            if strict:
                raise
            continue
        compiled += 1
    return compiled


def warm_up() -> None:
    compile_templates()
    get_resolver().url_patterns  # noqa: B018 - builds the resolver's patterns
    get_resolver()._populate()
    for model in apps.get_models():
        model._meta.get_fields()
    # The bank holidays' package imports a module per country on first use (290 of them).
    is_working_day(datetime.date.today())
    gc.collect()
    gc.freeze()
