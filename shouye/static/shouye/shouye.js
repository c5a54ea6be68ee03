// What every page does in script, kept out of the HTML: the Content-Security-Policy (shouye/core/csp.py)
// runs no inline script, event-handler attribute (onclick=, hx-on:) or style attribute.
(function () {
  // htmx would add a <style> element for its indicators (the rules are in shouye.css instead) and evaluate
  // the code of hx-on: attributes and "js:" values, both of which the policy refuses.
  htmx.config.includeIndicatorStyles = false;
  htmx.config.allowEval = false;

  // <select data-submit-on-change>: choosing a value submits its form (the language, the year pickers).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-submit-on-change]")) { event.target.form.submit(); }
  });

  // <button data-remove-row>: removes its table row on the page; without script the button submits and the
  // server drops the row.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) { return; }
    event.preventDefault();
    button.closest("tr").remove();
  });

  // <div class="progress-bar" data-percent="40">: the bar's width, here and in every part htmx swaps in.
  function sizeBars(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-percent]"));
    if (root.matches && root.matches("[data-percent]")) { bars.push(root); }
    bars.forEach(function (bar) { bar.style.width = bar.dataset.percent + "%"; });
  }
  sizeBars(document);
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); });
})();
