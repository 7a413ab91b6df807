// Wide formulas and tables scroll sideways on small screens. Make the ones that do scroll
// reachable with the keyboard (tabindex="0"), for browsers that do not focus scrollable
// areas by themselves; the page works the same without this script.
(function () {
  "use strict";

  var SELECTOR = [
    ".prose .math.block",
    ".prose .math.display",
    ".prose :not(.math.block, .math.display) > math[display=block]",
    ".prose table",
    ".table-scroll",
  ].join(", ");

  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (element) {
      var scrolls = element.scrollWidth > element.clientWidth + 1;
      var marked = element.hasAttribute("data-scroll-focus");
      if (scrolls && !element.hasAttribute("tabindex")) {
        element.setAttribute("tabindex", "0");
        element.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && marked) {
        element.removeAttribute("tabindex");
        element.removeAttribute("data-scroll-focus");
      }
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(mark, 200);
  });
  mark();
})();
