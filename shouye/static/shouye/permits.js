/* Permits on the phone (issue 12): the approver's position from navigator.geolocation fills the hidden
   latitude/longitude/accuracy inputs of a signing form when the phone gives it (4.11: the approver is on site;
   nothing is sent when it does not), and the watchperson's validity countdown. No inline script (CSP). */
(function () {
  "use strict";

  function locate(form) {
    var status = form.querySelector("[data-geolocation-status]");
    if (!navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var set = function (suffix, value) {
        var input = form.querySelector("input[name$='" + suffix + "']");
        if (input) { input.value = value; }
      };
      set("latitude", position.coords.latitude.toFixed(6));
      set("longitude", position.coords.longitude.toFixed(6));
      set("accuracy_m", Math.round(position.coords.accuracy));
      if (status) { status.textContent = "📍 " + position.coords.latitude.toFixed(5) + ", " + position.coords.longitude.toFixed(5); }
    }, function () { return; }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  }

  function countdown(element) {
    var end = new Date(element.getAttribute("data-countdown"));
    function tick() {
      var left = Math.floor((end - new Date()) / 1000);
      if (left <= 0) {
        element.textContent = element.getAttribute("data-expired-text");
        element.classList.add("text-danger");
        return;
      }
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      element.textContent = h + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
      if (left < 1800) { element.classList.add("text-danger"); }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.querySelectorAll("form[data-geolocate]").forEach(function (form) {
    form.closest("details") ? form.closest("details").addEventListener("toggle", function () { locate(form); }, {once: true}) : locate(form);
  });
  document.querySelectorAll("[data-countdown]").forEach(countdown);
}());
