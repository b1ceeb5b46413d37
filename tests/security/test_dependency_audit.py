"""scripts/audit_dependencies.py: fail on a vulnerability; warn, only, when data is out of reach."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pip_audit_says(monkeypatch, audit, *, stdout="", stderr="", returncode=0):
    def fake_run(command, **kwargs):
        assert "--no-deps" in command and str(audit.LOCK) in command
        return subprocess.CompletedProcess(command, returncode, stdout, stderr)

    monkeypatch.setattr(audit.subprocess, "run", fake_run)


def report(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails(monkeypatch, audit, capsys):
    vulnerable = {
        "name": "django",
        "version": "5.2.0",
        "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": []}],
    }
    pip_audit_says(monkeypatch, audit, stdout=report(vulnerable), returncode=1)

    assert audit.main() == 1
    assert "django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in capsys.readouterr().out


def test_a_clean_audit_passes(monkeypatch, audit, capsys):
    pip_audit_says(
        monkeypatch, audit, stdout=report({"name": "django", "version": "5.2.19", "vulns": []})
    )

    assert audit.main() == 0
    assert "no known vulnerabilities in 1 checked packages" in capsys.readouterr().out


def test_packages_the_service_did_not_answer_for_warn_without_failing(monkeypatch, audit, capsys):
    skipped = {
        "name": "django",
        "skip_reason": "Dependency not found on PyPI and could not be audited",
    }
    pip_audit_says(monkeypatch, audit, stdout=report(skipped))

    assert audit.main() == 0
    assert "NOT checked" in capsys.readouterr().err


def test_no_network_warns_without_failing(monkeypatch, audit, capsys):
    pip_audit_says(
        monkeypatch,
        audit,
        stderr="requests.exceptions.ConnectionError: Max retries exceeded",
        returncode=1,
    )

    assert audit.main() == 0
    assert "could not reach" in capsys.readouterr().err


def test_any_other_failure_fails(monkeypatch, audit):
    pip_audit_says(monkeypatch, audit, stderr="Invalid requirement: 'django==='", returncode=1)

    assert audit.main() == 1
