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

// The hall's display of called numbers: polls its data, redraws the list, and chimes when a
// number is called (or called again). Browsers allow sound after one click on the page.
(function () {
  "use strict";
  var box = document.querySelector("[data-display]");
  if (!box) { return; }
  var url = box.getAttribute("data-display");
  var body = box.querySelector("[data-calls]");
  var waiting = box.querySelector("[data-waiting]");
  var audio = null;
  document.addEventListener("click", function () {
    if (!audio && window.AudioContext) { audio = new AudioContext(); }
  });
  function chime() {
    if (!audio) { return; }
    [660, 880].forEach(function (hz, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var at = audio.currentTime + i * 0.35;
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.3, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.6);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.6);
    });
  }
  function key(first) { return first ? first.id + ":" + first.recalls : ""; }
  var last = (function () {
    var row = body && body.querySelector("tr");
    return row ? row.getAttribute("data-id") + ":" + row.getAttribute("data-recalls") : "";
  })();
  function cell(text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    return td;
  }
  function draw(data) {
    if (waiting) { waiting.textContent = String(data.waiting); }
    if (!body) { return; }
    body.textContent = "";
    data.calls.forEach(function (c, i) {
      var tr = document.createElement("tr");
      if (i === 0) { tr.className = "now"; }
      tr.appendChild(cell(c.number, "number"));
      tr.appendChild(cell(c.counter));
      tr.appendChild(cell(c.field));
      body.appendChild(tr);
    });
    var none = box.querySelector("[data-none]");
    if (none && data.calls.length) { none.hidden = true; }
    var now = key(data.calls[0]);
    if (now && now !== last) { chime(); }
    last = now;
  }
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () {})
      .then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();

// Buttons that print the page (data-print) and choices that send their form at once
// (data-autosubmit): handlers here, since the pages' policy runs no inline script.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
})();

// Forms whose action nothing can undo (data-confirm="question"): asked before they are sent.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-confirm")) { return; }
    if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
})();
