// Filing wizard: small conveniences only. Every screen works without this file.
(function () {
  "use strict";
  // Browsing events or earlier entries by category: show the list as soon as a
  // category is picked (the "Show" button does the same without JavaScript).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) {
        select.form.submit();
      }
    });
  });
  // Joint filing: open the list of co-filing attorneys when the box is ticked.
  var joint = document.getElementById("id_joint");
  var details = document.getElementById("co-filers");
  if (joint && details) {
    joint.addEventListener("change", function () {
      details.open = joint.checked;
    });
  }
})();
