/* Book of abstracts page: follow a running build through status.json, then reload the page. */
(function () {
  "use strict";
  var box = document.querySelector("[data-book-status]");
  if (!box || !window.fetch) return;
  var state = box.getAttribute("data-book-status");
  if (state !== "queued" && state !== "running") return;
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector(".book-message");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (bar) { bar.value = status.percent; bar.textContent = status.percent + "%"; }
        if (text) text.textContent = status.message;
        if (status.active) window.setTimeout(poll, 1500);
        else window.location.reload();
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
