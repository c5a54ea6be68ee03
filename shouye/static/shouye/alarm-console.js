/* The enterprise's duty console (issue 13): polls /monitoring/console/feed/ every few seconds for the alarms
   changed since its cursor, keeps the live ones on screen (most severe, newest first), sounds a short beep
   (WebAudio, no file, no CDN) when a new alarm arrives, and sends acknowledge / handle to the alarms API so
   the duty person stays on the console. Without JavaScript the forms post to the alarm's page. No inline
   script: the CSP of decision 0007. */
(function () {
  "use strict";
  var box = document.getElementById("console-alarms");
  if (!box) { return; }
  var POLL_MS = 5000;
  var SEVERITY = { red: 0, orange: 1, yellow: 2, blue: 3 };
  var BADGE = { red: "text-bg-danger", orange: "text-bg-warning", yellow: "text-bg-warning", blue: "text-bg-primary" };
  var cursor = box.dataset.cursor;
  var rows = {};
  var sound = false;
  var audio = null;
  var status = document.querySelector("[data-console-status]");
  var counter = document.querySelector("[data-console-count]");
  var soundButton = document.querySelector("[data-console-sound]");
  var label = function (key) { return box.dataset["label" + key] || key; };
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function beep() {
    if (!sound || !audio) { return; }
    [0, 0.35].forEach(function (offset) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "square";
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(audio.currentTime + offset);
      osc.stop(audio.currentTime + offset + 0.2);
    });
  }

  if (soundButton) {
    soundButton.addEventListener("click", function () {
      sound = !sound;
      if (sound && !audio && (window.AudioContext || window.webkitAudioContext)) {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      }
      if (audio && audio.state === "suspended") { audio.resume(); }
      soundButton.setAttribute("aria-pressed", String(sound));
      soundButton.textContent = sound ? label("SoundOff") : label("SoundOn");
      if (sound) { beep(); }
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function field(row, name, key, type) {
    var id = name + "-" + row.id;
    var wrap = document.createDocumentFragment();
    wrap.appendChild(el("label", { "class": "form-label", "for": id }, label(key)));
    var input = type === "file"
      ? el("input", { "class": "form-control mb-2", type: "file", name: "handle-" + name, id: id, accept: "image/*",
                      capture: "environment", multiple: "" })
      : el("textarea", { "class": "form-control mb-2", rows: "2", name: "handle-" + name, id: id, maxlength: "2000" });
    wrap.appendChild(input);
    return wrap;
  }

  function card(row) {
    var node = el("div", { "class": "card mb-3 alarm-card alarm-card-" + row.level, "data-alarm": row.id,
                           "data-state": row.state });
    var body = node.appendChild(el("div", { "class": "card-body" }));
    var head = body.appendChild(el("div", { "class": "d-flex flex-wrap gap-1 align-items-center mb-2" }));
    head.appendChild(el("span", { "class": "badge alarm-level-" + row.level + " " + BADGE[row.level] }, row.level_display));
    head.appendChild(el("span", { "class": "badge text-bg-secondary" }, row.state_display));
    if (row.overdue) { head.appendChild(el("span", { "class": "badge text-bg-danger" }, label("Overdue"))); }
    head.appendChild(el("small", { "class": "text-muted ms-auto" }, row.raised_at));
    body.appendChild(el("a", { "class": "h5 d-block text-decoration-none", href: row.url },
                        row.what + (row.times > 1 ? " ×" + row.times : "")));
    body.appendChild(el("div", { "class": "text-muted" }, row.where + (row.value ? " · " + row.value : "")));
    var acts = body.appendChild(el("div", { "class": "d-grid gap-2 d-sm-flex mt-3" }));
    if (row.state === "raised") {
      var ack = acts.appendChild(el("form", { method: "post", action: row.acknowledge_url,
                                              "data-console-act": "acknowledge", "data-api": row.api_url }));
      ack.appendChild(el("button", { "class": "btn btn-danger btn-lg w-100 py-3", type: "submit" },
                         label("Acknowledge")));
    }
    if (row.state === "raised" || row.state === "acknowledged") {
      var details = acts.appendChild(el("details", { "class": "flex-grow-1" }));
      details.appendChild(el("summary", { "class": "btn btn-primary btn-lg w-100 py-3" }, label("Handle")));
      var form = details.appendChild(el("form", { "class": "mt-2", method: "post", action: row.handle_url,
                                                  enctype: "multipart/form-data", "data-console-act": "handle",
                                                  "data-api": row.api_url }));
      form.appendChild(field(row, "cause", "Cause"));
      form.appendChild(field(row, "measures", "Measures"));
      form.appendChild(field(row, "photos", "Photos", "file"));
      form.appendChild(el("button", { "class": "btn btn-primary btn-lg w-100 py-3", type: "submit" }, label("Start")));
    }
    if (row.state === "handling") {
      acts.appendChild(el("a", { "class": "btn btn-outline-primary btn-lg w-100 py-3", href: row.url },
                          label("Continue")));
    }
    return node;
  }

  function render() {
    var live = Object.keys(rows).map(function (id) { return rows[id]; });
    live.sort(function (a, b) {
      return (SEVERITY[a.level] - SEVERITY[b.level]) || (b.id - a.id);
    });
    var open = box.querySelector("details[open]");
    var keep = open ? open.closest("[data-alarm]") : null;
    box.replaceChildren.apply(box, live.map(function (row) {
      if (keep && String(row.id) === keep.dataset.alarm && keep.dataset.state === row.state) { return keep; }
      return card(row);
    }));
    if (counter) { counter.textContent = String(live.length); }
  }

  function merge(list, announce) {
    var arrived = false;
    list.forEach(function (row) {
      var known = rows[row.id];
      if (!row.active) { delete rows[row.id]; return; }
      if (!known && row.state === "raised") { arrived = true; }
      rows[row.id] = row;
    });
    if (arrived && announce) { beep(); }
  }

  function poll() {
    fetch(box.dataset.feed + "?since=" + encodeURIComponent(cursor), { credentials: "same-origin",
                                                                         headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        cursor = data.cursor;
        merge(data.alarms, true);
        render();
        if (status) { status.classList.remove("text-danger"); }
      })
      .catch(function () {
        if (status) { status.textContent = label("Offline"); status.classList.add("text-danger"); }
      })
      .finally(function () { window.setTimeout(poll, POLL_MS); });
  }

  box.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-console-act]");
    if (!form) { return; }
    event.preventDefault();
    var act = form.dataset.consoleAct;
    var body = new FormData();
    if (act === "handle") {
      body.append("cause", form.elements["handle-cause"].value);
      body.append("measures", form.elements["handle-measures"].value);
      Array.prototype.forEach.call(form.elements["handle-photos"].files, function (file) { body.append("photos", file); });
    }
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
    fetch(form.dataset.api + act + "/", { method: "POST", body: body, credentials: "same-origin",
                                         headers: { "X-CSRFToken": csrf, Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.detail || JSON.stringify(data)); }
        });
      })
      .then(function () {
        var details = form.closest("details");
        if (details) { details.open = false; }
        return fetch(box.dataset.feed + "?since=" + encodeURIComponent(cursor), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) { cursor = data.cursor; merge(data.alarms, false); render(); });
      })
      .catch(function (error) {
        window.alert(label("Failed") + " " + error.message);
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = false; });
      });
  });

  fetch(box.dataset.feed, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) { rows = {}; merge(data.alarms, false); render(); })
    .finally(function () { window.setTimeout(poll, POLL_MS); });
}());
