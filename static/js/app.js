// After an htmx swap, move keyboard and screen-reader focus to the new content:
// the first element marked data-autofocus, else the swapped region itself.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  var focus = target.querySelector("[data-autofocus]") || target;
  if (!focus.hasAttribute("tabindex") && focus === target) {
    focus.setAttribute("tabindex", "-1");
  }
  focus.focus({ preventScroll: false });
});

// Forms whose submit buttons ask for confirmation (data-confirm="…").
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// The commitment list: update the URL and results as filters change (the form still
// submits normally without JavaScript).
document.addEventListener("change", function (event) {
  var form = event.target.closest("form[data-autosubmit]");
  if (form && window.htmx) {
    window.htmx.trigger(form, "submit");
  }
});
