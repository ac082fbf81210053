// Docket sheet progress: poll the job's JSON status and move the <progress> bar.
// Without JavaScript the page's <meta http-equiv="refresh"> does the same, slower.
(function () {
  "use strict";
  var box = document.getElementById("sheet-status");
  var bar = document.getElementById("sheet-progress");
  if (!box || !bar || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var label = document.querySelector("label[for='sheet-progress']");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        if (label) {
          label.textContent = "Being made: " + job.done + " of " + job.total + " entries";
        }
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
