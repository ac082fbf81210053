"""django-allauth: e-mail login, mandatory e-mail confirmation, TOTP MFA with recovery codes."""

from ecf.env import env

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "filers.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ECF_HTTP_PROTOCOL", default="https")
# Rate limits (allauth's own, backed by the cache): the tenth failed login in a row
# is refused for a while; password resets and sign-ups are throttled too.
# Failed logins: 10 a minute per client address, 5 per 5 minutes per (account, client)
# (filers.adapters keys the account limit by client too). The owner locked out on one
# address can still sign in with an e-mailed code (then two-factor), so a third party
# cannot lock an account out.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# The client address allauth sees comes from core.clientip (ECF_TRUSTED_PROXY_COUNT).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ECF_TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    # ePOC claims per client address per hour (dockets.claims.epoc_views).
    "epoc": f"{env.int('ECF_EPOC_RATE_LIMIT', default=30)}/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("ECF_MFA_ISSUER", default="ECF")
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# Registration asks for one filing role and its details on the sign-up page (issue 4).
ACCOUNT_SIGNUP_FORM_CLASS = "filers.forms.SignupDetailsForm"
