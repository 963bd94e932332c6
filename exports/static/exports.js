// Follows the progress of queued exports on the queue page and says when a file is ready.
// Without JavaScript the page still works: reload it to see the progress.
(function () {
  "use strict";
  var POLL_MS = 2000;
  var announcer = document.getElementById("export-announcer");

  function render(row, data) {
    var state = row.querySelector(".state");
    var file = row.querySelector(".file");
    if (data.status === "queued" || data.status === "running") {
      var bar = state.querySelector("progress");
      if (bar) { bar.value = data.progress; bar.textContent = data.progress + " %"; }
      var stage = state.querySelector(".stage");
      if (stage) { stage.textContent = data.text; }
      return false;
    }
    state.textContent = data.text;
    if (data.download_url) {
      file.textContent = "";
      var link = document.createElement("a");
      link.href = data.download_url;
      link.textContent = row.querySelector("th").textContent.trim();
      file.appendChild(link);
      var hash = document.createElement("code");
      hash.className = "hash";
      hash.textContent = " SHA-256 " + data.sha256;
      file.appendChild(hash);
    }
    if (announcer) {
      announcer.textContent = row.querySelector("th").textContent.trim() + ": " + data.text;
    }
    return true;
  }

  function poll(row) {
    fetch(row.getAttribute("data-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && render(row, data)) { row.removeAttribute("data-status-url"); return; }
        window.setTimeout(function () { poll(row); }, POLL_MS);
      })
      .catch(function () { window.setTimeout(function () { poll(row); }, POLL_MS * 3); });
  }

  var hint = document.querySelector("[data-no-script-hint]");
  if (hint) { hint.hidden = true; }
  document.querySelectorAll("tr[data-status-url]").forEach(poll);
})();
