"""Checklists and document numbering are edited here by bureau administrators. Editing a checklist raises
its version; inspections already started keep the items they copied. Inspections, plans and documents are
read-only: they change through the services (pages and API), which check scope and write the audit trail."""

from django.contrib import admin

from .models import Checklist, ChecklistItem, Document, DocumentSequence, Inspection, InspectionPlan


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ("order", "text", "legal_basis", "default_level", "category")
    extra = 1


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "industry", "version", "is_active", "updated_at")
    list_filter = ("is_active", "industry")
    search_fields = ("name", "code", "description")
    readonly_fields = ("version", "updated_at")
    inlines = [ChecklistItemInline]

    def save_related(self, request, form, formsets, change):
        """A change to the checklist or any of its items is a new version."""
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(formset.has_changed() for formset in formsets)):
            checklist = form.instance
            checklist.version += 1
            checklist.save(update_fields=["version", "updated_at"])


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    """The number template per document kind and year is editable; the last number is not (numbers are
    handed out by the service, without gaps)."""

    list_display = ("kind", "year", "prefix_template", "last_number")
    list_filter = ("kind", "year")
    readonly_fields = ("last_number",)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("id", "enterprise", "kind", "inspected_at", "state", "checklist_name", "checklist_version")
    list_filter = ("kind", "state", "township")
    search_fields = ("enterprise__name", "subject")
    list_select_related = ("enterprise",)
    date_hierarchy = "inspected_at"


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ("year", "enterprise", "township", "inspections_due", "squad", "officer")
    list_filter = ("year", "township", "squad")
    search_fields = ("enterprise__name",)
    list_select_related = ("enterprise", "township", "squad", "officer")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "year", "serial", "inspection", "issued_by", "issued_at")
    list_filter = ("kind", "year")
    search_fields = ("number",)
