// Live preview for the page editor: sends the Markdown to the server, which renders and
// sanitises it (render_markdown), and shows the returned HTML next to the text.
// Without this script the form's "Preview" button does the same with a full page load.
(function () {
  "use strict";

  var DELAY_MS = 400;

  function setUp(editor) {
    var form = editor.closest("form");
    var textarea = editor.querySelector("textarea");
    var target = editor.querySelector("[data-preview-target]");
    var status = editor.querySelector("[data-preview-status]");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    var slug = form && form.querySelector("input[name=slug]");
    if (!form || !textarea || !target || !token) {
      return;
    }
    var timer = null;
    var sent = 0;
    var last = null;

    function show(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function refresh() {
      var text = textarea.value;
      var address = slug ? slug.value : "";
      if (text + "\u0000" + address === last) {
        return;
      }
      last = text + "\u0000" + address;
      var number = ++sent;
      var body = new FormData();
      body.append("body", text);
      body.append("slug", address);
      if (editor.dataset.page) {
        body.append("page", editor.dataset.page);
      }
      show("updating…");
      fetch(editor.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
      })
        .then(function (response) {
          return response.text().then(function (html) {
            return { ok: response.ok, html: html };
          });
        })
        .then(function (result) {
          if (number !== sent) {
            return; // a newer request is on its way
          }
          // The server sanitises the HTML (nh3), so it can be inserted as is.
          target.innerHTML = result.html;
          show(result.ok ? "" : "not updated");
        })
        .catch(function () {
          if (number === sent) {
            show("offline: not updated");
          }
        });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    });
    if (slug) {
      slug.addEventListener("change", refresh);
    }
    editor.classList.add("editor--live");
    refresh();
  }

  document.querySelectorAll(".editor[data-preview-url]").forEach(setUp);
})();
