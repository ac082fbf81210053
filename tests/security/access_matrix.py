"""The access matrix: every URL name -> its arguments and the exact answer each user gets.

A URL that exists without a row here fails tests/security/test_access_matrix.py. To add
one: pick the argument kinds (OBJECTS, or a `world` key naming one real object) and a
policy; then state every answer that differs from the policy's default (`expect`, or
`on` for one object variant). The test compares each answer with exactly one outcome.

Outcomes: "200", "400", "403", "404", "405", "login" (a redirect to the login page),
"302" (another redirect), "302!" (a redirect carrying an error message: a POST refused
with a message on the page it returns to).

Columns: the signed-in demo accounts of ROLES (all certified with two-factor, except
"public", an account with no filer record, and "trainee", a pending creditor), the
anonymous visitor, and two status columns: "pending" and "suspended" accounts of a
role that would open the page if a role were enough (STATUS_ROLES, two-factor set up,
trustee and U.S. Trustee linked to the other case's records). A role means nothing
until certified (issue 17): each status column has ONE answer per row, whatever the
role of the account asking; the test rotates the role through STATUS_ROLES row by row.

The project's rule for refusals (ARCHITECTURE.md "returns the same 404 for missing and
forbidden"): a protected read of an object (a case's party page, an entry's receipt, a
document, a message, a payment, a draft, a webhook...), a page of one role (court pages,
the claim transfer page) and an object's owner pages (amend, withdraw) answer 404
whether the object is missing or forbidden, so ids reveal nothing. The filing forms
every filer reaches from the filing menu (open a case, open an adversary proceeding,
file a claim, upload claims) answer a signed-in account that cannot use them 403 with
the reason in plain words (registration pending, suspended, two-factor, role).

Policies (the default answer; a row states every exception):
  public    every column 200
  login     anonymous -> login; every signed-in column 200 (the user's own things)
  court     anonymous -> login; clerk and judge 200; everyone else 404
  clerk     like court, but only the clerk is answered (the judge gets 404)
  chambers  like court, but only the judge is answered
  owner     anonymous -> login; the object's owner (`owner=`) and the clerk 200; others 404
  any       routes with their own token scheme: one answer for every column (`every=`)
Object variants: a sealed entry/document answers 404 to every non-court column that
would otherwise get 200; a restricted one the same except the other case's trustee.
The "other" case (sealed_case_id) is a case nobody in the matrix represents.
Ids that name no object (MISSING, a forged token) appear only in rows that test "not
found" on purpose; every other id names a real object owned by another user.
Every check, whatever the policy: never a 5xx, and no response to a non-court column
contains the sealed entry's text or its document's file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = [
    "anonymous",
    "public",
    "trainee",
    "attorney",
    "attorney2",
    "creditor",
    "trustee",
    "clerk",
    "judge",
]
STATUSES = ["pending", "suspended"]
# The roles a status column's account is given, rotated row by row.
STATUS_ROLES = ["clerk", "judge", "trustee", "us_trustee", "attorney", "creditor"]
COLUMNS = ROLES + STATUSES
COURT_ROLES = {"clerk", "judge"}
OUTCOMES = {"200", "400", "401", "403", "404", "405", "login", "302", "302!"}
SEALED_TEXT = "SEALEDSECRET-7f3a9c"  # in the sealed entry's docket text
RESTRICTED_TEXT = "RESTRICTEDSECRET-51be"  # in the restricted entry's text
MISSING = 987654  # an id that exists nowhere

# URL names not in the matrix, with the reason.
EXEMPT_PREFIXES = {
    "admin:": "Django admin: staff only, guarded by Django itself",
    "account_": "allauth's own account pages (login, signup, reset); covered by allauth and tests/security/test_hardening.py",
    "mfa_": "allauth MFA pages; covered by allauth and the hardening tests",
}

# Argument kinds: for each URL kwarg, the object variants to try. Values are keys of the
# `world` dict the fixture builds. A kwarg naming a world key directly tries that object.
OBJECTS: dict[str, list[str]] = {
    "case": ["own_case", "sealed_case_id"],
    "document": ["public_document", "sealed_document", "restricted_document"],
    "entry": ["own_entry", "sealed_entry", "restricted_entry"],
}
PRIVATE = {"sealed_document", "sealed_entry", "restricted_document", "restricted_entry"}


@dataclass(frozen=True)
class Row:
    policy: str
    kwargs: dict = field(
        default_factory=dict
    )  # kwarg name -> OBJECTS key, world key or literal
    post: bool = False  # POST-only view: checked with a POST of no data
    owner: str = ""  # policy "owner": the column owning the object
    expect: dict = field(default_factory=dict)  # column -> outcome, every variant
    on: dict = field(default_factory=dict)  # variant -> {column: outcome}

    def outcome(self, column: str, variant: str = "") -> str:
        """The one answer `column` gets for this row and object variant."""
        for over in (self.on.get(variant, {}), self.expect):
            if column in over:
                found = over[column]
                break
        else:
            found = self._default(column)
            for over in (self.on.get(variant, {}), self.expect):
                if "signed" in over and column != "anonymous":
                    found = over["signed"]
                    break
                if "every" in over:
                    found = over["every"]
                    break
            if variant in PRIVATE and found == "200" and column not in COURT_ROLES:
                sees = variant.startswith("restricted") and column == "trustee"
                found = "200" if sees else "404"
        assert found in OUTCOMES, (self, column, found)
        return found

    def _default(self, column: str) -> str:
        if self.policy in ("public", "any"):
            return "200"
        if column == "anonymous":
            return "login"
        if self.policy in ("login", "filer"):
            return "200"
        answered = {
            "court": COURT_ROLES,
            "clerk": {"clerk"},
            "chambers": {"judge"},
            "owner": {self.owner, "clerk"},
        }[self.policy]
        return "200" if column in answered else "404"


def R(policy, args=None, *, post=False, owner="", on=None, **expect):
    """A row: `args` the URL kwargs; keyword outcomes by column, `every` for all columns,
    `signed` for every signed-in column (policy "any" states `every`)."""
    return Row(
        policy=policy,
        kwargs=args or {},
        post=post,
        owner=owner,
        expect=expect,
        on=on or {},
    )


# The certified roles whose accounts file proofs of claim (the claim event's roles).
CLAIM_FILERS = {
    "attorney": "200",
    "attorney2": "200",
    "creditor": "200",
    "trustee": "200",
}


def _own_webhook(owner_answer: str, **args) -> Row:
    """A POST on the attorney's webhook: the attorney gets `owner_answer`, the rest 404."""
    return R(
        "owner",
        {"webhook_id": "attorney_webhook", **args},
        post=True,
        owner="attorney",
        attorney=owner_answer,
        clerk="404",
    )


ROWS: dict[str, Row] = {
    # core
    "core:home": R("public"),
    "core:inbox": R("login"),
    "core:inbox-message": R(
        "owner", {"message_id": "attorney_message"}, owner="attorney", clerk="404"
    ),
    "core:healthz": R("public"),
    # the language switch (django.views.i18n.set_language)
    "set_language": R("public", post=True, every="302"),
    # filers
    "filers:register": R("public", every="302", public="200"),
    "filers:agreement": R("public"),
    "filers:status": R("login"),
    "filers:menu": R("login"),
    "filers:account": R("login", public="302"),
    "filers:agents": R("login"),
    "filers:agent-link": R("login", signed="400"),
    "filers:agent-fees": R(
        "login", {"link_id": "agent_link"}, signed="302!", attorney="302"
    ),
    "filers:agent-unlink": R(
        "login", {"link_id": "agent_link"}, signed="302!", attorney="302"
    ),
    "filers:clerk-queue": R("clerk"),
    "filers:clerk-filers": R("clerk"),
    "filers:clerk-filer": R("clerk", {"filer_id": "attorney_filer"}),
    "filers:clerk-role": R("clerk", {"filer_id": "attorney_filer"}, clerk="400"),
    "filers:clerk-decide": R(
        "clerk", {"filer_id": "trainee_filer", "decision": "certify"}, clerk="302"
    ),
    # cases
    "cases:search": R("public"),
    "dockets:case-open": R("filer", signed="403", attorney="200", attorney2="200"),
    "cases:summary": R("public", {"case_id": "case"}),
    "cases:status": R("public"),
    "cases:closures": R("court"),
    "dockets:case-opened": R(
        "login",
        {"case_id": "case"},
        on={"sealed_case_id": {"signed": "404", "clerk": "200", "judge": "200"}},
    ),
    "dockets:matrix-upload": R(
        "court", {"case_id": "case"}, on={"own_case": {"attorney": "200"}}
    ),
    "dockets:adversary-open": R(
        "filer",
        {"case_id": "case"},
        signed="403",
        attorney="200",
        attorney2="200",
        trustee="200",
    ),
    "cases:parties": R("court", {"case_id": "case"}),
    "cases:party-terminate": R(
        "court",
        {"case_id": "case", "party_id": "own_debtor"},
        post=True,
        clerk="302",
        judge="302",
        on={"sealed_case_id": {"clerk": "404", "judge": "404"}},
    ),
    "cases:trustee-members": R("clerk"),
    "cases:trustee-member-unlink": R(
        "clerk",
        {"trustee_id": "ust_office", "user_id": "ust_member"},
        post=True,
        clerk="302",
    ),
    # filing
    "dockets:filing-start": R("filer"),
    "dockets:filing-discard": R(
        "owner", {"draft_id": "attorney_draft"}, owner="attorney", clerk="404"
    ),
    # The draft holds no file: index 0 is "not found" on purpose, for its owner too.
    "dockets:filing-draft-file": R(
        "filer",
        {"draft_id": "attorney_draft", "index": 0, "kind": "original"},
        signed="404",
    ),
    "dockets:filing-step": R(
        "owner",
        {"draft_id": "attorney_draft", "step": "case"},
        owner="attorney",
        attorney="302",
        clerk="404",
    ),
    "dockets:filing-receipt": R(
        "owner", {"entry_id": "entry"}, owner="attorney", judge="200"
    ),
    "dockets:filing-log": R("login"),
    "dockets:fees-due": R("login"),
    "dockets:fee-pay": R(
        "owner", {"payment_id": "attorney_payment"}, owner="attorney", clerk="404"
    ),
    "dockets:pay-gateway": R(
        "any", {"token": "forged-token"}, every="404", anonymous="login"
    ),
    # pipeline
    "dockets:document": R("public", {"document_id": "document"}),
    "dockets:document-download": R("public", {"document_id": "document"}),
    "dockets:document-text": R("public", {"document_id": "document"}),
    # a case's ZIP of public documents (#24): asked for by POST, then a token's pages
    "dockets:case-zip": R("public", {"case_id": "case"}, post=True, every="302"),
    "dockets:case-zip-status": R("any", {"token": MISSING}, every="404"),
    "dockets:case-zip-download": R("any", {"token": MISSING}, every="404"),
    # alerts (#24): each user's own; another's alert is "no longer exists"
    "dockets:alerts": R("login"),
    "dockets:alert-change": R(
        "login",
        {"alert_id": "attorney_alert"},
        post=True,
        signed="302!",
        attorney="302",
    ),
    # webhooks page (#24): each filer's own; another's id is the same 404 as none
    "dockets:webhooks": R("login"),
    "dockets:webhook-detail": R(
        "owner", {"webhook_id": "attorney_webhook"}, owner="attorney", clerk="404"
    ),
    "dockets:webhook-rotate": _own_webhook("200"),
    # Not disabled: its owner is told so.
    "dockets:webhook-reactivate": _own_webhook("302!"),
    "dockets:webhook-delete": _own_webhook("302"),
    # A delivery that failed for good cannot be retried: its owner is told so.
    "dockets:webhook-retry": _own_webhook("302!", delivery_id="attorney_delivery"),
    "dockets:notice-link": R(
        "any", {"token": "forged-token", "document_id": "document"}, every="404"
    ),
    "dockets:verify": R("public"),
    "dockets:entry-receipt": R(
        "owner", {"entry_id": "entry"}, owner="attorney", judge="200"
    ),
    "dockets:case-add": R(
        # "My cases" is for accounts with a filer record: a bare account is told so.
        "login",
        {"case_id": "case"},
        signed="302",
        public="302!",
    ),
    "dockets:pipeline-failures": R("court"),
    "dockets:pipeline-retry": R(
        # POSTed with nothing to retry: the court is told so.
        "court",
        clerk="302!",
        judge="302!",
    ),
    "dockets:bounces": R("court"),
    # claims
    "dockets:claims-register": R("public", {"case_id": "case"}),
    "dockets:claims-csv": R("public", {"case_id": "case"}),
    "dockets:claim-file": R(
        # A filing form: an account that cannot file a claim gets 403 and the reason
        # (claim_filing_problem: registration, two-factor, role; the court dockets
        # paper claims elsewhere). Trustees file claims for creditors (Rule 3004).
        "filer",
        {"case_id": "case"},
        signed="403",
        **CLAIM_FILERS,
    ),
    "dockets:epoc": R("public", {"case_id": "case"}),
    "dockets:claims-register-legacy": R(
        "any", every="404"
    ),  # 404 without its query string
    "dockets:epoc-start": R("public"),
    "dockets:epoc-receipt": R("any", {"token": "forged-token"}, every="404"),
    "dockets:epoc-download": R(
        "any", {"token": "forged-token", "sequence": 0}, every="404"
    ),
    "dockets:my-claims": R("login"),
    "dockets:claim-transfers": R("clerk"),
    "dockets:claim-transfer-decide": R(
        # POSTed without a decision: the clerk is told so.
        "clerk",
        {"transfer_id": "claim_transfer"},
        post=True,
        clerk="302!",
    ),
    "dockets:claims-upload": R(
        # A filing form: uploader_problem's reason with 403 for who cannot file claims.
        "filer",
        signed="403",
        **CLAIM_FILERS,
    ),
    "dockets:claims-upload-spec": R("public"),
    "dockets:claims-upload-batch": R(
        "owner", {"batch_pk": "creditor_batch"}, owner="creditor", judge="200"
    ),
    "cases:preferred-addresses": R(
        "filer",
        public="404",
        trainee="404",
        trustee="404",
        pending="404",
        suspended="404",
    ),
    "dockets:claim-detail": R("public", {"claim_id": "creditor_claim"}),
    "dockets:claim-amend": R("owner", {"claim_id": "creditor_claim"}, owner="creditor"),
    "dockets:claim-withdraw": R(
        "owner", {"claim_id": "creditor_claim"}, owner="creditor"
    ),
    "dockets:claim-transfer": R(
        # may_file_transfer: an active clerk, or an active attorney or creditor (the
        # transferee files it). The judge, trustees, bare, pending and suspended
        # accounts get 404 (dockets.claims.permissions.access_claim_for_transfer).
        "filer",
        {"claim_id": "creditor_claim"},
        signed="404",
        attorney="200",
        attorney2="200",
        creditor="200",
        clerk="200",
    ),
    "dockets:claim-supplement": R(
        "owner", {"claim_id": "creditor_claim"}, owner="creditor"
    ),
    "dockets:claim-correct": R("clerk", {"claim_id": "creditor_claim"}),
    "dockets:claim-wrong-case": R("clerk", {"claim_id": "creditor_claim"}, clerk="302"),
    "dockets:claim-document": R("public", {"document_id": "claim_document"}),
    # clerk
    "dockets:clerk-dashboard": R("clerk"),
    "dockets:qc-queue": R("clerk"),
    "dockets:qc-review": R("clerk", {"entry_id": "entry"}, clerk="302"),
    "dockets:qc-document": R("court", {"document_id": "document"}),
    "dockets:entry-correct": R("clerk", {"entry_id": "entry"}),
    "dockets:entry-visibility": R("clerk", {"entry_id": "entry"}),
    "dockets:entry-seal-allow": R("clerk", {"entry_id": "entry"}, clerk="400"),
    "dockets:entry-seal-revoke": R("clerk", {"entry_id": "entry"}, clerk="400"),
    "dockets:document-visibility": R("clerk", {"document_id": "document"}),
    "dockets:deficiency-new": R("clerk", {"case_id": "case"}),
    "dockets:deficiency-report": R("clerk"),
    "dockets:deficiency-action": R("clerk", {"deficiency_id": "own_deficiency"}),
    "dockets:court-event": R("clerk", {"case_id": "case"}),
    "dockets:paper-filing": R("clerk", {"case_id": "case"}),
    "dockets:paper-petition": R("clerk"),
    "dockets:audit-case": R("clerk", {"case_id": "case"}),
    "dockets:audit-user": R("clerk", {"user_id": "attorney_user"}),
    "dockets:orders-to-sign": R("chambers"),
    "dockets:order-sign": R("chambers", {"document_id": "public_document"}),
    # reports
    "dockets:docket": R("public", {"case_id": "case"}),
    "dockets:docket-csv": R("public", {"case_id": "case"}),
    "dockets:docket-html": R("public", {"case_id": "case"}),
    "dockets:docket-pdf": R("public", {"case_id": "case"}),
    "dockets:docket-pdf-status": R("any", {"token": "forged-token"}, every="404"),
    "dockets:docket-pdf-download": R("any", {"token": "forged-token"}, every="404"),
    "dockets:query": R("public", {"case_id": "case"}),
    "dockets:mailing-matrix": R("public", {"case_id": "case"}),
    "dockets:associated-cases": R("public", {"case_id": "case"}),
    "dockets:deadlines": R("public", {"case_id": "case"}),
    "dockets:case-search-text": R("public", {"case_id": "case"}),
    "dockets:follow": R("login", {"case_id": "case"}, signed="302"),
    "dockets:rss-case": R("public", {"case_id": "case"}),
    "dockets:search": R("public"),
    "dockets:rss-court": R("public"),
    # Reports are for accounts with a filer record (any status); a bare account gets 404.
    "dockets:report-index": R("filer", public="404"),
    "dockets:report-cases-filed": R("filer", public="404"),
    "dockets:report-docket-activity": R("filer", public="404"),
    "dockets:report-claims-activity": R("filer", public="404"),
    "dockets:report-calendar": R("filer", public="404"),
    "dockets:legacy-dktrpt": R("any", every="404"),  # 404 without its query string
    "dockets:legacy-rss": R("public"),
    "dockets:legacy-iquery": R("any", every="404"),  # 404 without its query string
    "dockets:legacy-matrix": R("any", every="404"),  # 404 without its query string
    "dockets:legacy-case-numbers": R("public"),
    "dockets:legacy-mobile-query": R(
        "any", every="404"
    ),  # 404 without its query string
    "dockets:legacy-show-doc": R("any", every="404"),  # 404 without its query string
    # A document number that exists nowhere, on purpose; real ids (doc1 access by
    # visibility): tests/dockets/reports/test_legacy_conformance.py.
    "dockets:legacy-doc1": R("any", {"cmecf_id": "036099999999"}, every="404"),
    # API tokens (session pages) and the token-authenticated API
    "dockets:api-tokens": R("login"),
    "dockets:api-token-revoke": R(
        "owner",
        {"token_id": "attorney_token"},
        owner="attorney",
        attorney="302",
        clerk="404",
    ),
    "dockets:api-reference": R("public"),
    # The API ignores the session: every column is the anonymous caller. Each route with
    # and without each token scope: tests/security/test_status_matrix.py.
    "api-v1:openapi-json": R("any", every="200"),
    "api-v1:api-root": R("any", every="404"),
    "api-v1:search": R("any", every="200"),
    # GET on the path of open_case (POST) is the public case list.
    "api-v1:open_case": R("any", every="200"),
    "api-v1:case_summary": R("any", {"case_id": "case"}, every="200"),
    "api-v1:case_parties": R("any", {"case_id": "case"}, every="200"),
    "api-v1:list_entries": R("any", {"case_id": "case"}, every="200"),
    "api-v1:document_download": R(
        "any",
        {"document_id": "document"},
        every="200",
        on={
            "sealed_document": {"every": "404"},
            "restricted_document": {"every": "404"},
        },
    ),
    "api-v1:create_webhook": R("any", every="401"),
    "api-v1:list_webhooks": R("any", every="401"),
    "api-v1:webhook_deliveries": R(
        "any", {"webhook_id": "attorney_webhook"}, every="401"
    ),
    "api-v1:delete_webhook": R("any", {"webhook_id": "attorney_webhook"}, every="405"),
    "api-v1:file_document": R("any", {"case_id": "case"}, every="401"),
    "api-v1:file_claim": R("any", {"case_id": "case"}, every="401"),
    "api-v1:file_claims_batch": R("any", {"case_id": "case"}, every="401"),
    "api-v1:upload_claims": R("any", every="401"),
    "api-v1:get_claims_upload": R("any", {"batch_pk": "creditor_batch"}, every="401"),
    "api-v1:unknown": R("any", {"rest": "nothing/here"}, every="404"),
    # training
    "training:exercises": R("login"),
    "training:check": R("login", signed="302"),
    "training:practise": R("login"),
    "training:clerk-trainees": R("clerk"),
    "training:clerk-progress": R("clerk", {"user_id": "trainee_user"}),
    "training:reset": R("clerk"),
    "training:practice-login": R("any", {"token": "forged-token"}, every="404"),
}
