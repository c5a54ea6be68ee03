// The ledger page's map pin. Tiles come from the bureau's own tile server when SHOUYE_MAP_TILE_URL is set;
// on a closed intranet without one, the pin is shown on a plain background with a scale.
(function () {
  var el = document.getElementById("map");
  if (!el) { return; }
  L.Icon.Default.imagePath = el.dataset.iconPath || "/static/vendor/leaflet/images/";
  var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  var map = L.map(el, { attributionControl: false, zoomControl: false }).setView(point, 14);
  // Leaflet's own titles are English ("Zoom in"); the page gives them in its language.
  L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map); }
  L.control.scale({ imperial: false }).addTo(map);
  // The name as text: Leaflet puts a string popup in as HTML, and a name is what an enterprise typed.
  var label = document.createElement("span");
  label.textContent = el.dataset.label;
  L.marker(point).addTo(map).bindPopup(label);
})();
