"""`manage.py check --deploy` with production's settings finds nothing to warn about."""

from .production import run


def test_deploy_check_is_clean():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    output = result.stdout + result.stderr
    assert result.returncode == 0, f"check --deploy failed:\n{output}"
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output, output
