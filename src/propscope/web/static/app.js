// propscope web app: small enhancements over server-rendered pages. Every page works without
// them; nothing here builds HTML from strings (text goes in through textContent only).
"use strict";

(function () {
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // -- hover cards: the definition of each highlight, also on keyboard focus ---------------
  function setupTooltips() {
    var tip = null;
    function show(el) {
      var text = el.getAttribute("data-hover");
      if (!text) return;
      hide();
      tip = document.createElement("div");
      tip.className = "tooltip";
      tip.id = "tooltip";
      tip.setAttribute("role", "tooltip");
      tip.textContent = text;
      document.body.appendChild(tip);
      el.setAttribute("aria-describedby", "tooltip");
      var box = el.getBoundingClientRect();
      var left = Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
      tip.style.left = Math.max(8, left) + "px";
      tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    }
    function hide() {
      if (tip) { tip.remove(); tip = null; }
    }
    document.querySelectorAll("mark.ev[title], .chip[title], .swatch[title]").forEach(function (el) {
      el.setAttribute("data-hover", el.getAttribute("title"));
      el.removeAttribute("title");
      el.addEventListener("mouseenter", function () { show(el); });
      el.addEventListener("focus", function () { show(el); });
      el.addEventListener("mouseleave", hide);
      el.addEventListener("blur", hide);
    });
  }

  // -- analyse form: drop a file, show progress ------------------------------------------
  function setupAnalyseForm() {
    var form = document.getElementById("analyse-form");
    if (!form) return;
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("file");
    var name = zone ? zone.querySelector(".filename") : null;
    function showName() {
      if (name) name.textContent = input.files.length ? input.files[0].name : "";
    }
    if (zone && input) {
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function () { zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          showName();
        }
      });
      input.addEventListener("change", showName);
    }
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var busy = form.querySelector(".busy");
      if (button) button.disabled = true;
      if (busy) busy.hidden = false;
    });
  }

  // -- sortable tables -------------------------------------------------------------------
  function cellValue(row, index, numeric) {
    var cell = row.children[index];
    var raw = cell ? (cell.getAttribute("data-value") || cell.textContent.trim()) : "";
    if (!numeric) return raw.toLowerCase();
    var number = parseFloat(raw);
    return isNaN(number) ? -Infinity : number;
  }

  function setupSorting() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var headers = table.querySelectorAll("thead th[data-sort]");
      headers.forEach(function (th) {
        th.tabIndex = 0;
        function sort() {
          var index = Array.prototype.indexOf.call(th.parentNode.children, th);
          var numeric = th.getAttribute("data-sort") === "number";
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
            var order = x < y ? -1 : x > y ? 1 : 0;
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
        });
      });
    });
  }

  // -- corrections on the article page ---------------------------------------------------
  function apiKeyHeaders() {
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var key = window.sessionStorage ? sessionStorage.getItem("propscope-api-key") : null;
    if (key) headers["X-API-Key"] = key;
    return headers;
  }

  function errorText(response, body) {
    var error = body && body.error;
    if (error && error.message) return error.message;
    if (body && body.detail) return typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    return "HTTP " + response.status;
  }

  function postJSON(url, payload) {
    return fetch(url, {
      method: "POST", headers: apiKeyHeaders(), body: JSON.stringify(payload), credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) throw new Error(errorText(response, body));
        return body;
      });
    });
  }

  function setupCorrections() {
    var root = document.querySelector("[data-corrections-url]");
    if (!root) return;
    var url = root.getAttribute("data-corrections-url");
    var toggle = document.getElementById("toggle-corrections");
    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var on = root.classList.toggle("correcting");
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        toggle.textContent = on ? "Done correcting" : "Correct labels";
      });
    }
    var keyInput = document.getElementById("api-key");
    if (keyInput && window.sessionStorage) {
      keyInput.value = sessionStorage.getItem("propscope-api-key") || "";
      keyInput.addEventListener("change", function () {
        sessionStorage.setItem("propscope-api-key", keyInput.value.trim());
      });
    }
    root.querySelectorAll("form.correction").forEach(function (form) {
      var task = form.getAttribute("data-task") || "techniques";
      var line = form.hasAttribute("data-line") ? parseInt(form.getAttribute("data-line"), 10) : null;
      var status = form.querySelector(".status");
      function send(action, label, button) {
        status.classList.remove("failed");
        status.textContent = "saving…";
        if (button) button.disabled = true;
        var payload = { task: task, label: label, action: action };
        if (line !== null) payload.line = line;
        postJSON(url, payload).then(function () {
          status.textContent = (action === "remove" ? "marked wrong: " : "added: ") + label;
          if (button && action === "remove") button.classList.add("done");
        }).catch(function (error) {
          status.classList.add("failed");
          status.textContent = "not saved: " + error.message;
          if (button) button.disabled = false;
        });
      }
      form.querySelectorAll("button.reject").forEach(function (button) {
        button.addEventListener("click", function () { send("remove", button.getAttribute("data-label"), button); });
      });
      var add = form.querySelector("button.add");
      var select = form.querySelector("select[name=label]");
      if (add && select) {
        add.addEventListener("click", function () {
          if (select.value) send("add", select.value, null);
          else status.textContent = "choose a technique first";
        });
      }
    });
  }

  // -- import page: start a job, then poll its progress ----------------------------------
  var FINISHED = ["done", "failed"];

  function setupImport() {
    var form = document.getElementById("import-form");
    if (!form) return;
    var api = form.getAttribute("data-api");
    var panel = document.getElementById("import-status");
    var bar = panel.querySelector("progress");
    var message = panel.querySelector(".message");
    var fields = {};
    panel.querySelectorAll("[data-field]").forEach(function (el) { fields[el.getAttribute("data-field")] = el; });

    function render(job) {
      panel.hidden = false;
      panel.setAttribute("data-status", job.status || "");
      Object.keys(fields).forEach(function (key) {
        var value = job[key];
        if (Array.isArray(value)) value = value.join(", ");
        fields[key].textContent = value === undefined || value === null || value === "" ? "–" : String(value);
      });
      var finished = FINISHED.indexOf(job.status) !== -1;
      if (finished) { bar.max = 1; bar.value = 1; } else bar.removeAttribute("value");
      var errors = panel.querySelector(".errors");
      errors.textContent = "";
      (job.errors || []).slice(0, 100).forEach(function (line) {
        var li = document.createElement("li");
        li.textContent = String(line);
        errors.appendChild(li);
      });
      return finished;
    }

    function poll(url) {
      fetch(url, { headers: { "Accept": "application/json" } }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (job) {
          if (!response.ok) throw new Error(errorText(response, job));
          if (render(job)) {
            message.textContent = job.status === "failed"
              ? "The import stopped: " + (job.message || "see the errors below")
              : "Import finished.";
            panel.querySelector(".corpus-link").hidden = false;
          } else {
            message.textContent = job.status === "queued" ? "Waiting to start…" : "Importing…";
            setTimeout(function () { poll(url); }, 600);
          }
        });
      }).catch(function (error) {
        message.textContent = "Could not read the progress: " + error.message;
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var files = form.querySelector("input[type=file]").files;
      var urls = form.querySelector("textarea[name=urls]").value.split(/\s+/).filter(Boolean);
      var feed = form.querySelector("input[name=feed]").checked;
      var language = form.querySelector("[name=language]").value.trim();
      var headers = { "Accept": "application/json" };
      var key = window.sessionStorage ? sessionStorage.getItem("propscope-api-key") : null;
      if (key) headers["X-API-Key"] = key;
      var body;
      if (files.length && urls.length) { message.textContent = "Give files or addresses, not both."; panel.hidden = false; return; }
      if (files.length) {
        body = new FormData();
        Array.prototype.forEach.call(files, function (file) { body.append("files", file, file.name); });
        if (feed) body.append("feed", "true");
        if (language) body.append("language", language);
      } else if (urls.length) {
        headers["Content-Type"] = "application/json";
        var payload = { urls: urls, feed: feed };
        if (language) payload.language = language;
        body = JSON.stringify(payload);
      } else {
        message.textContent = "Choose files or give addresses first.";
        panel.hidden = false;
        return;
      }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      message.textContent = "Starting…";
      panel.hidden = false;
      panel.querySelector(".corpus-link").hidden = true;
      fetch(api, { method: "POST", body: body, headers: headers }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (job) {
          if (!response.ok) throw new Error(errorText(response, job));
          history.replaceState(null, "", "/import?job=" + encodeURIComponent(job.id));
          render(job);
          poll(api + "/" + encodeURIComponent(job.id));
        });
      }).catch(function (error) {
        message.textContent = "The import did not start: " + error.message;
      }).then(function () { button.disabled = false; });
    });

    var existing = panel.getAttribute("data-job");
    if (existing) poll(api + "/" + encodeURIComponent(existing));
  }

  // -- charts drawn by their own request (the page does not wait for them) ---------------
  function setupCharts() {
    document.querySelectorAll(".chart-body[data-src]").forEach(function (holder) {
      fetch(holder.getAttribute("data-src"), { headers: { "Accept": "image/svg+xml" } }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      }).then(function (text) {
        var parsed = new DOMParser().parseFromString(text, "image/svg+xml");
        var svg = parsed.documentElement;
        if (svg.nodeName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
          throw new Error("not an SVG image");
        }
        holder.replaceChildren(document.importNode(svg, true));
        holder.setAttribute("data-drawn", "true");
      }).catch(function (error) {
        var message = document.createElement("p");
        message.className = "error";
        message.textContent = "The chart could not be drawn: " + error.message;
        holder.replaceChildren(message);
        holder.setAttribute("data-drawn", "failed");
      });
    });
  }

  ready(function () {
    setupCharts();
    setupTooltips();
    setupAnalyseForm();
    setupSorting();
    setupCorrections();
    setupImport();
  });
})();
