"""Read-only admin for hazards and tip-offs: every change goes through the services (pages and API), which
check scope and the transition table and write the audit trail."""

from django.contrib import admin

from .models import (
    ExpertVerification,
    Extension,
    GovernancePlan,
    Hazard,
    HazardPhoto,
    ListedSupervision,
    TipOff,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class PhotoInline(ReadOnly, admin.TabularInline):
    model = HazardPhoto
    fields = ("kind", "image", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0


@admin.register(Hazard)
class HazardAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise", "township", "level", "source", "state", "found_at", "deadline",
                    "overdue_since")
    list_filter = ("state", "level", "source", "township", "industry")
    search_fields = ("description", "enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise", "township")
    date_hierarchy = "found_at"
    inlines = [PhotoInline]


@admin.register(GovernancePlan)
class GovernancePlanAdmin(ReadOnlyAdmin):
    list_display = ("hazard", "updated_by", "updated_at")


@admin.register(ListedSupervision)
class ListedSupervisionAdmin(ReadOnlyAdmin):
    list_display = ("hazard", "supervising_leader", "document_number", "listed_at", "lifted_at")


@admin.register(ExpertVerification)
class ExpertVerificationAdmin(ReadOnlyAdmin):
    list_display = ("hazard", "expert", "passed", "verified_at")


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ("hazard", "requested_deadline", "state", "requested_by", "decided_by")
    list_filter = ("state",)


@admin.register(TipOff)
class TipOffAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise_name", "township", "state", "created_at", "ip_address")
    list_filter = ("state",)
    search_fields = ("enterprise_name", "description")
