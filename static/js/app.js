// After an htmx swap, move keyboard and screen-reader focus to the new content:
// the first element marked data-autofocus, else the swapped region itself.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail && event.detail.target;
  if (!target) {
    return; // a history restore (Back): the browser keeps its own focus
  }
  // With hx-swap="outerHTML" the target is the element just replaced: find the new one.
  if (!target.isConnected && target.id) {
    target = document.getElementById(target.id);
  }
  if (!target || !target.isConnected) {
    return;
  }
  // Changing a filter re-renders the results; focus stays in the filter form.
  var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (trigger && trigger.closest && trigger.closest("form[role=search]")) {
    return;
  }
  var focus = target.querySelector("[data-autofocus]") || target;
  if (!focus.hasAttribute("tabindex")) {
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
