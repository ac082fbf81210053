"""The clerk's office edits exercises here: a fixed check kind, its parameters, roles."""

from django import forms
from django.contrib import admin

from filers.models import Role

from .check_kinds import CHECK_KIND_CHOICES, KINDS
from .models import Exercise, ExerciseResult, PracticeAccount, TrainingReset


def _params_help() -> str:
    lines = []
    for kind in KINDS.values():
        params = ", ".join(
            f"{name} ({'required' if required else 'optional'}: {meaning})"
            for name, (_, required, meaning) in kind.params.items()
        )
        lines.append(f"{kind.code}: {params}")
    return "A JSON object. Parameters per kind — " + "; ".join(lines)


class ExerciseForm(forms.ModelForm):
    check_kind = forms.ChoiceField(choices=CHECK_KIND_CHOICES)
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Exercise
        fields = [
            "code",
            "title",
            "instructions",
            "check_kind",
            "params",
            "roles",
            "order",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["params"].help_text = _params_help()


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseForm
    list_display = ["order", "title", "check_kind", "roles", "active"]
    list_display_links = ["title"]
    list_filter = ["active", "check_kind"]


@admin.register(ExerciseResult)
class ExerciseResultAdmin(admin.ModelAdmin):
    list_display = ["user", "exercise", "passed", "passed_at", "checked_at"]
    list_filter = ["passed", "exercise"]
    list_select_related = ["user", "exercise"]
    search_fields = ["user__email"]
    readonly_fields = [
        "user",
        "exercise",
        "passed",
        "passed_at",
        "missing",
        "checked_at",
        "evidence",
    ]


@admin.register(PracticeAccount)
class PracticeAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "link_sent_at", "training_complete_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]


@admin.register(TrainingReset)
class TrainingResetAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at", "trigger", "status", "finished_at", "accounts"]
    readonly_fields = [
        "status",
        "trigger",
        "requested_by",
        "started_at",
        "finished_at",
        "accounts",
        "error_message",
    ]
