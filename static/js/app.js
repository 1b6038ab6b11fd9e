// SuccessHub's only script of its own (htmx aside), loaded after htmx.
//
// The Content-Security-Policy allows no inline styles, so positions the server computes
// (the Success Tracker's bars, ticks and today line) come as data-style="left: 12.50%; ..."
// and are applied here through the CSSOM, which the policy allows. htmx.onLoad runs for the
// page and again for every fragment htmx swaps in.
htmx.onLoad(function (root) {
  var scope = root.querySelectorAll ? root : document;
  var elements = Array.prototype.slice.call(scope.querySelectorAll("[data-style]"));
  if (root.hasAttribute && root.hasAttribute("data-style")) elements.push(root);
  elements.forEach(function (element) {
    element.getAttribute("data-style").split(";").forEach(function (declaration) {
      var colon = declaration.indexOf(":");
      if (colon > 0) {
        element.style.setProperty(
          declaration.slice(0, colon).trim(),
          declaration.slice(colon + 1).trim()
        );
      }
    });
  });
});
