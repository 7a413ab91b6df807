/* Decisions pages: a "tick all" box for lists of checkboxes. Progressive enhancement only:
   the box is hidden without this file. */
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    var name = box.getAttribute("data-select-all");
    var form = box.form || box.closest("form") || document;
    var boxes = form.querySelectorAll("input[type=checkbox][name='" + name + "']");
    box.hidden = false;
    var label = document.querySelector("label[for='" + box.id + "']");
    if (label) { label.hidden = false; }
    box.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = box.checked; });
    });
  });
})();
