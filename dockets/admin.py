"""Admin of the dockets app: the event catalogue the clerk's office maintains.

Entries, documents and payments are records: the admin shows them read-only (what
was filed never changes; clerks correct through the QC screens, which keep revisions).
"""

from django.contrib import admin

from .models import Checkout, DocketEntry, Document, Draft, Event, Payment


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "category",
        "form_number",
        "fee_dollars",
        "pdf",
        "numbered",
        "roles",
        "active",
    ]
    list_filter = ["category", "active", "pdf", "numbered", "bnc", "refers"]
    search_fields = ["name", "code", "form_number", "description"]
    ordering = ["category", "name"]
    readonly_fields = ["search_text", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "category",
                    "form_number",
                    "description",
                    "active",
                ]
            },
        ),
        (
            "Who files it, and where",
            {"fields": ["filer_roles", "case_types", "chapters", "visibility"]},
        ),
        ("Fee", {"fields": ["fee_cents", "fee_exemptions"]}),
        (
            "Documents and references",
            {
                "fields": [
                    "pdf",
                    "attachments",
                    "numbered",
                    "refers",
                    "refer_categories",
                    "needs_party_against",
                ]
            },
        ),
        (
            "Fields, text and deadlines",
            {
                "fields": [
                    "fields",
                    "docket_text",
                    "sets_deadlines",
                    "ends_deadlines",
                    "case_action",
                    "bnc",
                ]
            },
        ),
        ("Record", {"fields": ["search_text", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Fee", ordering="fee_cents")
    def fee_dollars(self, obj: Event) -> str:
        return f"${obj.fee_cents / 100:,.2f}" if obj.fee_cents else ""

    @admin.display(description="Filed by")
    def roles(self, obj: Event) -> str:
        return ", ".join(obj.filer_roles)

    def save_model(self, request, obj, form, change):
        obj.search_text = " ".join(
            [obj.name, obj.code, obj.form_number, obj.category, obj.description]
        ).lower()
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocketEntry)
class DocketEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "number",
        "event",
        "filer_name",
        "filed_at",
        "fee_status",
        "qc_status",
    ]
    list_filter = ["qc_status", "fee_status", "visibility"]
    search_fields = ["text"]
    list_select_related = ["case", "case__office", "case__judge", "event"]
    raw_id_fields = ["case", "event", "filer", "entered_by"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["entry", "sequence", "description", "status", "size", "page_count"]
    list_filter = ["status"]
    list_select_related = [
        "entry",
        "entry__case",
        "entry__case__office",
        "entry__case__judge",
        "entry__event",
    ]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "entry",
        "payer",
        "amount_cents",
        "status",
        "receipt_number",
        "paid_at",
    ]
    list_filter = ["status"]
    list_select_related = [
        "entry",
        "entry__case",
        "entry__case__office",
        "entry__case__judge",
        "entry__event",
        "payer",
    ]


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    list_display = ["pk", "owner", "principal", "case", "status", "step", "expires_at"]
    list_filter = ["status"]


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = [
        "token",
        "payment",
        "amount_cents",
        "status",
        "message",
        "created_at",
    ]
    list_filter = ["status"]
