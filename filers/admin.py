"""Admin views of users, filers and agent links: for looking, not for decisions.

Certification, suspension, role changes and agent links are audited and mailed
through filers.services, so the admin shows those fields read-only and the clerk's
pages (filers:clerk-queue) are where the decisions are made.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm

from .models import AgentLink, Filer, User
from .permissions import is_court_role


class StaffOnlyForCourtForm(UserChangeForm):
    """Staff status (the admin) is given only to accounts with a court role."""

    def clean_is_staff(self):
        is_staff = self.cleaned_data.get("is_staff")
        filer = self.instance.filer_or_none if self.instance.pk else None
        if is_staff and not (filer is not None and is_court_role(filer.role)):
            raise forms.ValidationError(
                "Staff status is only for clerk's office and chambers accounts."
            )
        return is_staff

    def clean_is_superuser(self):
        value = self.cleaned_data.get("is_superuser")
        filer = self.instance.filer_or_none if self.instance.pk else None
        if value and not (filer is not None and is_court_role(filer.role)):
            raise forms.ValidationError(
                "Superuser status is only for clerk's office accounts."
            )
        return value


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = StaffOnlyForCourtForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Filer)
class FilerAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "status", "bar_number", "bar_state", "created_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "user__full_name", "bar_number"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "role",
        "status",
        "status_reason",
        "status_changed_at",
        "certified_at",
        "certified_by",
        "agreement_accepted_at",
        "created_at",
        "updated_at",
    ]


@admin.register(AgentLink)
class AgentLinkAdmin(admin.ModelAdmin):
    list_display = [
        "agent",
        "principal",
        "may_pay_fees",
        "active",
        "created_at",
        "ended_at",
    ]
    list_filter = ["active", "may_pay_fees"]
    search_fields = ["agent__user__email", "principal__user__email"]
    list_select_related = ["agent__user", "principal__user"]
    readonly_fields = [
        "agent",
        "principal",
        "may_pay_fees",
        "active",
        "ended_at",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
