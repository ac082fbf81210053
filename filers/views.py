"""Filer pages: registration status, the filing menu, account, agents, the clerk's review."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import UserFacingError
from core.models import AuditEvent

from . import accounts, decisions, hooks, services
from . import agents as agent_links
from .forms import (
    AccountForm,
    AgentFeesForm,
    AgentLinkForm,
    ReasonForm,
    RegistrationDetailsForm,
    RoleChangeForm,
    apply_service_error,
)
from .http import AuthedRequest
from .models import AnyUser, Filer, Role, User
from .permissions import (
    access_filer_for_clerk,
    filing_blockers,
    has_mfa,
    holds_role,
    is_clerk,
    needs_mfa_setup,
)
from .selectors import (
    agent_links_for,
    filers_for_clerk,
    principal_links_for,
    registration_progress,
)

# What a filer may start from the menu. Each item names the URL names it may live at
# (the first that exists wins), so an item appears once the area that serves it lands.
MENU_ITEMS: list[dict[str, Any]] = [
    {
        "label": "File a document in an existing case",
        "urls": ["dockets:filing-start"],
        "roles": None,
    },
    {
        "label": "Open a bankruptcy case",
        "urls": ["dockets:case-open"],
        "roles": [Role.ATTORNEY, Role.FILING_AGENT],
    },
    {
        "label": "Open an adversary proceeding or file a proof of claim (find the case first)",
        "urls": ["cases:search"],
        "roles": [
            Role.ATTORNEY,
            Role.FILING_AGENT,
            Role.CREDITOR,
            Role.TRUSTEE,
            Role.US_TRUSTEE,
        ],
    },
    {
        "label": "Your filings",
        "urls": ["dockets:filing-log"],
        "roles": None,
    },
    {
        "label": "Fees due",
        "urls": ["dockets:fees-due"],
        "roles": None,
    },
    {
        "label": "Review new filings (quality control)",
        "urls": ["dockets:qc-queue"],
        "roles": [Role.CLERK],
    },
    {
        "label": "Orders to sign",
        "urls": ["dockets:orders-to-sign"],
        "roles": [Role.JUDGE],
    },
]


def _reverse_first(names: list[str]) -> str:
    """The item's page (one URL name per item; reverse() fails loudly on a typo)."""
    (name,) = names
    return reverse(name)


def menu_links(user: AnyUser) -> list[dict]:
    """The menu items `user`'s role may use whose pages exist, as {label, url}."""
    links = []
    for item in MENU_ITEMS:
        if item["roles"] is not None and not holds_role(user, *item["roles"]):
            continue
        url = _reverse_first(item["urls"])
        if url:
            links.append({"label": item["label"], "url": url})
    return links


def clerk_required(view):
    """Clerk pages: others get 404; a clerk without two-factor sets it up first."""

    @wraps(view)
    @login_required
    def wrapped(request: AuthedRequest, *args, **kwargs) -> HttpResponse:
        if needs_mfa_setup(request.user, Role.CLERK):
            messages.warning(
                request,
                "Set up two-factor authentication before using the clerk's pages.",
            )
            return redirect("mfa_activate_totp")
        if not is_clerk(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# -- registrant and filer pages ------------------------------------------------------


@require_GET
def agreement(request: HttpRequest) -> HttpResponse:
    return render(request, "filers/agreement_detail.html")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register for a filing role: new people sign up; a logged-in user picks a role."""
    if not request.user.is_authenticated:
        return redirect("account_signup")
    if request.user.filer_or_none is not None:
        return redirect("filers:status")
    form = RegistrationDetailsForm(
        request.POST or None, initial={"full_name": request.user.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.register_filer(user=request.user, data=form.registration)
        except UserFacingError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "Your registration was received.")
            return redirect("filers:status")
    return render(request, "filers/registration_form.html", {"form": form})


def _training_steps(user: User) -> tuple[list[tuple[str, bool]], list[str]]:
    steps = registration_progress([user])[user.pk]
    unmet: list[str] = []
    for requirement in hooks.certification_requirements():
        unmet.extend(requirement(user))
    return steps, unmet


@login_required
@require_GET
def status(request: AuthedRequest) -> HttpResponse:
    """Where the registration stands: e-mail, agreement, training, the clerk's decision."""
    user = request.user
    filer = user.filer_or_none
    if filer is None:
        return render(request, "filers/status_detail.html", {"filer": None})
    steps, unmet = (
        _training_steps(user) if filer.status == Filer.Status.PENDING else ([], [])
    )
    todo = [title for title, done in steps if not done]
    context = {
        "filer": filer,
        "email_confirmed": EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists(),
        "steps_done": [title for title, done in steps if done],
        "steps_todo": todo,
        # Requirements that are not one of the listed steps (the same exercise may
        # be named by both the progress and the requirement hooks).
        "unmet": [item for item in unmet if not any(title in item for title in todo)],
        "has_mfa": has_mfa(user),
    }
    return render(request, "filers/status_detail.html", context)


@login_required
@require_GET
def menu(request: AuthedRequest) -> HttpResponse:
    """What the user may do now, or exactly why they can't file yet and how to fix it."""
    user = request.user
    filer = user.filer_or_none
    blockers = filing_blockers(user)
    fixes = []
    if filer is None:
        fixes.append(
            {"label": "Register as a filer", "url": reverse("filers:register")}
        )
    elif filer.status in (Filer.Status.PENDING, Filer.Status.REFUSED):
        fixes.append(
            {
                "label": "See where your registration stands",
                "url": reverse("filers:status"),
            }
        )
    elif filer.status == Filer.Status.CERTIFIED and not has_mfa(user):
        fixes.append(
            {
                "label": "Set up two-factor authentication",
                "url": reverse("mfa_activate_totp"),
            }
        )
    context = {
        "filer": filer,
        "blockers": blockers,
        "fixes": fixes,
        "links": menu_links(user) if not blockers else [],
        "is_principal": filer is not None and filer.role in services.PRINCIPAL_ROLES,
        "is_agent": filer is not None and filer.role == Role.FILING_AGENT,
        "is_clerk": is_clerk(user),
    }
    return render(request, "filers/menu_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthedRequest) -> HttpResponse:
    """The filer's own name, contact details and notice preferences."""
    filer = request.user.filer_or_none
    if filer is None:
        return redirect("filers:register")
    form = AccountForm(request.POST or None, initial=AccountForm.initial_for(filer))
    if request.method == "POST" and form.is_valid():
        try:
            accounts.update_account(
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                details=form.details(),
            )
        except UserFacingError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, "Your account details were saved.")
            return redirect("filers:account")
    return render(request, "filers/account_form.html", {"form": form, "filer": filer})


@login_required
@require_GET
def agents(request: AuthedRequest) -> HttpResponse:
    """An attorney's or trustee's filing agents; an agent's principals."""
    filer = request.user.filer_or_none
    context: dict[str, Any] = {
        "filer": filer,
        "is_principal": filer is not None and filer.role in services.PRINCIPAL_ROLES,
        "is_agent": filer is not None and filer.role == Role.FILING_AGENT,
        "link_form": AgentLinkForm(),
    }
    if filer is not None and context["is_principal"]:
        context["links"] = agent_links_for(filer)
    elif filer is not None and context["is_agent"]:
        context["links"] = principal_links_for(filer)
    return render(request, "filers/agent_list.html", context)


@login_required
@require_POST
def agent_link(request: AuthedRequest) -> HttpResponse:
    form = AgentLinkForm(request.POST)
    if form.is_valid():
        try:
            link = agent_links.link_agent(
                principal=request.user,
                agent_email=form.cleaned_data["agent_email"],
                may_pay_fees=form.cleaned_data["may_pay_fees"],
            )
        except UserFacingError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, f"{link.agent.user.get_full_name()} can now file for you."
            )
            return redirect("filers:agents")
    filer = request.user.filer_or_none
    is_principal = filer is not None and filer.role in services.PRINCIPAL_ROLES
    context = {
        "filer": filer,
        "is_principal": is_principal,
        "is_agent": filer is not None and filer.role == Role.FILING_AGENT,
        "link_form": form,
        "links": agent_links_for(filer)
        if filer is not None and is_principal
        else principal_links_for(filer)
        if filer
        else [],
    }
    return render(request, "filers/agent_list.html", context, status=400)


@login_required
@require_POST
def agent_fees(request: AuthedRequest, link_id: int) -> HttpResponse:
    form = AgentFeesForm(request.POST)
    form.is_valid()
    may_pay = bool(form.cleaned_data.get("may_pay_fees"))
    try:
        link = agent_links.set_agent_fee_permission(
            principal=request.user, link_id=link_id, may_pay_fees=may_pay
        )
    except UserFacingError as error:
        messages.error(request, error.message)
    else:
        who = link.agent.user.get_full_name()
        messages.success(
            request, f"{who} {'may' if may_pay else 'may not'} pay filing fees for you."
        )
    return redirect("filers:agents")


@login_required
@require_POST
def agent_unlink(request: AuthedRequest, link_id: int) -> HttpResponse:
    try:
        link = agent_links.unlink_agent(principal=request.user, link_id=link_id)
    except UserFacingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{link.agent.user.get_full_name()} can no longer file for you."
        )
    return redirect("filers:agents")


# -- the clerk's pages -----------------------------------------------------------------

PAGE_SIZE = 50


@clerk_required
@require_GET
def clerk_queue(request: AuthedRequest) -> HttpResponse:
    """Registrations waiting for the clerk, oldest first, with what each has done."""
    page = Paginator(filers_for_clerk(status=Filer.Status.PENDING), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filers = list(page.object_list)
    progress = registration_progress([f.user for f in filers])
    rows = [
        {
            "filer": f,
            "done": sum(1 for _, done in progress[f.user_id] if done),
            "total": len(progress[f.user_id]),
        }
        for f in filers
    ]
    return render(
        request, "filers/registration_queue.html", {"page": page, "rows": rows}
    )


@clerk_required
@require_GET
def clerk_filers(request: AuthedRequest) -> HttpResponse:
    """Every filer, searchable, for suspending, reinstating or revoking."""
    status_filter = request.GET.get("status", "")
    if status_filter not in Filer.Status.values:
        status_filter = ""
    query = request.GET.get("q", "").strip()[:200]
    page = Paginator(
        filers_for_clerk(status=status_filter, query=query), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "filers/filer_list.html",
        {
            "page": page,
            "status_filter": status_filter,
            "query": query,
            "statuses": Filer.Status.choices,
        },
    )


def _clerk_detail_context(filer: Filer, **forms) -> dict:
    steps, unmet = ([], [])
    if filer.status == Filer.Status.PENDING:
        steps = registration_progress([filer.user])[filer.user_id]
        unmet = services.unmet_certification_requirements(filer.user)
    history = (
        AuditEvent.objects.filter(target_type="filers.Filer", target_id=str(filer.pk))
        .select_related("actor")
        .order_by("created_at")
    )
    return {
        "filer": filer,
        "steps": steps,
        "unmet": unmet,
        "email_confirmed": EmailAddress.objects.filter(
            user=filer.user, verified=True
        ).exists(),
        "history": history,
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "role_form": forms.get("role_form")
        or RoleChangeForm(initial={"role": filer.role}),
        "links": principal_links_for(filer)
        if filer.role == Role.FILING_AGENT
        else agent_links_for(filer),
    }


@clerk_required
@require_GET
def clerk_filer(request: AuthedRequest, filer_id: int) -> HttpResponse:
    filer = access_filer_for_clerk(request.user, filer_id)
    return render(request, "filers/filer_detail.html", _clerk_detail_context(filer))


DECISIONS: dict[str, tuple[Callable[..., object], bool, str]] = {
    "certify": (
        decisions.certify_filer,
        False,
        "The registration was approved and the filer told by e-mail.",
    ),
    "refuse": (
        decisions.refuse_filer,
        True,
        "The registration was refused and the registrant told by e-mail.",
    ),
    "suspend": (
        decisions.suspend_filer,
        True,
        "The filer was suspended and told by e-mail.",
    ),
    "reinstate": (
        decisions.reinstate_filer,
        False,
        "The filer was reinstated and told by e-mail.",
    ),
    "revoke": (
        decisions.revoke_filer,
        True,
        "The filer's rights were revoked and the filer told by e-mail.",
    ),
}


@clerk_required
@require_POST
def clerk_decide(request: AuthedRequest, filer_id: int, decision: str) -> HttpResponse:
    """Certify, refuse, suspend, reinstate or revoke one filer."""
    filer = access_filer_for_clerk(request.user, filer_id)
    if decision not in DECISIONS:
        raise Http404
    service, needs_reason, done = DECISIONS[decision]
    form = ReasonForm(request.POST)
    kwargs: dict[str, str] = {}
    if needs_reason:
        if not form.is_valid():
            return render(
                request,
                "filers/filer_detail.html",
                _clerk_detail_context(filer, reason_form=form),
                status=400,
            )
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(filer=filer, actor=request.user, **kwargs)
    except UserFacingError as error:
        messages.error(request, error.message)
        return redirect("filers:clerk-filer", filer_id=filer.pk)
    messages.success(request, done)
    if decision in ("certify", "refuse"):
        return redirect("filers:clerk-queue")
    return redirect("filers:clerk-filer", filer_id=filer.pk)


@clerk_required
@require_POST
def clerk_change_role(request: AuthedRequest, filer_id: int) -> HttpResponse:
    filer = access_filer_for_clerk(request.user, filer_id)
    form = RoleChangeForm(request.POST)
    if form.is_valid():
        try:
            decisions.change_filer_role(
                filer=filer,
                actor=request.user,
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
            )
        except UserFacingError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, "The role was changed and the filer told by e-mail."
            )
            return redirect("filers:clerk-filer", filer_id=filer.pk)
    return render(
        request,
        "filers/filer_detail.html",
        _clerk_detail_context(filer, role_form=form),
        status=400,
    )
