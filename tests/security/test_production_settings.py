"""Production (DEBUG off): HTTPS only, secure cookies, HSTS, and settings from the environment."""

from .production import HOST, run_python

SETTINGS = """
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
]}))
"""

REQUESTS = f"""
from django.test import Client
client = Client(HTTP_HOST="{HOST}")
plain = client.get("/sign-in/")
plain_health = client.get("/healthz")
secure = client.get("/healthz", secure=True)
# Sign-out answers a GET with 405 and renders no template (no collected static files here).
proxied = client.get("/sign-out/", headers={{"X-Forwarded-Proto": "https"}})
print(json.dumps({{
    "plain": [plain.status_code, plain.get("Location")],
    "plain_health": plain_health.status_code,
    "secure": [secure.status_code, dict(secure.headers)],
    "proxied": proxied.status_code,
}}))
"""


def test_production_settings():
    values = run_python(SETTINGS)

    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "SESSION_SAVE_EVERY_REQUEST": False,
    }


def test_the_environment_can_shorten_sessions_and_trust_a_tls_proxy():
    values = run_python(SETTINGS, SESSION_IDLE_MINUTES="60", TRUST_X_FORWARDED_PROTO="true")

    assert values["SESSION_COOKIE_AGE"] == 60 * 60
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_plain_http_is_redirected_and_https_answers_with_hsts_and_csp():
    result = run_python(REQUESTS)

    assert result["plain"] == [301, f"https://{HOST}/sign-in/"], "plain HTTP goes to HTTPS"
    assert result["plain_health"] == 200, "the container health check is not redirected"
    status, headers = result["secure"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert result["proxied"] == 301, "X-Forwarded-Proto is ignored unless it is trusted"


def test_behind_a_trusted_proxy_https_is_recognised():
    result = run_python(REQUESTS, TRUST_X_FORWARDED_PROTO="true")

    assert result["proxied"] == 405, "the proxy said the request came over HTTPS: no redirect"
