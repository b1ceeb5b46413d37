"""Where Chromium is, and whether the browser tests must run (CI) or may skip."""

import os
import shutil

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
REQUIRED = os.environ.get("REQUIRE_BROWSER_TESTS") == "1"
