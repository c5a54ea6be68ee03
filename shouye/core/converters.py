"""The path converter of every id in a page's URL (``<id:pk>``, ARCHITECTURE.md §10; issue 9, item 5): digits
whose number the database can compare with. A longer number (``/hazards/99999999999999999999/``) matches no
route, so it answers 404 before any view runs, like any id that does not exist. A test refuses Django's
unbounded ``<int:…>`` in the project's URLs."""

from shouye.core.bounds import DB_INTEGER_MAX


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > DB_INTEGER_MAX:
            raise ValueError(f"{value} is beyond the database's integer range")
        return number

    def to_url(self, value) -> str:
        return str(value)
