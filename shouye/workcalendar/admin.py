from django.contrib import admin

from .models import WorkCalendarDay, WorkCalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: a year is added through the calendar page, whose service writes the audit trail."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkCalendarDayInline(admin.TabularInline):
    model = WorkCalendarDay
    fields = ("date", "is_workday", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "announced_on", "note", "created_by", "created_at")
    list_filter = ("source",)
    list_select_related = ("created_by",)
    inlines = [WorkCalendarDayInline]


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "is_workday", "note", "calendar_year")
    list_filter = ("is_workday", "calendar_year")
    date_hierarchy = "date"
    list_select_related = ("calendar_year",)
