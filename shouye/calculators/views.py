"""The calculators page (issue 4): major hazard identification, LEC and the risk matrix, the hot-work grade
and the accident grade, for every signed-in user with a role. Each calculator posts its card's form; with
htmx the answer is the card alone, without JavaScript the whole page with that card answered."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views import View

from shouye.rules.major_hazard import load_tables, search_substances

from . import calculations
from .forms import AccidentForm, HotWorkForm, LecForm, RiskMatrixForm, category_choices

SEARCH_LIMIT = 20
#: How many empty inventory rows the major-hazard form offers when it is first shown.
INITIAL_ROWS = 3


class MemberRequiredMixin(LoginRequiredMixin):
    """Signed in and holding at least one active role (a user without a membership is nobody's user)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.active_roles():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _initial_cards() -> dict:
    return {
        "major_hazard": calculations.Outcome(extra={"rows": [calculations.SubstanceRow()] * INITIAL_ROWS,
                                                    "exposed_population": ""}),
        "lec": calculations.Outcome(form=LecForm()),
        "risk_matrix": calculations.Outcome(form=RiskMatrixForm()),
        "hot_work": calculations.Outcome(form=HotWorkForm()),
        "accident": calculations.Outcome(form=AccidentForm()),
    }


def _common_context() -> dict:
    return {"categories": category_choices()}


class CalculatorsPage(MemberRequiredMixin, View):
    """GET: every calculator, empty; ``?q=`` also lists the Table 1 rows found (the search without JS)."""

    def get(self, request):
        query = request.GET.get("q", "").strip()
        context = {**_common_context(), "cards": _initial_cards(), "query": query}
        if query:
            context.update(_search(query))
        return render(request, "calculators/index.html", context)


class CalculatorView(MemberRequiredMixin, View):
    """POST one calculator's form. ``card`` names the card, ``compute`` the calculation."""

    card = ""
    compute = None  # each calculator sets its function from ``calculations``
    template = ""

    def post(self, request):
        outcome = self.compute(request.POST)
        status = 400 if outcome.error else 200
        if request.htmx:
            return render(request, self.template, {**_common_context(), "outcome": outcome}, status=status)
        cards = _initial_cards()
        cards[self.card] = outcome
        return render(request, "calculators/index.html", {**_common_context(), "cards": cards,
                                                          "answered": self.card}, status=status)


class MajorHazardView(CalculatorView):
    card = "major_hazard"
    compute = staticmethod(calculations.major_hazard_identification)
    template = "calculators/_major_hazard.html"

    def post(self, request):
        if "add_row" in request.POST or "remove_row" in request.POST:
            # Without JavaScript, adding or removing a row posts the form: show it again, uncalculated.
            rows = calculations.substance_rows(request.POST)
            if "add_row" in request.POST:
                rows.append(calculations.SubstanceRow())
            cards = _initial_cards()
            cards[self.card] = calculations.Outcome(extra={
                "rows": rows, "exposed_population": request.POST.get("exposed_population", "")})
            return render(request, "calculators/index.html", {**_common_context(), "cards": cards,
                                                              "answered": self.card})
        return super().post(request)


class LecView(CalculatorView):
    card = "lec"
    compute = staticmethod(calculations.lec)
    template = "calculators/_lec.html"


class RiskMatrixView(CalculatorView):
    card = "risk_matrix"
    compute = staticmethod(calculations.risk_matrix)
    template = "calculators/_risk_matrix.html"


class HotWorkView(CalculatorView):
    card = "hot_work"
    compute = staticmethod(calculations.hot_work)
    template = "calculators/_hot_work.html"


class AccidentView(CalculatorView):
    card = "accident"
    compute = staticmethod(calculations.accident)
    template = "calculators/_accident.html"


def _search(query: str) -> dict:
    """Table 1 rows whose name, alias or CAS number contains ``query``, and Table 2 categories whose symbol
    starts with it or whose class or description contains it (GB 18218-2018)."""
    needle = query.strip().lower()
    categories = [c for c in load_tables().categories.values()
                  if needle and (c.symbol.lower().startswith(needle) or needle in c.hazard_class.lower()
                                 or needle in c.description.lower())]
    return {"substances": search_substances(query, limit=SEARCH_LIMIT), "found_categories": categories}


class SubstanceSearchView(MemberRequiredMixin, View):
    """The htmx search box: matching Table 1 rows and Table 2 categories, each with an "Add" button."""

    def get(self, request):
        query = request.GET.get("q", "").strip()
        return render(request, "calculators/_substance_results.html", {"query": query, **_search(query)})


class SubstanceRowView(MemberRequiredMixin, View):
    """One more inventory row (htmx), filled with the substance or the category picked in the search."""

    def get(self, request):
        row = calculations.SubstanceRow(substance=request.GET.get("substance", ""),
                                        category=request.GET.get("category", ""))
        return render(request, "calculators/_substance_row.html", {**_common_context(), "row": row})
