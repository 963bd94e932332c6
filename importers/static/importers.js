// Progressive enhancement of the Imports page; everything works without it.
// - drag and drop a file onto the drop zone;
// - show upload progress (XMLHttpRequest) and then follow the server's redirect;
// - poll a queued or running batch and reload the page when it is done.
(function () {
  "use strict";

  function enhanceDropZone(zone) {
    var input = zone.querySelector("input[type=file]");
    var name = zone.querySelector("[data-drop-name]");
    function show() { if (name) { name.textContent = input.files.length ? input.files[0].name : ""; } }
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("drag-over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("drag-over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
  }

  function enhanceUpload(form) {
    var box = form.querySelector("[data-upload-progress]");
    var bar = box ? box.querySelector("progress") : null;
    // the bar shows only while a file travels; back from the next page (bfcache) it is gone again
    function done() {
      if (box) { box.hidden = true; }
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = false; });
    }
    window.addEventListener("pageshow", done);
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !bar) { return; }
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) { data.set(event.submitter.name, event.submitter.value); }
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action"));
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      request.addEventListener("load", function () {
        if (request.status < 400 && request.responseURL) { window.location = request.responseURL; }
        else { document.open(); document.write(request.responseText); document.close(); }
      });
      request.addEventListener("error", function () { done(); form.submit(); });
      box.hidden = false;
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
      request.send(data);
    });
  }

  function followBatch(box) {
    var bar = box.querySelector("progress");
    var count = box.querySelector("[data-import-count]");
    function poll() {
      fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (!state.pending) { window.location.reload(); return; }
          if (state.percent !== null) { bar.value = state.percent; }
          if (count) { count.textContent = state.progress_rows.toLocaleString() + " " + count.textContent.replace(/^[\d.,\s\u00a0]+/, ""); }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  }

  document.querySelectorAll("[data-drop-zone]").forEach(enhanceDropZone);
  document.querySelectorAll("[data-import-form]").forEach(enhanceUpload);
  document.querySelectorAll("[data-import-progress]").forEach(followBatch);
})();
