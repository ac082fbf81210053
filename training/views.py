"""Training pages: on live, exercises, checks, practice links and the clerk's pages;
on the training instance, the one-time link that sets a practice password."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import Filer, User
from filers.views import clerk_required

from .checks import exercises_for_role, registration_progress, training_url
from .models import ExerciseResult, PracticeAccount, TrainingReset
from .permissions import access_trainee_for_clerk
from .services import (
    check_exercises,
    create_practice_account,
    request_training_reset,
    set_practice_password,
    user_for_practice_token,
)

UNREACHABLE = (
    "The training system cannot be reached right now, so nothing was changed. "
    "Try again in a few minutes."
)


def live_only(view):
    """Pages of the live instance: the training instance answers 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.ECF_IS_TRAINING:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _rows(user: User) -> list[dict]:
    exercises = list(exercises_for_role(user.role))
    results = {
        r.exercise_id: r
        for r in ExerciseResult.objects.filter(user=user, exercise__in=exercises)
    }
    return [{"exercise": e, "result": results.get(e.pk)} for e in exercises]


@live_only
@login_required
@require_GET
def exercises(request: AuthedRequest) -> HttpResponse:
    """The exercises of the user's role, each with its status and what is missing."""
    user = request.user
    rows = _rows(user) if user.filer_or_none else []
    context = {
        "filer": user.filer_or_none,
        "rows": rows,
        "passed": sum(1 for r in rows if r["result"] and r["result"].passed),
        "account": PracticeAccount.objects.filter(user=user).first(),
        "training_site": settings.ECF_TRAINING_URL,
        "training_login": training_url("/accounts/login/"),
    }
    return render(request, "training/exercise_list.html", context)


@live_only
@login_required
@require_POST
def check(request: AuthedRequest) -> HttpResponse:
    """Check the user's exercises now against what they did on training."""
    try:
        results = check_exercises(user=request.user)
    except OperationalError:
        messages.error(request, UNREACHABLE)
        return redirect("training:exercises")
    if not results:
        messages.info(request, "Your role has no training exercises.")
    else:
        done = sum(1 for r in results if r.passed)
        messages.success(
            request, f"Checked just now: {done} of {len(results)} exercises passed."
        )
    return redirect("training:exercises")


@live_only
@login_required
@require_http_methods(["GET", "POST"])
def practise(request: AuthedRequest) -> HttpResponse:
    """Get (or reuse) a practice account on training; the link arrives by e-mail."""
    user = request.user
    account = PracticeAccount.objects.filter(user=user).first()
    if request.method == "POST":
        try:
            create_practice_account(user)
        except UserFacingError as exc:
            messages.error(request, exc.message)
        except OperationalError:
            messages.error(request, UNREACHABLE)
        else:
            messages.success(
                request,
                f"We sent a one-time link to {user.email} (it is also in your inbox). "
                "Open it to choose the practice account's password, then practise on "
                "the training system.",
            )
            return redirect("training:exercises")
    context = {
        "account": account,
        "filer": user.filer_or_none,
        "training_site": settings.ECF_TRAINING_URL,
    }
    return render(request, "training/practice_form.html", context)


PAGE_SIZE = 50


@live_only
@clerk_required
@require_GET
def clerk_trainees(request: AuthedRequest) -> HttpResponse:
    """Pending registrations with training: who is done, who is still practising."""
    filers = (
        Filer.objects.filter(status=Filer.Status.PENDING)
        .select_related("user", "user__practice_account")
        .order_by("created_at", "pk")
    )
    page = Paginator(filers, PAGE_SIZE).get_page(request.GET.get("page"))
    users = [f.user for f in page.object_list]
    progress = registration_progress(users)
    rows = []
    for filer in page.object_list:
        steps = progress.get(filer.user_id, [])
        account = getattr(filer.user, "practice_account", None)
        rows.append(
            {
                "filer": filer,
                "done": sum(1 for _, ok in steps if ok),
                "total": len(steps),
                "complete": bool(account and account.training_complete_at),
                "account": account,
            }
        )
    return render(request, "training/trainee_list.html", {"page": page, "rows": rows})


@live_only
@clerk_required
@require_GET
def clerk_progress(request: AuthedRequest, user_id: int) -> HttpResponse:
    """One trainee's exercises, with links to their practice filings on training."""
    trainee = access_trainee_for_clerk(request.user, user_id)
    rows = _rows(trainee)
    context = {
        "trainee": trainee,
        "rows": rows,
        "passed": sum(1 for r in rows if r["result"] and r["result"].passed),
        "account": PracticeAccount.objects.filter(user=trainee).first(),
    }
    return render(request, "training/progress_detail.html", context)


@live_only
@clerk_required
@require_http_methods(["GET", "POST"])
def reset(request: AuthedRequest) -> HttpResponse:
    """Reset the training database to its seed now (queued; the status shows here)."""
    if request.method == "POST":
        row = request_training_reset(
            actor=request.user, trigger=TrainingReset.Trigger.CLERK
        )
        messages.success(
            request,
            f"Reset {row.pk} is {row.get_status_display().lower()}. Trainees keep their "
            "progress and passwords; their practice filings are removed.",
        )
        return redirect("training:reset")
    resets = TrainingReset.objects.select_related("requested_by")[:20]
    return render(request, "training/reset_form.html", {"resets": resets})


@require_http_methods(["GET", "POST"])
def practice_login(request: HttpRequest, token: str) -> HttpResponse:
    """Training instance: a one-time link that sets the practice password and logs in."""
    if not settings.ECF_IS_TRAINING:
        raise Http404
    try:
        trainee = user_for_practice_token(token)
    except UserFacingError as exc:
        context = {"error": exc.message, "live_url": settings.ECF_LIVE_URL}
        return render(request, "training/practice_login.html", context, status=400)
    form = SetPasswordForm(trainee, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainee = set_practice_password(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except UserFacingError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, trainee, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                "Your practice password is set. Everything you do here is practice.",
            )
            return redirect("core:home")
    return render(
        request, "training/practice_login.html", {"form": form, "trainee": trainee}
    )
