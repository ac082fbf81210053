"""The access matrix: every URL name -> how to build its arguments and who may see it.

A URL that exists without a row here fails tests/security/test_access_matrix.py. To add
one: pick the argument kinds (OBJECTS) its pattern needs and a policy (POLICIES).

Policies (what each role gets for a GET, or for a POST with missing data on POST-only views):
  public  every role, anonymous included, is answered (200 or a redirect that is not the login page)
  login   anonymous is sent to the login page; every signed-in role is answered (may be refused
          by the view itself with 403/404 or redirected, never a 500)
  filer   anonymous -> login (or 404); every signed-in role answered or refused, never a 500.
          (Several filer pages answer a public user 200 with a "you cannot file" page.)
  chambers  like court, but only the judge is answered
  owner   anonymous -> login or 404; only the object's filer (the creditor who filed the claim)
          is answered; every other filer refused (404/403); the court answered or refused
  court   anonymous -> login or 404; every non-court role refused (403/404, or redirect); clerk
          and judge 200 (or a redirect)
  clerk   like court but only the clerk is answered (the judge is refused)
Arguments of kind "missing" name no object: every role is refused (404) or sent to log in.
POST-only views get no data: a court user may be answered 400/404 (bad data), never a 500.
  any     never a 500; no sealed text leaks (routes with their own token/auth scheme)
Every check, whatever the policy: never a 5xx, and no response to a non-court role contains
the sealed entry's text or its document's file name.
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
COURT_ROLES = {"clerk", "judge"}
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
# `world` dict the fixture builds (or literals).
OBJECTS: dict[str, list[str | int]] = {
    "case": ["own_case", "sealed_case_id"],
    "sealed_case": ["sealed_case_id"],
    "document": ["public_document", "sealed_document", "restricted_document"],
    "entry": ["own_entry", "sealed_entry", "restricted_entry"],
    "draft": ["attorney_draft"],
    "claim": ["creditor_claim"],
    "missing": [MISSING],
}


@dataclass(frozen=True)
class Row:
    policy: str
    kwargs: dict = field(default_factory=dict)  # kwarg name -> OBJECTS key or literal
    post: bool = False  # POST-only view: check with a POST of missing data


def R(policy, post=False, **kwargs):
    return Row(policy=policy, kwargs=kwargs, post=post)


ROWS: dict[str, Row] = {
    # core
    "core:home": R("public"),
    "core:inbox": R("login"),
    "core:inbox-message": R("login", message_id="missing"),
    "core:healthz": R("public"),
    # the language switch (django.views.i18n.set_language)
    "set_language": R("public", post=True),
    # filers
    "filers:register": R("public"),
    "filers:agreement": R("public"),
    "filers:status": R("login"),
    "filers:menu": R("login"),
    "filers:account": R("login"),
    "filers:agents": R("filer"),
    "filers:agent-link": R("filer"),
    "filers:agent-fees": R("filer", link_id="missing"),
    "filers:agent-unlink": R("filer", link_id="missing"),
    "filers:clerk-queue": R("clerk"),
    "filers:clerk-filers": R("clerk"),
    "filers:clerk-filer": R("clerk", filer_id="attorney_filer"),
    "filers:clerk-role": R("clerk", filer_id="attorney_filer"),
    "filers:clerk-decide": R("clerk", filer_id="attorney_filer", decision="approve"),
    # cases
    "cases:search": R("public"),
    "dockets:case-open": R("filer"),
    "cases:summary": R("public", case_id="case"),
    "cases:status": R("public"),
    "cases:closures": R("court"),
    "dockets:case-opened": R("login", case_id="case"),
    "dockets:matrix-upload": R("filer", case_id="case"),
    "dockets:adversary-open": R("filer", case_id="case"),
    "cases:parties": R("login", case_id="case"),
    "cases:party-terminate": R("filer", case_id="case", party_id="missing"),
    "cases:trustee-members": R("clerk"),
    "cases:trustee-member-unlink": R(
        "clerk", post=True, trustee_id="ust_office", user_id="ust_member"
    ),
    # filing
    "dockets:filing-start": R("filer"),
    "dockets:filing-discard": R("filer", draft_id="draft"),
    "dockets:filing-draft-file": R("filer", draft_id="draft", index=0, kind="original"),
    "dockets:filing-step": R("filer", draft_id="draft", step="case"),
    "dockets:filing-receipt": R("login", entry_id="entry"),
    "dockets:filing-log": R("filer"),
    "dockets:fees-due": R("filer"),
    "dockets:fee-pay": R("filer", payment_id="missing"),
    "dockets:pay-gateway": R("any", token="forged-token"),
    # pipeline
    "dockets:document": R("public", document_id="document"),
    "dockets:document-download": R("public", document_id="document"),
    "dockets:document-text": R("public", document_id="document"),
    # a case's ZIP of public documents (#24): asked for by POST, then a token's pages
    "dockets:case-zip": R("public", post=True, case_id="case"),
    "dockets:case-zip-status": R("public", token="missing"),
    "dockets:case-zip-download": R("public", token="missing"),
    # alerts (#24): each user's own
    "dockets:alerts": R("login"),
    "dockets:alert-change": R("login", post=True, alert_id="missing"),
    # webhooks page (#24): each filer's own; another's id is the same 404 as none
    "dockets:webhooks": R("login"),
    "dockets:webhook-detail": R("login", webhook_id="missing"),
    "dockets:webhook-rotate": R("login", post=True, webhook_id="missing"),
    "dockets:webhook-reactivate": R("login", post=True, webhook_id="missing"),
    "dockets:webhook-delete": R("login", post=True, webhook_id="missing"),
    "dockets:webhook-retry": R(
        "login", post=True, webhook_id="missing", delivery_id="missing"
    ),
    "dockets:notice-link": R("any", token="forged-token", document_id="document"),
    "dockets:verify": R("public"),
    "dockets:entry-receipt": R("login", entry_id="entry"),
    "dockets:case-add": R("login", case_id="case"),
    "dockets:pipeline-failures": R("court"),
    "dockets:pipeline-retry": R("court"),
    "dockets:bounces": R("court"),
    # claims
    "dockets:claims-register": R("public", case_id="case"),
    "dockets:claims-csv": R("public", case_id="case"),
    "dockets:claim-file": R("filer", case_id="case"),
    "dockets:epoc": R("public", case_id="case"),
    "dockets:claims-register-legacy": R("any"),  # answers 404 without its query string
    "dockets:epoc-start": R("public"),
    "dockets:epoc-receipt": R("any", token="forged-token"),
    "dockets:epoc-download": R("any", token="forged-token", sequence=0),
    "dockets:my-claims": R("filer"),
    "dockets:claim-transfers": R("clerk"),
    "dockets:claim-transfer-decide": R(
        "clerk", post=True, transfer_id="claim_transfer"
    ),
    "dockets:claims-upload": R("filer"),
    "dockets:claims-upload-spec": R("public"),
    "dockets:claims-upload-batch": R("filer", batch_pk="missing"),
    "cases:preferred-addresses": R("filer"),
    "dockets:claim-detail": R("public", claim_id="claim"),
    "dockets:claim-amend": R("owner", claim_id="claim"),
    "dockets:claim-withdraw": R("owner", claim_id="claim"),
    # Any filer may file a transfer of claim (the transferee), so this is a filer page.
    "dockets:claim-transfer": R("filer", claim_id="claim"),
    "dockets:claim-supplement": R("owner", claim_id="claim"),
    "dockets:claim-correct": R("clerk", claim_id="claim"),
    "dockets:claim-wrong-case": R("clerk", claim_id="claim"),
    "dockets:claim-document": R("public", document_id="missing"),
    # clerk
    "dockets:clerk-dashboard": R("clerk"),
    "dockets:qc-queue": R("clerk"),
    "dockets:qc-review": R("clerk", entry_id="entry"),
    "dockets:qc-document": R("court", document_id="document"),
    "dockets:entry-correct": R("clerk", entry_id="entry"),
    "dockets:entry-visibility": R("clerk", entry_id="entry"),
    "dockets:entry-seal-allow": R("clerk", entry_id="entry"),
    "dockets:entry-seal-revoke": R("clerk", entry_id="entry"),
    "dockets:document-visibility": R("clerk", document_id="document"),
    "dockets:deficiency-new": R("clerk", case_id="case"),
    "dockets:deficiency-report": R("clerk"),
    "dockets:deficiency-action": R("clerk", deficiency_id="missing"),
    "dockets:court-event": R("clerk", case_id="case"),
    "dockets:paper-filing": R("clerk", case_id="case"),
    "dockets:paper-petition": R("clerk"),
    "dockets:audit-case": R("clerk", case_id="case"),
    "dockets:audit-user": R("clerk", user_id="attorney_user"),
    "dockets:orders-to-sign": R("chambers"),
    "dockets:order-sign": R("chambers", document_id="missing"),
    # reports
    "dockets:docket": R("public", case_id="case"),
    "dockets:docket-csv": R("public", case_id="case"),
    "dockets:docket-html": R("public", case_id="case"),
    "dockets:docket-pdf": R("public", case_id="case"),
    "dockets:docket-pdf-status": R("any", token="forged-token"),
    "dockets:docket-pdf-download": R("any", token="forged-token"),
    "dockets:query": R("public", case_id="case"),
    "dockets:mailing-matrix": R("public", case_id="case"),
    "dockets:associated-cases": R("public", case_id="case"),
    "dockets:deadlines": R("public", case_id="case"),
    "dockets:case-search-text": R("public", case_id="case"),
    "dockets:follow": R("login", case_id="case"),
    "dockets:rss-case": R("public", case_id="case"),
    "dockets:search": R("public"),
    "dockets:rss-court": R("public"),
    "dockets:report-index": R("filer"),
    "dockets:report-cases-filed": R("filer"),
    "dockets:report-docket-activity": R("filer"),
    "dockets:report-claims-activity": R("filer"),
    "dockets:report-calendar": R("filer"),
    "dockets:legacy-dktrpt": R("any"),  # answers 404 without its query string
    "dockets:legacy-rss": R("public"),
    "dockets:legacy-iquery": R("any"),  # answers 404 without its query string
    "dockets:legacy-matrix": R("any"),  # answers 404 without its query string
    "dockets:legacy-case-numbers": R("public"),
    "dockets:legacy-mobile-query": R("any"),  # answers 404 without its query string
    "dockets:legacy-show-doc": R("any"),  # answers 404 without its query string
    # Real document ids: tests/dockets/reports/test_legacy_conformance.py (doc1 access).
    "dockets:legacy-doc1": R("any", cmecf_id="036099999999"),
    # API tokens (session pages) and the token-authenticated API
    "dockets:api-tokens": R("login"),
    "dockets:api-token-revoke": R("login", token_id="missing"),
    "dockets:api-reference": R("public"),
    "api-v1:openapi-json": R("any"),
    "api-v1:api-root": R("any"),
    "api-v1:search": R("any"),
    "api-v1:open_case": R("any"),
    "api-v1:case_summary": R("any", case_id="case"),
    "api-v1:case_parties": R("any", case_id="case"),
    "api-v1:list_entries": R("any", case_id="case"),
    "api-v1:document_download": R("any", document_id="document"),
    "api-v1:create_webhook": R("any"),
    "api-v1:list_webhooks": R("any"),
    "api-v1:webhook_deliveries": R("any", webhook_id="missing"),
    "api-v1:delete_webhook": R("any", webhook_id="missing"),
    "api-v1:file_document": R("any", case_id="case"),
    "api-v1:file_claim": R("any", case_id="case"),
    "api-v1:file_claims_batch": R("any", case_id="case"),
    "api-v1:upload_claims": R("any"),
    "api-v1:get_claims_upload": R("any", batch_pk="missing"),
    "api-v1:unknown": R("any", rest="nothing/here"),
    # training
    "training:exercises": R("login"),
    "training:check": R("login"),
    "training:practise": R("login"),
    "training:clerk-trainees": R("clerk"),
    "training:clerk-progress": R("clerk", user_id="trainee_user"),
    "training:reset": R("clerk"),
    "training:practice-login": R("any", token="forged-token"),
}
