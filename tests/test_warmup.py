"""A server process is ready before its first request: templates compiled, objects frozen."""

import gc
import importlib
import sys

import pytest
from django.template import TemplateDoesNotExist, engines
from django.template.base import Template

from config import warmup


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()  # the test process's objects go back to the collector


def test_every_template_compiles_and_is_kept_by_the_cached_loader():
    engine = engines["django"].engine
    with pytest.raises(TemplateDoesNotExist):
        engine.get_template("no/such/template.html")  # the cache keeps misses too
    compiled = warmup.compile_templates()
    site = warmup.template_names(engine.dirs)
    assert "actions/action_list.html" in site
    assert compiled > len(site) > 50  # the site's own, the apps' and the form widgets'
    loader = engine.template_loaders[0]
    # The cache also remembers names looked up and not found (as TemplateDoesNotExist).
    cached = loader.get_template_cache.values()
    assert {"actions/action_list.html", "base.html", "admin/base_site.html"} <= {
        template.origin.template_name for template in cached if isinstance(template, Template)
    }


def test_warm_up_freezes_what_it_built(unfrozen):
    gc.unfreeze()
    warmup.warm_up()
    assert gc.get_freeze_count() > 10_000


def test_the_wsgi_application_warms_up_when_loaded(unfrozen, monkeypatch):
    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append(True))
    monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
    importlib.import_module("config.wsgi")
    assert calls == [True]


def test_only_the_projects_own_templates_must_compile(tmp_path):
    """An installed app's template for a feature this project does not use may not compile
    (it loads a tag library that is not installed): skipped. The project's own: an error."""
    from django.template import Engine, TemplateSyntaxError

    (tmp_path / "someapp").mkdir()
    (tmp_path / "someapp" / "unused_feature.html").write_text("{% load no_such_tags %}")
    (tmp_path / "someapp" / "fine.html").write_text("{{ x }}")
    engine = Engine(dirs=[tmp_path])
    names = warmup.template_names([tmp_path])
    assert names == {"someapp/unused_feature.html", "someapp/fine.html"}
    assert warmup.compile_all(engine, names, strict=False) == 1
    with pytest.raises(TemplateSyntaxError):
        warmup.compile_all(engine, names, strict=True)
