// The inspection pages on a phone (issue 10): nothing typed is ever lost.
//
// The record page (/inspections/<id>/) saves each item as it is entered, one request per item
// (POST /api/v1/inspections/<id>/item/), shows "Saved" / "Not saved, retry" per item, keeps what is not saved
// yet on the phone (localStorage) until the server has it, warns before leaving with unsaved input, and
// saves everything pending before the finish button leaves the page. Photos are taken from the camera and
// made smaller on the phone (JPEG, 1600 px on the long side) before upload; the server checks them again.
//
// The new-inspection page (/inspections/new/) picks the enterprise by searching its name, credit code or
// address, proposes the checklist of its industry, and finds inspectors by name.
(function () {
  "use strict";

  /** Longest side of a photo after compression on the phone, and its JPEG quality. */
  var PHOTO_LONG_SIDE = 1600;
  var PHOTO_QUALITY = 0.8;
  /** Typing pauses this long (ms) before a finding or location is saved. */
  var TYPING_PAUSE = 700;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, form, body) {
    var json = !(body instanceof FormData);
    var headers = {"X-CSRFToken": csrfToken(form), "Accept": "application/json"};
    if (json) { headers["Content-Type"] = "application/json"; }
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers,
                       body: json ? JSON.stringify(body) : body});
  }

  /** The messages of an error answer ({"field": ["message", …]} or {"detail": "…"}), as one line. */
  function errorText(data) {
    if (!data || typeof data !== "object") { return ""; }
    if (typeof data.detail === "string") { return data.detail; }
    var parts = [];
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      (Array.isArray(value) ? value : [value]).forEach(function (message) {
        if (typeof message === "string") { parts.push(message); }
        else if (message && typeof message === "object") { parts.push(errorText(message)); }
      });
    });
    return parts.join(" ");
  }

  // --- photos: smaller on the phone before upload ------------------------------------------------------

  function compress(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size)) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, {type: "image/jpeg"}));
        }, "image/jpeg", PHOTO_QUALITY);
      });
    }).catch(function () { return file; });  // the server refuses what is not a photo, with its message
  }

  // --- the record page --------------------------------------------------------------------------------

  function recordPage(form) {
    var texts = form.dataset;
    var storeKey = "shouye.inspection." + form.dataset.inspection;
    var cards = Array.prototype.slice.call(form.querySelectorAll(".item-card[data-item]"));
    var byId = {};
    var dirty = {};       // item id -> true while the server does not have what is on the screen
    var inflight = {};    // item id -> the save under way
    var timers = {};
    var uploads = [];     // the photo uploads under way
    var submitting = false;
    var formState = form.querySelector(".js-form-state");
    cards.forEach(function (card) { byId[card.dataset.item] = card; });

    function drafts() {
      try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { return {}; }
    }
    function keep(id, value) {
      var all = drafts();
      if (value) { all[id] = value; } else { delete all[id]; }
      try {
        if (Object.keys(all).length) { window.localStorage.setItem(storeKey, JSON.stringify(all)); }
        else { window.localStorage.removeItem(storeKey); }
      } catch (e) { /* private mode: the warning before leaving still protects the input */ }
    }

    function values(card) {
      var checked = card.querySelector("input[type=radio]:checked");
      var id = card.dataset.item;
      return {item: Number(id), result: checked ? checked.value : null,
              finding: card.querySelector("#finding-" + id).value,
              location: card.querySelector("#location-" + id).value};
    }
    function same(a, b) {
      return a.result === b.result && a.finding === b.finding && a.location === b.location;
    }

    function showState(card, kind, message) {
      var span = card.querySelector(".js-save-state");
      span.textContent = message || "";
      span.className = "small text-nowrap js-save-state " + ({saved: "text-success", failed: "text-danger",
        unsaved: "text-warning-emphasis", saving: "text-muted"}[kind] || "");
      span.dataset.state = kind;
      if (kind === "failed") {
        var retry = document.createElement("button");
        retry.type = "button";
        retry.className = "btn btn-sm btn-outline-danger ms-2 js-retry";
        retry.textContent = texts.textRetry;
        span.appendChild(retry);
      }
    }

    function refresh(card) {
      var v = values(card);
      var open = v.result === "non_compliant" || v.finding.trim() !== "" || v.location.trim() !== "";
      card.querySelector(".js-non-compliant-fields").classList.toggle("d-none", !open);
      card.className = card.className.replace(/\bis-\S+/, "is-" + (v.result || "pending"));
    }

    function progress() {
      var checked = cards.filter(function (card) { return values(card).result; }).length;
      form.querySelector("[data-progress-checked]").textContent = checked;
      var button = form.querySelector(".js-remaining-compliant");
      if (button) { button.disabled = checked === cards.length; }
    }

    function changed(card, pause) {
      var id = card.dataset.item;
      dirty[id] = true;
      keep(id, values(card));
      showState(card, "unsaved", texts.textUnsaved);
      refresh(card);
      progress();
      clearTimeout(timers[id]);
      timers[id] = setTimeout(function () { save(card); }, pause);
    }

    /** Save one item; resolves true when the server has what the screen shows. */
    function save(card) {
      var id = card.dataset.item;
      clearTimeout(timers[id]);
      if (inflight[id]) { return inflight[id].then(function () { return dirty[id] ? save(card) : true; }); }
      if (!dirty[id]) { return Promise.resolve(true); }
      var sent = values(card);
      if (sent.result === "non_compliant" && !sent.finding.trim()) {
        showState(card, "unsaved", texts.textNeedsFinding);
        return Promise.resolve(false);
      }
      var body = {item: sent.item, finding: sent.finding, location: sent.location};
      if (sent.result) { body.result = sent.result; }
      showState(card, "saving", texts.textSaving);
      inflight[id] = post(form.dataset.itemUrl, form, body).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            showState(card, "failed", texts.textFailed + (errorText(data) ? "：" + errorText(data) : ""));
            return false;
          }
          if (same(values(card), sent)) {
            dirty[id] = false;
            keep(id, null);
            showState(card, "saved", texts.textSaved);
          }
          return true;
        });
      }, function () {
        showState(card, "failed", texts.textOffline);
        return false;
      }).then(function (ok) {
        delete inflight[id];
        return ok && !dirty[id];
      });
      return inflight[id];
    }

    /** Save everything not saved yet and wait for the photos under way; resolves true when nothing is left
     * unsaved. */
    function flush() {
      var pending = cards.filter(function (card) { return dirty[card.dataset.item]; });
      var saves = pending.map(save).concat([saveNotes()]);
      return Promise.all(saves.concat(uploads)).then(function (results) {
        return results.slice(0, saves.length).every(Boolean) && uploads.length === 0;
      });
    }

    function firstUnsaved() {
      var card = cards.filter(function (c) { return dirty[c.dataset.item]; })[0];
      if (card) {
        card.scrollIntoView({block: "center"});
        var field = values(card).result === "non_compliant" ? card.querySelector("textarea") : null;
        if (field) { field.focus(); }
      }
    }

    cards.forEach(function (card) {
      card.addEventListener("change", function (event) {
        if (event.target.type === "radio") { changed(card, 0); }
      });
      card.addEventListener("input", function (event) {
        if (event.target.matches("textarea, input[type=text], input:not([type])")) { changed(card, TYPING_PAUSE); }
      });
      card.addEventListener("focusout", function (event) {
        if (event.target.matches("textarea, input:not([type])") && dirty[card.dataset.item]) { save(card); }
      });
      card.addEventListener("click", function (event) {
        if (event.target.closest(".js-retry")) { save(card); }
      });
      card.querySelector(".js-photos").addEventListener("change", function (event) {
        upload(card, event.target);
      });
    });

    // The notes and the photos of the inspection as a whole: saved the same way.
    var notesCard = form.querySelector(".js-notes-card");
    var notes = notesCard.querySelector("#notes");
    var notesDirty = false;
    var notesSaving = null;
    function notesChanged() {
      notesDirty = true;
      keep("notes", {notes: notes.value});
      showState(notesCard, "unsaved", texts.textUnsaved);
      clearTimeout(timers.notes);
      timers.notes = setTimeout(saveNotes, TYPING_PAUSE);
    }
    function saveNotes() {
      clearTimeout(timers.notes);
      if (notesSaving) { return notesSaving.then(function () { return notesDirty ? saveNotes() : true; }); }
      if (!notesDirty) { return Promise.resolve(true); }
      var sent = notes.value;
      showState(notesCard, "saving", texts.textSaving);
      notesSaving = post(form.dataset.recordUrl, form, {results: [], notes: sent}).then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            showState(notesCard, "failed", texts.textFailed + (errorText(data) ? "：" + errorText(data) : ""));
            return false;
          });
        }
        if (notes.value === sent) {
          notesDirty = false;
          keep("notes", null);
          showState(notesCard, "saved", texts.textSaved);
        }
        return true;
      }, function () {
        showState(notesCard, "failed", texts.textOffline);
        return false;
      }).then(function (ok) {
        notesSaving = null;
        return ok && !notesDirty;
      });
      return notesSaving;
    }
    notes.addEventListener("input", notesChanged);
    notes.addEventListener("focusout", function () { if (notesDirty) { saveNotes(); } });
    notesCard.addEventListener("click", function (event) { if (event.target.closest(".js-retry")) { saveNotes(); } });
    notesCard.querySelector(".js-photos").addEventListener("change", function (event) {
      upload(notesCard, event.target);
    });

    function upload(card, input) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { return; }
      showState(card, "saving", texts.textUploading);
      var done = Promise.all(files.map(compress)).then(function (smaller) {
        var body = new FormData();
        if (card.dataset.item) { body.append("item", card.dataset.item); }
        smaller.forEach(function (file) { body.append("photos", file, file.name); });
        return post(form.dataset.photosUrl, form, body);
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            showState(card, "failed", texts.textFailed + (errorText(data) ? "：" + errorText(data) : ""));
            return;
          }
          input.value = "";
          var item = (data.items || []).filter(function (row) { return String(row.id) === card.dataset.item; })[0];
          var photos = card.dataset.item ? (item && item.photos) : data.photos;
          var thumbs = card.querySelector(".js-thumbs");
          thumbs.textContent = "";
          (photos || []).forEach(function (photo) {
            var link = document.createElement("a");
            link.href = photo.image; link.target = "_blank"; link.rel = "noopener";
            var img = document.createElement("img");
            img.className = "photo-thumb"; img.src = photo.thumbnail; img.alt = "";
            link.appendChild(img);
            thumbs.appendChild(link);
          });
          showState(card, "saved", texts.textUploaded);
        });
      }, function () {
        showState(card, "failed", texts.textOffline);
      }).then(function () { uploads = uploads.filter(function (other) { return other !== done; }); });
      uploads.push(done);
    }

    // What was typed but not saved before the page was left (a reload, a lost connection): back on screen,
    // then saved.
    var kept = drafts();
    if (kept.notes) {
      if (kept.notes.notes !== notes.value) { notes.value = kept.notes.notes; notesChanged(); }
      else { keep("notes", null); }
    }
    Object.keys(kept).forEach(function (id) {
      if (id === "notes") { return; }
      var card = byId[id];
      if (!card) { keep(id, null); return; }
      var draft = kept[id];
      if (same(values(card), draft)) { keep(id, null); return; }
      if (draft.result) {
        var radio = card.querySelector("input[type=radio][value='" + draft.result + "']");
        if (radio) { radio.checked = true; }
      }
      card.querySelector("#finding-" + id).value = draft.finding || "";
      card.querySelector("#location-" + id).value = draft.location || "";
      changed(card, 0);
    });
    cards.forEach(refresh);
    progress();

    window.addEventListener("online", flush);
    window.addEventListener("beforeunload", function (event) {
      var unsaved = uploads.length > 0 || notesDirty || cards.some(function (card) { return dirty[card.dataset.item]; });
      if (unsaved && !submitting) {
        event.preventDefault();
        event.returnValue = texts.textLeave;
        return texts.textLeave;
      }
    });
    // "Save" and "Save and finish" post the whole form (it works without script too); the items and photos
    // under way are saved first, so nothing is sent twice or cut off by the page leaving.
    form.addEventListener("submit", function (event) {
      if (submitting) { return; }
      event.preventDefault();
      var submitter = event.submitter;
      flush().then(function () {
        submitting = true;
        // After this submit event has ended: when nothing was pending the promise settles while the form is
        // still firing it, and a browser ignores a submission asked for then (the button did nothing).
        window.setTimeout(function () {
          if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
        }, 0);
      });
    });

    // The finish button at the top: everything typed is saved first; it leaves only when nothing is unsaved.
    document.querySelectorAll(".js-finish-link").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        formState.textContent = texts.textSaving;
        flush().then(function (ok) {
          if (ok) { window.location.assign(link.href); return; }
          formState.textContent = texts.textLeave;
          formState.className = "small w-100 js-form-state text-danger";
          firstUnsaved();
        });
      });
    });

    var remaining = form.querySelector(".js-remaining-compliant");
    if (remaining) {
      remaining.addEventListener("click", function () {
        remaining.disabled = true;
        flush().then(function (ok) {
          if (!ok) { firstUnsaved(); progress(); return null; }
          return post(form.dataset.remainingUrl, form, {}).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (data) {
              if (!response.ok) {
                formState.textContent = texts.textFailed + "：" + errorText(data);
                return;
              }
              (data.marked || []).forEach(function (id) {
                var card = byId[id];
                if (!card) { return; }
                card.querySelector("input[type=radio][value=compliant]").checked = true;
                refresh(card);
                showState(card, "saved", texts.textSaved);
              });
              formState.textContent = texts.textAllDone;
              formState.className = "small w-100 js-form-state text-success";
            });
          }, function () { formState.textContent = texts.textOffline; });
        }).then(progress);
      });
    }
  }

  // --- the new-inspection page ------------------------------------------------------------------------

  function newInspection(form) {
    var search = form.querySelector("#enterprise-search");
    var hidden = form.querySelector("input[name=enterprise]");
    var list = form.querySelector("#enterprise-results");
    var chosen = form.querySelector("#enterprise-chosen");
    var texts = form.querySelector("#enterprise-texts").dataset;
    var checklist = form.querySelector("select[name=checklist]");
    var suggestion = form.querySelector("#checklist-suggestion");
    var kind = form.querySelector("select[name=kind]");
    var timer = null;
    var asked = 0;
    var suggestedValue = null;

    function choose(row) {
      hidden.value = row.id;
      search.value = row.name;
      chosen.textContent = [row.name, row.credit_code, row.township, row.industry].join(" · ");
      list.textContent = "";
      if (checklist && row.checklist && (!checklist.value || checklist.value === suggestedValue)) {
        checklist.value = String(row.checklist);
        suggestedValue = checklist.value;
      }
      if (suggestion) { suggestion.textContent = row.checklist ? texts.suggested + " " + row.checklist_name : ""; }
    }

    function show(rows) {
      list.textContent = "";
      if (!rows.length) {
        var none = document.createElement("div");
        none.className = "list-group-item text-muted";
        none.textContent = texts.nothing;
        list.appendChild(none);
        return;
      }
      rows.forEach(function (row) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action py-3";
        button.setAttribute("role", "option");
        var name = document.createElement("div");
        name.className = "fw-bold";
        name.textContent = row.name;
        var detail = document.createElement("small");
        detail.className = "text-muted";
        detail.textContent = [row.credit_code, row.township, row.industry, row.address].filter(Boolean).join(" · ");
        button.appendChild(name);
        button.appendChild(detail);
        button.addEventListener("click", function () { choose(row); });
        list.appendChild(button);
      });
    }

    function ask() {
      var text = search.value.trim();
      var number = ++asked;
      if (!text) { list.textContent = ""; return; }
      fetch(search.dataset.url + "?q=" + encodeURIComponent(text), {credentials: "same-origin",
                                                                     headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
        .then(function (data) { if (number === asked) { show(data.results || []); } },
              function () { if (number === asked) { list.textContent = texts.failed; } });
    }

    search.addEventListener("input", function () {
      hidden.value = "";
      chosen.textContent = chosen.dataset.none;
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {   // Enter picks the first match instead of sending the form
        event.preventDefault();
        var first = list.querySelector("button");
        if (first) { first.click(); }
      }
    });

    // Inspectors by name: the list narrows as a name is typed; the ones ticked stay in view.
    var filter = form.querySelector("#inspector-filter");
    var people = Array.prototype.slice.call(
      form.querySelectorAll("input[name=inspectors]")).map(function (box) { return box.closest(".person-choice"); });
    if (filter) {
      filter.addEventListener("input", function () {
        var text = filter.value.trim().toLowerCase();
        people.forEach(function (person) {
          var ticked = person.querySelector("input").checked;
          person.classList.toggle("d-none", !!text && !ticked && person.dataset.name.toLowerCase().indexOf(text) < 0);
        });
      });
    }

    // An enforcement inspection with an inspector whose certificate number is not on file: said at once.
    var warning = form.querySelector("#certificate-warning");
    function warn() {
      if (!warning || !kind) { return; }
      var missing = people.some(function (person) {
        return person.querySelector("input").checked && person.querySelector(".no-certificate");
      });
      warning.classList.toggle("d-none", !(missing && kind.value === "enforcement"));
    }
    form.addEventListener("change", warn);
    warn();
  }

  // <form data-guard-unsaved="message">: leaving the page after typing in it, without sending it, warns.
  document.querySelectorAll("form[data-guard-unsaved]").forEach(function (form) {
    var touched = false;
    var sent = false;
    form.addEventListener("input", function () { touched = true; });
    form.addEventListener("change", function () { touched = true; });
    form.addEventListener("submit", function () { sent = true; });
    window.addEventListener("beforeunload", function (event) {
      if (touched && !sent) {
        event.preventDefault();
        event.returnValue = form.dataset.guardUnsaved;
        return form.dataset.guardUnsaved;
      }
    });
  });

  var record = document.querySelector(".js-record-form");
  if (record) { recordPage(record); }
  var start = document.querySelector(".js-inspection-form");
  if (start) { newInspection(start); }
})();
