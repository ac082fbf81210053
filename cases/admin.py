"""Admin for the court's own data: offices, judges, trustees, rotations and case flags.

Cases and parties change through docket events, so they are read-only here, and the
encrypted taxpayer number is never shown.
"""

from django.contrib import admin

from .models import (
    AssignmentRotation,
    Case,
    CaseFlagType,
    Court,
    Judge,
    Office,
    Party,
    Trustee,
)


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "court"]


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = ["name", "initials", "active"]
    list_filter = ["active"]


@admin.register(Trustee)
class TrusteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["offices"]


@admin.register(AssignmentRotation)
class AssignmentRotationAdmin(admin.ModelAdmin):
    list_display = ["office", "chapter", "next_judge_index", "next_trustee_index"]
    filter_horizontal = ["judges", "trustees"]


@admin.register(CaseFlagType)
class CaseFlagTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "set_by", "cleared_by", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case_type", "chapter", "status", "date_filed"]
    list_filter = ["case_type", "chapter", "status"]
    search_fields = ["title"]
    list_select_related = ["office", "judge"]


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    list_display = ["name", "role", "case", "terminated_on"]
    list_filter = ["role"]
    search_fields = ["name"]
    list_select_related = ["case", "case__office", "case__judge"]
    exclude = ["tax_id_encrypted"]
    readonly_fields = ["masked_tax_id"]
