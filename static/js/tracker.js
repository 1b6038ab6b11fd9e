// The Success Tracker: move an objective's, playbook's or playbook task's dates by dragging
// its bar (the body moves both dates, an end moves that date) or with the keys of the bar's
// button: <- -> a day, Shift the end only, Alt the start only, Enter saves, Escape cancels.
// Saving posts the record's plain Dates form (the same view, service and validation); the
// server answers with the tracker again, or with the form and its message when refused.
(function () {
  var DAY = 86400000;
  var active = null; // {button, bar, start, end, from, to}

  function parse(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]);
  }
  function iso(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }
  function long(ms) {
    var d = new Date(ms);
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    return months[d.getUTCMonth()] + " " + d.getUTCDate() + ", " + d.getUTCFullYear();
  }
  function sheet(el) {
    return el.closest(".tracker-sheet");
  }
  function status(text) {
    var region = document.getElementById("tracker-move-status");
    if (region) region.textContent = text;
  }

  function begin(button) {
    if (active && active.button === button) return active;
    cancel();
    var bar = button.closest(".tracker-bar");
    active = {
      button: button,
      bar: bar,
      style: [bar.style.left, bar.style.width],
      from: parse(button.dataset.start),
      to: parse(button.dataset.end),
    };
    active.start = active.from;
    active.end = active.to;
    bar.classList.add("moving");
    return active;
  }

  // Show the pending dates: the bar where they put it, and the status line in words.
  function preview() {
    var s = sheet(active.bar);
    var first = parse(s.dataset.windowStart);
    var days = +s.dataset.windowDays;
    var left = ((active.start - first) / DAY) * 100 / days;
    var right = ((active.end + DAY - first) / DAY) * 100 / days;
    left = Math.max(left, 0);
    right = Math.min(right, 100);
    active.bar.style.setProperty("left", left.toFixed(2) + "%");
    active.bar.style.setProperty("width", Math.max(right - left, 0).toFixed(2) + "%");
    status(
      active.button.dataset.name + ": " + long(active.start) +
        (active.end === active.start ? "" : " \u2013 " + long(active.end)) +
        ". Enter saves, Escape cancels."
    );
  }

  function cancel() {
    if (!active) return;
    active.bar.style.setProperty("left", active.style[0]);
    active.bar.style.setProperty("width", active.style[1]);
    active.bar.classList.remove("moving");
    active = null;
    status("");
  }

  function move(edge, days) {
    if (edge !== "end") active.start += days * DAY;
    if (edge !== "start") active.end += days * DAY;
    if (active.end < active.start) {
      // An end cannot pass the other one here; the server says so for typed dates.
      if (edge === "end") active.end = active.start;
      else active.start = active.end;
    }
    preview();
  }

  function save() {
    if (!active || (active.start === active.from && active.end === active.to)) {
      cancel();
      return;
    }
    var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    var form = document.createElement("form");
    form.method = "post";
    form.action = active.button.dataset.moveUrl;
    var fields = {
      csrfmiddlewaretoken: token,
      start_date: iso(active.start),
      end_date: iso(active.end),
      next: window.location.pathname + window.location.search,
    };
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    status("Saving\u2026");
    form.submit();
  }

  document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest(".tracker-drag");
    if (!button) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      begin(button);
      move(event.shiftKey ? "end" : event.altKey ? "start" : "both", event.key === "ArrowLeft" ? -1 : 1);
    } else if (event.key === "Enter" && active && active.button === button) {
      event.preventDefault();
      save();
    } else if (event.key === "Escape" && active) {
      event.preventDefault();
      cancel();
    }
  });

  // Dragging: days follow the pointer's distance over the lane's width.
  document.addEventListener("pointerdown", function (event) {
    var button = event.target.closest && event.target.closest(".tracker-drag");
    if (!button || event.button !== 0) return;
    event.preventDefault();
    button.focus();
    var state = begin(button);
    var handle = event.target.closest(".tracker-handle");
    var edge = handle ? handle.dataset.edge : "both";
    var lane = button.closest(".tracker-lane");
    var perDay = lane.getBoundingClientRect().width / +sheet(button).dataset.windowDays;
    var x = event.clientX;
    var base = [state.start, state.end];
    var moved = false;
    function onMove(e) {
      var days = Math.round((e.clientX - x) / perDay);
      state.start = base[0];
      state.end = base[1];
      if (days !== 0) moved = true;
      move(edge, days);
    }
    function onUp() {
      document.removeEventListener("pointermove", onMove);
      document.removeEventListener("pointerup", onUp);
      if (moved) save();
    }
    document.addEventListener("pointermove", onMove);
    document.addEventListener("pointerup", onUp);
  });
})();
