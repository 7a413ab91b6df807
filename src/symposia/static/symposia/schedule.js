/* Programme pages: a switch between the event's time zone and the visitor's own.
   Every <time data-instant="UNIX seconds"> is rewritten; the original text is kept to switch back. */
(function () {
  "use strict";
  var zoneName = document.querySelector(".sch-zone-name");
  var switchBox = document.querySelector(".sch-zone-switch");
  if (!zoneName || !switchBox || !window.Intl) return;
  var button = switchBox.querySelector("button");
  var eventZone = zoneName.getAttribute("data-event-zone");
  var ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!ownZone || ownZone === eventZone) return;
  var times = Array.prototype.slice.call(document.querySelectorAll("time[data-instant]"));
  var eventLabel = zoneName.textContent;
  var clock = new Intl.DateTimeFormat(undefined, {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: ownZone});
  var dayOf = function (date, zone) {
    return new Intl.DateTimeFormat("en-CA", {year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone}).format(date);
  };
  var weekday = new Intl.DateTimeFormat(undefined, {weekday: "short", timeZone: ownZone});
  var local = false;
  times.forEach(function (el) { el.setAttribute("data-event-text", el.textContent); });
  function show(own) {
    times.forEach(function (el) {
      if (!own) { el.textContent = el.getAttribute("data-event-text"); return; }
      var date = new Date(Number(el.getAttribute("data-instant")) * 1000);
      var text = clock.format(date);
      if (dayOf(date, ownZone) !== dayOf(date, eventZone)) text = weekday.format(date) + " " + text;
      el.textContent = text;
    });
    zoneName.textContent = own ? ownZone + " (your time zone)" : eventLabel;
    button.setAttribute("aria-pressed", own ? "true" : "false");
  }
  button.addEventListener("click", function () {
    local = !local;
    show(local);
    try { window.localStorage.setItem("symposia-own-zone", local ? "1" : "0"); } catch (e) { /* storage may be off */ }
  });
  switchBox.hidden = false;
  try { if (window.localStorage.getItem("symposia-own-zone") === "1") { local = true; show(true); } } catch (e) { /* storage may be off */ }
})();
