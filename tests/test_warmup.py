"""A server process is ready before its first request: templates compiled, objects frozen."""

import gc
import importlib
import sys

import pytest
from django.template import engines

from config import warmup


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()  # the test process's objects go back to the collector


def test_every_template_compiles_and_is_kept_by_the_cached_loader():
    compiled = warmup.compile_templates()
    engine = engines["django"].engine
    site = warmup.template_names(engine.dirs)
    assert "actions/action_list.html" in site
    assert compiled > len(site) > 50  # the site's own, the apps' and the form widgets'
    loader = engine.template_loaders[0]
    assert {"actions/action_list.html", "base.html", "admin/base_site.html"} <= {
        template.origin.template_name for template in loader.get_template_cache.values()
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
