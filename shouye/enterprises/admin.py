from django.contrib import admin

from .models import Enterprise, Industry, SupervisionGrade, Tag


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Read-mostly: changes go through the pages and the API, whose services write the audit trail."""

    list_display = ("name", "credit_code", "township", "industry", "supervision_grade", "status")
    list_filter = ("industry", "supervision_grade", "status")
    search_fields = ("name", "credit_code")
    list_select_related = ("township", "industry", "supervision_grade")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisionGrade)
class SupervisionGradeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "meaning", "inspections_per_year")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "order")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
