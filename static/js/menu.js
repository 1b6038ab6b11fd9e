// The top bar's Menu button (under 900 px): shows and hides the navigation and the search.
// Without this script the button stays hidden and the navigation simply wraps.
(function () {
  "use strict";
  function setUp() {
    var bar = document.querySelector(".topbar");
    var button = bar && bar.querySelector(".menu-toggle");
    if (!button) return;
    bar.classList.add("has-menu");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      bar.classList.toggle("menu-open", open);
    });
    // Escape closes the open menu and gives focus back to its button.
    bar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && bar.classList.contains("menu-open")) {
        button.setAttribute("aria-expanded", "false");
        bar.classList.remove("menu-open");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
