// motcua — a little plain JavaScript, served by motcua itself. Pages work without it.
// Search as you type: an input with data-suggest="URL" fetches URL?q=… (an HTML fragment
// rendered and escaped by the server) into the element named by data-suggest-into.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var into = document.getElementById(input.getAttribute("data-suggest-into"));
    if (!into) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q === last) { return; }
        last = q;
        if (q.length < 2) { into.innerHTML = ""; into.hidden = true; return; }
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), {
          credentials: "same-origin",
          headers: { "Accept": "text/html" }
        }).then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) {
            if (input.value.trim() !== q) { return; }
            into.innerHTML = html;
            into.hidden = html.trim() === "";
          })
          .catch(function () { /* the form's own button still works */ });
      }, 200);
    });
  });
})();
