/* Incidents (issue 14): each open clock counts down to its due time and turns red when it passes; the intake
   form's "use my position" fills latitude and longitude from the phone. No inline script (CSP). */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function countdown(element) {
    var due = new Date(element.getAttribute("data-due"));
    function tick() {
      var left = Math.floor((due - new Date()) / 1000);
      if (left <= 0) {
        element.textContent = element.getAttribute("data-overdue-text");
        element.classList.add("text-danger");
        var row = element.closest("[data-clock]");
        if (row) { row.classList.add("list-group-item-danger"); }
        return;
      }
      var days = Math.floor(left / 86400), hours = Math.floor((left % 86400) / 3600);
      var text = pad(hours) + ":" + pad(Math.floor((left % 3600) / 60)) + ":" + pad(left % 60);
      element.textContent = days > 0 ? days + "d " + text : text;
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function locate(button) {
    var form = button.closest("form");
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("input[name='latitude']").value = position.coords.latitude.toFixed(6);
        form.querySelector("input[name='longitude']").value = position.coords.longitude.toFixed(6);
      }, function () { return; }, {enableHighAccuracy: true, timeout: 10000});
    });
  }

  document.querySelectorAll("[data-due]").forEach(countdown);
  document.querySelectorAll("[data-locate]").forEach(locate);
}());
