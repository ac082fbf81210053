"""allauth adapter: every account e-mail goes through core.mail (inbox + worker)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from core.clientip import client_ip
from core.mail import send_message


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return True

    def send_mail(self, template_prefix, email, context) -> None:
        from .models import User

        context = {"court_name": settings.ECF_COURT_NAME, **context}
        msg = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(msg, "alternatives", []):
            if mimetype == "text/html":
                html = content
        user = User.objects.filter(email__iexact=email).first()
        send_message(
            to_email=email,
            subject=msg.subject,
            text=msg.body,
            html=html,
            user=user,
            kind="account",
        )

    def get_client_ip(self, request) -> str:
        """The one client address (core.clientip, ECF_TRUSTED_PROXY_COUNT) for allauth's
        rate limits and session records."""
        return client_ip(request) or "0.0.0.0"  # noqa: S104 (an address, not a bind)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed logins count per (account, client): a stranger's wrong passwords from
        elsewhere never lock the owner out. The per-client limit ("ip") still applies,
        and the owner can always log in with an e-mailed sign-in code."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{client_ip(request) or 'unknown'}"

    def get_login_redirect_url(self, request) -> str:
        from django.urls import reverse

        from .models import Role
        from .permissions import needs_mfa_setup

        # A certified court user without a second factor (e.g. the first clerk from
        # createclerk) has no court powers until they enrol, so they enrol first.
        if needs_mfa_setup(request.user, Role.CLERK, Role.JUDGE):
            return reverse("mfa_activate_totp")
        return settings.LOGIN_REDIRECT_URL and super().get_login_redirect_url(request)
