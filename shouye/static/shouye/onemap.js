// The one map (一张图): the townships' outlines under the layers the apps register, each fetched as GeoJSON from
// its own endpoint with the filter bar's township and industry, and clustered (thousands of points stay
// readable). Names are what people typed: every popup and label is built with textContent, never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("onemap");
  if (!el) { return; }
  var tiles = el.dataset.tiles;
  // Clustering needs a maxZoom, tiles or not; quarter zoom steps let the district fill a phone's width.
  var map = L.map(el, { attributionControl: false, zoomControl: false, maxZoom: 18, zoomSnap: 0.25 });
  // Leaflet's own titles are English ("Zoom in"); the page gives them in its language.
  L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  map.setView([35.0, 105.0], 4);
  if (tiles) { L.tileLayer(tiles, { maxZoom: 18 }).addTo(map); }

  var notice = document.getElementById("map-notice");
  var filters = document.getElementById("map-filters");
  var switches = Array.prototype.slice.call(document.querySelectorAll("input[data-layer]"));
  var groups = {};      // layer key -> its cluster group on the map
  var messages = {};    // layer key -> the message its last answer carried
  var asked = {};       // layer key -> the number of its latest request: an older answer arriving late is dropped
  var framed = false;   // whether the view has been fitted to something yet
  var pending = 0;

  function showNotice() {
    var text = Object.keys(messages).map(function (key) { return messages[key]; }).filter(Boolean).join(" ");
    notice.textContent = text;
    notice.classList.toggle("d-none", !text);
  }

  function frame(bounds) {
    if (!framed && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); framed = true; }
  }

  function ready() {
    pending -= 1;
    if (pending <= 0 && !el.dataset.ready) {
      el.dataset.ready = "1";
      // the first meaningful paint: the outlines and every layer that is on are drawn (bench/map_paint.py)
      if (window.performance && performance.mark) { performance.mark("shouye-map-ready"); }
    }
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function popup(props, link) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("strong", props.name));
    if (props.detail) { box.appendChild(text("div", props.detail, "small text-muted")); }
    var a = text("a", el.dataset.openLabel);
    a.href = link.replace("{id}", String(props.id));
    a.dataset.testid = "popup-link";
    box.appendChild(a);
    return box;
  }

  function legendOf(key) {
    var styles = {};
    document.querySelectorAll('[data-legend-for="' + key + '"] li').forEach(function (item) {
      styles[item.dataset.class] = { colour: item.dataset.colour, emphasis: item.hasAttribute("data-emphasis") };
    });
    return styles;
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(filters).forEach(function (value, name) { if (value) { params.append(name, value); } });
    var qs = params.toString();
    return qs ? "?" + qs : "";
  }

  function count(key, value) {
    var badge = document.querySelector('[data-count-for="' + key + '"]');
    if (badge) { badge.textContent = value === null ? "" : String(value); }
  }

  function hide(key) {
    asked[key] = (asked[key] || 0) + 1;
    if (groups[key]) { map.removeLayer(groups[key]); delete groups[key]; }
    delete messages[key];
    count(key, null);
    showNotice();
  }

  function load(input) {
    var key = input.dataset.layer;
    var styles = legendOf(key);
    var mine = (asked[key] || 0) + 1;
    asked[key] = mine;
    pending += 1;
    fetch(input.dataset.url + query(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (asked[key] !== mine || !input.checked) { return; }
        hide(key);
        asked[key] = mine;
        if (!answer.ok) {
          messages[key] = Object.keys(answer.data).map(function (f) { return [].concat(answer.data[f]).join(" "); }).join(" ");
          showNotice();
          return;
        }
        var data = answer.data;
        var group = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45 });
        var markers = data.features.map(function (feature) {
          var c = feature.geometry.coordinates;
          var style = styles[feature.properties["class"]] || { colour: "#455a64", emphasis: false };
          var marker = L.circleMarker([c[1], c[0]], {
            radius: style.emphasis ? 9 : 6, color: "#ffffff", weight: style.emphasis ? 2 : 1,
            fillColor: style.colour, fillOpacity: 0.9, className: "map-point map-point-" + key
          });
          marker.bindPopup(popup(feature.properties, data.link));
          return marker;
        });
        group.addLayers(markers);
        group.addTo(map);
        groups[key] = group;
        count(key, data.features.length);
        messages[key] = data.message || "";
        showNotice();
        if (markers.length) { frame(group.getBounds()); }
      })
      .catch(function (error) { messages[key] = el.dataset.errorLabel; showNotice(); window.console.error(error); })
      .then(ready);
  }

  function outlines() {
    pending += 1;
    fetch(el.dataset.townships, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          interactive: false,
          style: { color: "#546e7a", weight: 1.5, dashArray: "4 3", fillColor: "#b0bec5", fillOpacity: tiles ? 0.04 : 0.3 },
          onEachFeature: function (feature, shape) {
            var props = feature.properties;
            var label = text("span", props.name);
            var at = props.label_point ? L.latLng(props.label_point[1], props.label_point[0]) : shape.getBounds().getCenter();
            L.tooltip({ permanent: true, direction: "center", className: "township-label", interactive: false })
              .setLatLng(at).setContent(label).addTo(map);
          }
        }).addTo(map);
        layer.bringToBack();
        el.dataset.outlines = String(data.features.length);
        // the whole district is the first view, even when a layer's points arrived first
        if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); framed = true; }
      })
      .catch(function (error) { messages.townships = el.dataset.errorLabel; showNotice(); window.console.error(error); })
      .then(ready);
  }

  outlines();
  switches.forEach(function (input) {
    if (input.checked) { load(input); }
    input.addEventListener("change", function () { if (input.checked) { load(input); } else { hide(input.dataset.layer); } });
  });
  filters.addEventListener("change", function () {
    framed = false;  // a township or an industry chosen: the view moves to its points
    switches.forEach(function (input) { if (input.checked) { load(input); } });
  });
  filters.addEventListener("submit", function (event) { event.preventDefault(); });
})();
