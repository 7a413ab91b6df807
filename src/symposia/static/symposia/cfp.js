/* Call for contributions: visitor's local time and countdown, autosave, local backup,
   live abstract preview, word counter, one-click submit. Progressive enhancement only:
   every page works without this file. */
(function () {
  "use strict";

  function pad(n) { return String(n).padStart(2, "0"); }

  function describe(ms) {
    if (ms <= 0) { return "closed"; }
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400); s -= d * 86400;
    var h = Math.floor(s / 3600); s -= h * 3600;
    var m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) { return d + (d === 1 ? " day, " : " days, ") + h + " h " + pad(m) + " min"; }
    return h + " h " + pad(m) + " min " + pad(s) + " s";
  }

  function localTimes() {
    document.querySelectorAll("[data-localtime-for]").forEach(function (el) {
      var when = new Date(el.getAttribute("data-localtime-for"));
      if (isNaN(when)) { return; }
      var text = when.toLocaleString(undefined, {
        weekday: "long", year: "numeric", month: "long", day: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      });
      el.textContent = " — your time: " + text;
      el.hidden = false;
    });
    var counters = document.querySelectorAll("[data-countdown-for]");
    function tick() {
      counters.forEach(function (el) {
        var when = new Date(el.getAttribute("data-countdown-for"));
        el.textContent = "(" + describe(when - new Date()) + " left)";
      });
    }
    if (counters.length) { tick(); window.setInterval(tick, 1000); }
  }

  function countWords(text) { var t = text.trim(); return t ? t.split(/\s+/).length : 0; }

  function counter(form) {
    form.querySelectorAll("[data-counter-for]").forEach(function (out) {
      var field = document.getElementById(out.getAttribute("data-counter-for"));
      if (!field) { return; }
      var limit = parseInt(field.getAttribute("data-limit") || "0", 10);
      var unit = field.getAttribute("data-unit") || "words";
      function update() {
        var n = unit === "words" ? countWords(field.value) : field.value.length;
        out.textContent = n + " " + unit + (limit ? " of " + limit : "");
        out.classList.toggle("over", limit > 0 && n > limit);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function preview(form) {
    var field = form.querySelector("[data-preview]");
    var target = document.getElementById("abstract-preview");
    var url = form.getAttribute("data-preview-url");
    if (!field || !target || !url) { return; }
    var timer = null;
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var body = new FormData();
        body.append("text", field.value);
        fetch(url, { method: "POST", body: body, credentials: "same-origin",
                     headers: { "X-CSRFToken": csrf(form) } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data && typeof data.html === "string") { target.innerHTML = data.html; } })
          .catch(function () {});
      }, 500);
    });
  }

  function textFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.tagName === "TEXTAREA" ||
        (el.tagName === "INPUT" && (el.type === "text" || el.type === "email" || el.type === "number")) ||
        el.tagName === "SELECT");
    });
  }

  function backup(form, status) {
    var key = form.getAttribute("data-storage-key");
    var store;
    try { store = window.localStorage; store.getItem("x"); } catch (e) { return null; }
    if (!key) { return null; }
    var serverUpdated = Date.parse(form.getAttribute("data-server-updated") || "") || 0;
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    var notice = document.getElementById("cfp-restore");
    var original = {};
    textFields(form).forEach(function (el) { original[el.name] = el.value; });
    var hasErrors = document.querySelector(".field-error, .row-error") !== null;
    if (saved && saved.values && saved.at > serverUpdated && !hasErrors) {
      var changed = false;
      textFields(form).forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(saved.values, el.name) && saved.values[el.name] !== el.value) {
          el.value = saved.values[el.name]; changed = true;
        }
      });
      if (changed && notice) {
        notice.hidden = false;
        var discard = notice.querySelector("[data-restore-discard]");
        if (discard) {
          discard.addEventListener("click", function () {
            textFields(form).forEach(function (el) { if (el.name in original) { el.value = original[el.name]; } });
            store.removeItem(key);
            notice.hidden = true;
          });
        }
      }
    }
    function write() {
      var values = {};
      textFields(form).forEach(function (el) {
        if (el.name !== "csrfmiddlewaretoken") { values[el.name] = el.value; }
      });
      try { store.setItem(key, JSON.stringify({ at: Date.now(), values: values })); } catch (e) { /* full */ }
    }
    form.addEventListener("input", write);
    form.addEventListener("change", write);
    return {
      move: function (newKey) {
        var value = store.getItem(key);
        store.removeItem(key);
        key = newKey;
        if (value) { store.setItem(key, value); }
        form.setAttribute("data-storage-key", key);
      },
      write: write
    };
  }

  function autosave(form, local) {
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById("autosave-status");
    if (!url) { return; }
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      if (!dirty) { return; }
      dirty = false;
      var body = new FormData(form);
      body.delete("pdf");
      body.delete("action");
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrf(form), "Accept": "application/json" } })
        .then(function (r) {
          return r.json().catch(function () { return { saved: false, error: "Not saved (server error); your text is kept in this browser." }; });
        })
        .then(function (data) {
          if (data.saved) {
            var at = new Date(data.saved_at);
            say("Draft saved at " + pad(at.getHours()) + ":" + pad(at.getMinutes()) + ":" + pad(at.getSeconds()) + ".");
            if (data.autosave_url && data.autosave_url !== url) {
              url = data.autosave_url;
              form.setAttribute("data-autosave-url", url);
              form.setAttribute("action", data.edit_url);
              if (window.history && window.history.replaceState) { window.history.replaceState(null, "", data.edit_url); }
              if (local) { local.move(form.getAttribute("data-storage-key").replace(/:new$/, ":" + data.code)); }
            }
            form.setAttribute("data-server-updated", data.saved_at);
          } else {
            say(data.error || "Not saved.");
          }
        })
        .catch(function () { say("Offline: not saved on the server; your text is kept in this browser."); dirty = true; });
    }
    window.setInterval(save, 10000);
  }

  function once(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending") === "yes") { event.preventDefault(); return; }
      form.setAttribute("data-sending", "yes");
      window.setTimeout(function () { form.removeAttribute("data-sending"); }, 8000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    var form = document.getElementById("submission-form");
    if (!form) { return; }
    counter(form);
    preview(form);
    var local = backup(form);
    autosave(form, local);
    once(form);
  });
})();
