// core.widgets.SearchRadios: ArrowDown in the search box moves to its matches (the checked
// radio or the first); from there the browser's own radio keys apply (arrows choose, Enter
// submits the form). Without this script Tab reaches the same radios.
document.addEventListener("keydown", function (event) {
  var box = event.target;
  if (event.key !== "ArrowDown" || !box.classList || !box.classList.contains("search-radios-q")) {
    return;
  }
  var results = document.getElementById(box.getAttribute("aria-controls"));
  var radio = results && (results.querySelector("input:checked") || results.querySelector("input"));
  if (radio) {
    event.preventDefault();
    radio.focus();
    radio.checked = true;
  }
});
