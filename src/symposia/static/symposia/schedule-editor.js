/* Timetable editor: HTML5 drag and drop on the server-rendered grid.
   - an item ([data-item]) or an accepted contribution ([data-submission]) dropped on a session
     goes there, starting at the time under the top of the dragged block (5-minute steps);
   - a session's handle ([data-drag-session]) dropped on a room column moves the whole session.
   Each drop POSTs the same form fields as the forms on the item and session pages (session,
   start as local time of the event, room) with the CSRF token, then reloads the page.
   Without this script those forms do the same work. */
(function () {
  "use strict";
  var grid = document.querySelector(".ed-grid");
  if (!grid) return;
  var status = document.querySelector(".ed-status");
  var zone = grid.getAttribute("data-zone") || "UTC";
  var STEP = 5 * 60; // seconds
  var dragged = null;

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  // "YYYY-MM-DDTHH:MM" of a UNIX time in the event's zone, as datetime-local inputs send it.
  function localInput(seconds) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(new Date(seconds * 1000)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
  }

  function timeAt(element, clientY, first, last) {
    var rect = element.getBoundingClientRect();
    var fraction = Math.min(Math.max((clientY - rect.top) / rect.height, 0), 1);
    var seconds = first + fraction * (last - first);
    return Math.max(first, Math.floor(seconds / STEP) * STEP);
  }

  function under(x, y, selector) {
    var stack = document.elementsFromPoint(x, y);
    for (var i = 0; i < stack.length; i++) {
      if (stack[i].matches && stack[i].matches(selector)) return stack[i];
    }
    return null;
  }

  function post(url, fields) {
    var body = new FormData();
    Object.keys(fields).forEach(function (key) { body.append(key, fields[key]); });
    say("Saving…");
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrf(), "Accept": "application/json"}
    }).then(function (response) {
      return response.json().catch(function () { return {ok: false, error: "The server did not answer."}; });
    }).then(function (answer) {
      if (answer.ok) {
        say(answer.message || "Saved.");
        window.location.reload();
      } else {
        say(answer.error || "Not saved.");
      }
    }).catch(function () { say("Not saved: the connection failed."); });
  }

  document.addEventListener("dragstart", function (event) {
    var source = event.target.closest && event.target.closest("[data-item],[data-submission],[data-drag-session]");
    if (!source) return;
    var rect = source.getBoundingClientRect();
    dragged = {
      element: source,
      url: source.getAttribute("data-move-url"),
      isSession: source.hasAttribute("data-drag-session"),
      offsetY: source.hasAttribute("data-drag-session") ? event.clientY - source.closest(".ed-session").getBoundingClientRect().top : event.clientY - rect.top
    };
    if (source.closest(".ed-side")) dragged.offsetY = 0;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.url);
    source.classList.add("ed-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.element.classList.remove("ed-dragging");
    Array.prototype.forEach.call(document.querySelectorAll(".ed-over"), function (el) { el.classList.remove("ed-over"); });
  });

  function target(event) {
    if (!dragged) return null;
    return under(event.clientX, event.clientY, dragged.isSession ? ".ed-col" : ".ed-session");
  }

  document.addEventListener("dragover", function (event) {
    var found = target(event);
    Array.prototype.forEach.call(document.querySelectorAll(".ed-over"), function (el) {
      if (el !== found) el.classList.remove("ed-over");
    });
    if (!found) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    found.classList.add("ed-over");
  });

  document.addEventListener("drop", function (event) {
    var found = target(event);
    if (!found) return;
    event.preventDefault();
    var y = event.clientY - dragged.offsetY;
    if (dragged.isSession) {
      var first = Number(found.getAttribute("data-first"));
      var last = Number(found.getAttribute("data-last"));
      post(dragged.url, {start: localInput(timeAt(found, y, first, last)), room: found.getAttribute("data-room") || ""});
    } else {
      var start = Number(found.getAttribute("data-start"));
      var end = Number(found.getAttribute("data-end"));
      post(dragged.url, {session: found.getAttribute("data-session"), start: localInput(timeAt(found, y, start, end))});
    }
    dragged = null;
  });
})();
