// Claims upload log: reload while the batch is being filed, so the progress and each
// claim's result appear. Without JavaScript the page's <noscript> refresh does the same.
(function () {
  "use strict";
  var box = document.getElementById("batch-status");
  if (!box || box.getAttribute("data-running") !== "true") {
    return;
  }
  window.setTimeout(function () { window.location.reload(); }, 5000);
})();
