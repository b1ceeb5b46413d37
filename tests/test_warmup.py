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
