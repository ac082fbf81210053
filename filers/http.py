"""The request type of a view behind a login gate (@login_required, @clerk_required).

Django gives every view an HttpRequest whose `user` may be AnonymousUser. Behind a login
gate it is always the User model: views there say `request: AuthedRequest`, so mypy
checks that what they hand to services and permission functions is a real User.
This is an annotation only; Django builds the same HttpRequest.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthedRequest(HttpRequest):
    user: User
