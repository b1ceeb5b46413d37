"""Check the pinned dependencies (requirements.lock) for known vulnerabilities with pip-audit.

Run by `make check`. Fails when pip-audit finds a vulnerability, or cannot run for a
reason of ours (a malformed lock file, say). When PyPI's vulnerability data cannot be
reached, or does not answer for some packages, it says so plainly and does not fail:
a check that could not be made is not a vulnerability, but nobody should mistake it
for a clean audit either.
"""

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LOCK = PROJECT / "requirements.lock"
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
# Every package is pinned in the lock file, so nothing needs resolving or installing.
COMMAND = [
    str(PIP_AUDIT),
    "--requirement",
    str(LOCK),
    "--no-deps",
    "--disable-pip",
    "--progress-spinner",
    "off",
    "--format",
    "json",
]
NETWORK_ERRORS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "Max retries exceeded",
    "NameResolutionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ProxyError",
    "SSLError",
    "ServiceError",
)


def warn(message: str) -> None:
    print(f"WARNING: {message}", file=sys.stderr)


def main() -> int:
    result = subprocess.run(COMMAND, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        if any(marker in result.stderr for marker in NETWORK_ERRORS):
            warn(
                "pip-audit could not reach PyPI's vulnerability data, so the dependencies "
                "were NOT checked for known vulnerabilities. Run `make check` again when "
                "the network is back."
            )
            print(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "")
            return 0
        print(result.stderr, file=sys.stderr)
        print("pip-audit failed (not a network problem): see above.", file=sys.stderr)
        return result.returncode or 1

    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    audited = len(dependencies) - len(skipped)

    if vulnerable:
        print(f"pip-audit found known vulnerabilities in {len(vulnerable)} package(s):")
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                print(f"  {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
        print("Raise the version in pyproject.toml, then run `make lock`.")
        return 1
    if skipped:
        warn(
            f"pip-audit could not check {len(skipped)} of {len(dependencies)} packages: "
            "PyPI's vulnerability data did not answer for them (here, usually because only "
            "a package mirror is reachable). Those packages were NOT checked for known "
            "vulnerabilities."
        )
        for dep in skipped[:5]:
            print(f"  {dep['skip_reason']}", file=sys.stderr)
        if len(skipped) > 5:
            print(f"  ... and {len(skipped) - 5} more", file=sys.stderr)
    if audited:
        print(f"pip-audit: no known vulnerabilities in {audited} checked packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
