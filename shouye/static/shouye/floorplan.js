// The plant plan as a four-colour risk map (issue 11): Leaflet with L.CRS.Simple and the plan image as an overlay,
// its zones drawn as polygons in the colour of their highest risk point. Zones are stored in the image's pixels
// ([x, y], origin top left); Leaflet's simple CRS counts y upwards, so a pixel (x, y) is drawn at [height - y, x].
// On the plan page, whoever keeps the risk list draws zones by clicking their corners (a small drawing helper,
// no plugin) and saves, renames, redraws or deletes them through /api/v1/plan-zones/.
(function () {
  "use strict";

  function text(value) {
    // Names are what an enterprise typed: always as text, never as HTML.
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function errorsOf(body) {
    // The API's error shape: {"detail": …} or {"field": ["…"], "non_field_errors": ["…"]}.
    if (!body || typeof body !== "object") { return []; }
    if (typeof body.detail === "string") { return [body.detail]; }
    var lines = [];
    Object.keys(body).forEach(function (key) {
      var value = body[key];
      (Array.isArray(value) ? value : [value]).forEach(function (item) {
        lines.push(typeof item === "string" ? item : JSON.stringify(item));
      });
    });
    return lines;
  }

  function FloorPlan(el) {
    var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var width = data.width, height = data.height;
    var bounds = [[0, 0], [height, width]];
    var map = L.map(el, { crs: L.CRS.Simple, minZoom: -8, maxZoom: 4, zoomSnap: 0.25, attributionControl: false });
    L.imageOverlay(data.image, bounds).addTo(map);
    map.fitBounds(bounds);
    map.setMaxBounds(L.latLngBounds(bounds).pad(0.25));

    this.map = map;
    this.data = data;
    this.el = el;
    this.toLatLng = function (p) { return [height - p[1], p[0]]; };
    this.toPixel = function (latlng) {
      var x = Math.min(Math.max(latlng.lng, 0), width);
      var y = Math.min(Math.max(height - latlng.lat, 0), height);
      return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
    };
    this.layers = {};
    var self = this;
    data.zones.forEach(function (zone) { self.drawZone(zone); });
  }

  FloorPlan.prototype.drawZone = function (zone) {
    var label = zone.name + (zone.grade_label ? " · " + zone.grade_label : "");
    var polygon = L.polygon(zone.polygon.map(this.toLatLng), {
      color: zone.hex, weight: 2, fillColor: zone.hex, fillOpacity: 0.45,
    }).addTo(this.map);
    polygon.bindTooltip(text(label), { permanent: true, direction: "center", className: "zone-label" });
    var points = document.createElement("div");
    points.appendChild(text(label));
    zone.risk_points.forEach(function (point) {
      var line = document.createElement("div");
      line.className = "small";
      line.textContent = point.code + " " + point.name;
      points.appendChild(line);
    });
    polygon.bindPopup(points);
    this.layers[zone.id] = { zone: zone, layer: polygon };
    return polygon;
  };

  // The zone editor: one outline at a time, drawn point by point.
  function Editor(plan, box) {
    this.plan = plan;
    this.box = box;
    this.points = [];
    this.markers = L.layerGroup().addTo(plan.map);
    this.line = null;
    this.drawing = false;
    this.selected = null;
    this.outline = null;
    this.csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
    this.name = box.querySelector("[data-zone-name]");
    this.status = box.querySelector("[data-zone-status]");
    this.error = box.querySelector("[data-zone-error]");
    this.buttons = {};
    var self = this;
    box.querySelectorAll("[data-zone-act]").forEach(function (button) {
      self.buttons[button.dataset.zoneAct] = button;
      button.addEventListener("click", function () { self[button.dataset.zoneAct](); });
    });
    plan.map.on("click", function (event) { if (self.drawing) { self.addPoint(event.latlng); } });
    Object.keys(plan.layers).forEach(function (id) {
      plan.layers[id].layer.on("click", function () { if (!self.drawing) { self.select(id); } });
    });
    this.refresh();
  }

  Editor.prototype.message = function (key) { return this.plan.el.dataset[key] || ""; };

  Editor.prototype.refresh = function () {
    var n = this.points.length;
    this.buttons.draw.disabled = this.drawing;
    this.buttons.undo.disabled = !this.drawing || n === 0;
    this.buttons.finish.disabled = !this.drawing || n < 3;
    this.buttons.cancel.disabled = !this.drawing && !this.outline && !this.selected;
    this.buttons.save.disabled = this.drawing || (!this.outline && !this.selected);
    this.buttons.redraw.disabled = this.drawing || !this.selected;
    this.buttons["delete"].disabled = this.drawing || !this.selected;
    this.plan.el.classList.toggle("drawing", this.drawing);
    this.status.textContent = this.drawing ? n + " / 3+" : (this.selected ? this.plan.layers[this.selected].zone.name : "");
  };

  Editor.prototype.showError = function (lines) {
    this.error.textContent = lines.join(" ");
    this.error.classList.toggle("d-none", lines.length === 0);
  };

  Editor.prototype.clearOutline = function () {
    this.points = [];
    this.markers.clearLayers();
    if (this.line) { this.plan.map.removeLayer(this.line); this.line = null; }
  };

  Editor.prototype.draw = function () {
    this.clearOutline();
    this.outline = null;
    this.drawing = true;
    this.showError([]);
    this.refresh();
  };

  Editor.prototype.redraw = function () {
    if (!this.selected) { return; }
    this.draw();
  };

  Editor.prototype.addPoint = function (latlng) {
    var pixel = this.plan.toPixel(latlng);
    this.points.push(pixel);
    L.circleMarker(this.plan.toLatLng(pixel), { radius: 5, color: "#000", weight: 1, fillOpacity: 1 }).addTo(this.markers);
    var latlngs = this.points.map(this.plan.toLatLng);
    if (this.line) { this.line.setLatLngs(latlngs); } else {
      this.line = L.polygon(latlngs, { color: "#000", weight: 2, dashArray: "6 4", fillOpacity: 0.1 }).addTo(this.plan.map);
    }
    this.refresh();
  };

  Editor.prototype.undo = function () {
    this.points.pop();
    var markers = this.markers.getLayers();
    if (markers.length) { this.markers.removeLayer(markers[markers.length - 1]); }
    if (this.line) { this.line.setLatLngs(this.points.map(this.plan.toLatLng)); }
    this.refresh();
  };

  Editor.prototype.finish = function () {
    if (this.points.length < 3) { this.showError([this.message("msgNeedPoints")]); return; }
    this.drawing = false;
    this.outline = this.points.slice();
    this.refresh();
    this.name.focus();
  };

  Editor.prototype.cancel = function () {
    this.clearOutline();
    this.drawing = false;
    this.outline = null;
    this.selected = null;
    this.name.value = "";
    this.showError([]);
    this.refresh();
  };

  Editor.prototype.select = function (id) {
    this.cancel();
    this.selected = id;
    this.name.value = this.plan.layers[id].zone.name;
    this.refresh();
  };

  Editor.prototype.send = function (method, url, body) {
    var self = this;
    self.showError([]);
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": this.csrf },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      if (response.ok) { window.location.reload(); return; }
      return response.json().then(function (answer) { self.showError(errorsOf(answer)); },
        function () { self.showError([self.message("msgFailed")]); });
    }, function () { self.showError([self.message("msgFailed")]); });
  };

  Editor.prototype.save = function () {
    var name = this.name.value.trim();
    if (!name) { this.showError([this.message("msgNeedName")]); return; }
    var api = this.plan.data.api;
    if (this.selected) {
      var body = { name: name };
      if (this.outline) { body.polygon = this.outline; }
      this.send("PATCH", api + this.selected + "/", body);
    } else if (this.outline) {
      this.send("POST", api, { plan: this.plan.data.plan, name: name, polygon: this.outline });
    }
  };

  Editor.prototype["delete"] = function () {
    if (!this.selected || !window.confirm(this.message("msgConfirmDelete"))) { return; }
    this.send("DELETE", this.plan.data.api + this.selected + "/");
  };

  function start() {
    document.querySelectorAll(".floorplan-map[data-source]").forEach(function (el) {
      if (el.dataset.started) { return; }
      el.dataset.started = "1";
      var plan = new FloorPlan(el);
      var box = document.getElementById("zone-editor");
      if (plan.data.editable && box && el.id === "floorplan") { new Editor(plan, box); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
