// Registration pages, progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Show the passport fields only when a letter is asked for, the submission code only for posters.
  document.querySelectorAll("[data-reveal-with]").forEach(function (block) {
    var box = document.getElementById(block.getAttribute("data-reveal-with"));
    if (!box) return;
    var hasError = block.querySelector(".errorlist, [aria-invalid=true]");
    function update() { block.hidden = !box.checked && !hasError; }
    box.addEventListener("change", function () { hasError = null; update(); });
    update();
  });

  // Ask before cancelling or deleting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  // Check-in desk: narrow the list while typing (the search button still asks the server).
  document.querySelectorAll("input[data-filter-rows]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter-rows"));
    if (!list) return;
    function fold(text) {
      return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      list.querySelectorAll("[data-search]").forEach(function (row) {
        var haystack = fold(row.getAttribute("data-search"));
        row.hidden = !words.every(function (word) { return haystack.indexOf(word) !== -1; });
      });
    });
  });
})();
