// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so keyboard and screen-reader users hear it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });

  // The small-screen menu: without JavaScript a link opens it (#site-menu:target);
  // here it becomes a button that says whether the menu is open and closes on Escape.
  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("a.menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!link || !menu) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "menu-toggle";
    button.textContent = link.textContent;
    button.setAttribute("aria-controls", "site-menu");
    link.replaceWith(button);
    document.documentElement.classList.add("has-menu-js");

    function setOpen(open) {
      menu.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    setOpen(window.location.hash === "#site-menu");
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      if (getComputedStyle(button).display === "none") return;
      setOpen(false);
      button.focus();
    });
  });
})();
