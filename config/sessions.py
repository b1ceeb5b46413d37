"""Sessions that end after a working day idle, renewed at most once a minute.

Django's SESSION_SAVE_EVERY_REQUEST renews the idle timeout by writing the session
on every request: a database write transaction on every page view, the largest
part of each page's fixed cost (docs/performance.md). Renewing once a minute
keeps the same rule, to the minute, for one write a minute per person.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

RENEWED_KEY = "_renewed_at"
RENEW_EVERY_SECONDS = 60


class RenewSessionMiddleware:
    """After SessionMiddleware: mark a signed-in session for saving when it is due.

    Saving sets the cookie's max-age and the stored expiry to SESSION_COOKIE_AGE
    from now, so a session idle for that long ends, give or take a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(RENEWED_KEY, 0) >= RENEW_EVERY_SECONDS:
                session[RENEWED_KEY] = now
        return response


@receiver(user_logged_in)
def count_from_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session anyway: the first renewal is due a minute later."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_KEY] = int(time.time())
