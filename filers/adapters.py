"""allauth adapter: every account e-mail goes through core.mail (inbox + worker)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

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

    def get_login_redirect_url(self, request) -> str:
        from django.urls import reverse

        from .permissions import has_mfa

        user = request.user
        # A court user without a second factor (e.g. the first clerk from createclerk)
        # enrols before anything else.
        if (
            not settings.ECF_IS_TRAINING
            and getattr(user, "is_court_user", False)
            and not has_mfa(user)
        ):
            return reverse("mfa_activate_totp")
        return settings.LOGIN_REDIRECT_URL and super().get_login_redirect_url(request)
