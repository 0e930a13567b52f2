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

// Hall screens: a table marked data-page shows as many rows as fit on the screen and turns
// to the next rows by itself every few seconds, so a long list is read on a wall screen
// without scrolling; after the last page (and at least a minute) the page reloads for
// fresh data. window.motcuaNextPage turns the page at once.
(function () {
  var tables = Array.prototype.slice.call(document.querySelectorAll("table[data-page]"));
  if (!tables.length) { return; }
  var SECONDS = 10;
  var loaded = Date.now();
  function rowsOf(t) {
    return t.tBodies.length ? Array.prototype.slice.call(t.tBodies[0].rows) : [];
  }
  function label(t) {
    var next = t.nextElementSibling;
    if (next && next.hasAttribute("data-page-of")) { return next; }
    var p = document.createElement("p");
    p.className = "muted page-of";
    p.setAttribute("data-page-of", "");
    t.parentNode.insertBefore(p, t.nextSibling);
    return p;
  }
  // Pages are runs of rows that fit the room left on the screen (rows differ in height).
  function show(t) {
    var rows = rowsOf(t);
    var pages = t._pages && t._pages.length ? t._pages : [[0, rows.length]];
    t._page = (t._page || 0) % pages.length;
    var page = pages[t._page];
    rows.forEach(function (r, i) { r.hidden = i < page[0] || i >= page[1]; });
    label(t).textContent = pages.length > 1
      ? t.getAttribute("data-page-label") + " " + (t._page + 1) + "/" + pages.length : "";
  }
  // The lists share the screen below the first one's top: each gets an equal part, less
  // the room the later ones' headings and the page labels take.
  var OVERHEAD = 96;
  var HEADING = 180;
  function measure() {
    tables.forEach(function (t) { rowsOf(t).forEach(function (r) { r.hidden = false; }); });
    var firstRows = rowsOf(tables[0]);
    var top = firstRows.length ? firstRows[0].getBoundingClientRect().top
      : tables[0].getBoundingClientRect().bottom;
    var share = (window.innerHeight - top - OVERHEAD - (tables.length - 1) * HEADING) / tables.length;
    tables.forEach(function (t) {
      var rows = rowsOf(t);
      t._pages = [];
      if (!rows.length) { return; }
      var room = Math.max(share, 1);
      var start = 0;
      var used = 0;
      rows.forEach(function (r, i) {
        var h = r.getBoundingClientRect().height;
        if (used + h > room && i > start) {
          t._pages.push([start, i]);
          start = i;
          used = 0;
        }
        used += h;
      });
      t._pages.push([start, rows.length]);
    });
    tables.forEach(show);
  }
  window.motcuaNextPage = function () {
    var wrapped = true;
    tables.forEach(function (t) {
      t._page = (t._page || 0) + 1;
      if (t._page < (t._pages ? t._pages.length : 1)) { wrapped = false; }
      show(t);
    });
    if (wrapped && Date.now() - loaded > 60000) { window.location.reload(); }
  };
  measure();
  window.addEventListener("resize", measure);
  setInterval(window.motcuaNextPage, SECONDS * 1000);
})();

// Bàn ký: the applicant signs the receipt in a box with a finger, a pen or the mouse. The
// strokes go to the server as points from 0 to 1000 across and down the box, which keeps
// them and prints them on the receipt.
(function () {
  "use strict";
  document.querySelectorAll("form[data-sign-pad]").forEach(function (form) {
    var canvas = form.querySelector("canvas");
    var field = form.querySelector("input[name=strokes]");
    if (!canvas || !field || !canvas.getContext) { return; }
    var pen = canvas.getContext("2d");
    var strokes = [];
    var current = null;
    function point(e) {
      var box = canvas.getBoundingClientRect();
      var x = (e.clientX - box.left) / box.width * 1000;
      var y = (e.clientY - box.top) / box.height * 1000;
      return [Math.round(Math.min(1000, Math.max(0, x))), Math.round(Math.min(1000, Math.max(0, y)))];
    }
    function draw() {
      pen.clearRect(0, 0, canvas.width, canvas.height);
      pen.lineWidth = 3;
      pen.lineCap = "round";
      pen.lineJoin = "round";
      strokes.forEach(function (stroke) {
        pen.beginPath();
        stroke.forEach(function (p, i) {
          var x = p[0] / 1000 * canvas.width;
          var y = p[1] / 1000 * canvas.height;
          if (i === 0) { pen.moveTo(x, y); } else { pen.lineTo(x, y); }
        });
        pen.stroke();
      });
      field.value = JSON.stringify(strokes);
    }
    canvas.addEventListener("pointerdown", function (e) {
      try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* the pointer is gone */ }
      current = [point(e)];
      strokes.push(current);
      e.preventDefault();
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!current) { return; }
      current.push(point(e));
      draw();
      e.preventDefault();
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      canvas.addEventListener(name, function () { current = null; draw(); });
    });
    var clear = form.querySelector("[data-pad-clear]");
    if (clear) { clear.addEventListener("click", function () { strokes = []; draw(); }); }
  });
  // The national population database, asked from the intake screen: the ID number and
  // name typed for the applicant, with a date of birth and a reason; the answer says
  // whether they agree and fills the address when it is empty.
  document.querySelectorAll("[data-population]").forEach(function (box) {
    var form = box.closest("form");
    var answer = box.querySelector("[data-population-answer]");
    box.querySelector("[data-population-ask]").addEventListener("click", function () {
      var data = new URLSearchParams();
      data.set("csrf", box.getAttribute("data-csrf"));
      data.set("id_number", form.querySelector("[name=id_number]").value);
      data.set("name", form.querySelector("[name=name]").value);
      data.set("birth_date", box.querySelector("[name=birth_date]").value);
      data.set("reason", box.querySelector("[name=reason]").value);
      answer.textContent = "…";
      fetch("/can-bo/dan-cu", { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (found) {
          if (found.error) { answer.textContent = found.error.message; return; }
          if (!found.found) { answer.textContent = box.getAttribute("data-none") || "Không tìm thấy công dân."; return; }
          var c = found.citizen;
          answer.textContent = (found.agrees ? "Khớp CSDL dân cư: " : "KHÔNG khớp CSDL dân cư: ") +
            c.name + " — " + (c.permanent_address || c.current_address || "");
          var address = form.querySelector("[name=address]");
          if (address && !address.value) { address.value = c.permanent_address || c.current_address || ""; }
        })
        .catch(function () { answer.textContent = "Không hỏi được CSDL dân cư."; });
    });
  });
  // The second screen waits for the next receipt to sign: it looks again every few seconds.
  if (document.querySelector("[data-pad-wait]")) {
    setTimeout(function () { location.reload(); }, 3000);
  }
})();
