// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so keyboard and screen-reader users hear it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
