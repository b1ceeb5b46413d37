"""Production settings for the page benchmark: config.settings.base, unchanged but for STATIC_ROOT.

The benchmark serves the app with gunicorn exactly as production does (DEBUG off,
WhiteNoise with hashed, compressed static files). Production's STATIC_ROOT is the
project's staticfiles/ folder, which the Docker image fills; the benchmark runs
collectstatic into a temporary folder instead and names it in BENCH_STATIC_ROOT,
so it never writes into the project.
"""

import os
from pathlib import Path

from config.settings.base import *  # noqa: F403

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
