// After an htmx swap, move keyboard and screen-reader focus to what the person must read
// next. A refused form (422, or 409 for an edit conflict) comes back with its errors: focus
// goes to the first field marked aria-invalid, else to the error summary. Otherwise to the
// first element marked data-autofocus, else the swapped region itself.
(function () {
  "use strict";

  var swapped = [];
  var swapDetail = null;

  function isVisible(element) {
    return element.getClientRects().length > 0;
  }

  function firstVisible(elements, selector) {
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var candidates = element.matches(selector) ? [element] : [];
      candidates = candidates.concat(Array.prototype.slice.call(element.querySelectorAll(selector)));
      for (var j = 0; j < candidates.length; j++) {
        if (isVisible(candidates[j])) {
          return candidates[j];
        }
      }
    }
    return null;
  }

  function moveFocus(element) {
    // Fields and buttons take focus as they are; a region or a message needs tabindex -1
    // (never on a field: that would take it out of the tab order).
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: false });
  }

  function focusSwapped() {
    var elements = swapped.filter(function (element) {
      return element.isConnected;
    });
    var status = swapDetail && swapDetail.xhr ? swapDetail.xhr.status : 200;
    swapped = [];
    swapDetail = null;
    if (!elements.length) {
      return;
    }
    var selectors = ["[data-autofocus]"];
    if (status === 409 || status === 422) {
      selectors = ['[aria-invalid="true"]', "[data-error-summary]", '[role="alert"]'].concat(
        selectors
      );
    }
    for (var i = 0; i < selectors.length; i++) {
      var found = firstVisible(elements, selectors[i]);
      if (found) {
        moveFocus(found);
        return;
      }
    }
    moveFocus(elements[elements.length - 1]);
  }

  // htmx fires afterSwap once per swapped element (an out-of-band piece, then the main
  // one): collect them and choose once, when the swap is done.
  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    if (!detail.target) {
      return; // a history restore (Back): the browser keeps its own focus
    }
    // Changing a filter re-renders the results; focus stays in the filter form.
    var trigger = detail.requestConfig && detail.requestConfig.elt;
    if (trigger && trigger.closest && trigger.closest("form[role=search]")) {
      return;
    }
    swapped.push(event.target);
    if (!swapDetail) {
      swapDetail = detail;
      window.setTimeout(focusSwapped, 0);
    }
  });

  // A failure that brings no form back (403, 404, 500, no network) must not leave the
  // screen unchanged: say so in an alert at the top of the page and move focus to it.
  // What was typed stays in the form, untouched.
  var MESSAGE_FOR_STATUS = { 400: "errorBadRequest", 403: "errorForbidden", 404: "errorNotFound" };

  function clearRequestErrors() {
    var shown = document.querySelectorAll("[data-request-error]");
    for (var i = 0; i < shown.length; i++) {
      shown[i].remove();
    }
  }

  // The server's own reason, as plain text: a 403 page's message, a short text answer.
  function serverReason(xhr) {
    if (!xhr || !xhr.responseText) {
      return "";
    }
    var type = xhr.getResponseHeader("Content-Type") || "";
    var text = "";
    if (type.indexOf("text/plain") === 0) {
      text = xhr.responseText;
    } else if (type.indexOf("text/html") === 0) {
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var reason = page.querySelector("[data-error-detail]");
      if (reason) {
        text = reason.textContent;
      } else if (page.body && !page.body.children.length) {
        text = page.body.textContent; // a bare sentence, as a refused move answers
      }
    }
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 300 ? text.slice(0, 300) + "…" : text;
  }

  function showRequestError(key, reason) {
    var region = document.getElementById("messages");
    if (!region) {
      return;
    }
    clearRequestErrors();
    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-request-error", "");
    var message = document.createElement("p");
    message.className = "mb-0";
    message.textContent = region.dataset[key];
    alert.appendChild(message);
    if (reason && reason !== message.textContent) {
      var detail = document.createElement("p");
      detail.className = "mb-0 mt-1";
      detail.textContent = reason;
      alert.appendChild(detail);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", region.dataset.errorClose);
    alert.appendChild(close);
    region.appendChild(alert);
    moveFocus(alert);
  }

  document.addEventListener("htmx:beforeRequest", clearRequestErrors);

  // A signed-out person's request is redirected to the sign-in page, which arrives as a
  // 200: never swap that page into a form's place, say why nothing was saved instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = document.getElementById("messages");
    var xhr = event.detail && event.detail.xhr;
    if (!region || !xhr || !xhr.responseURL || !region.dataset.loginPath) {
      return;
    }
    var landed = new URL(xhr.responseURL, window.location.href).pathname;
    if (landed === region.dataset.loginPath && window.location.pathname !== landed) {
      event.detail.shouldSwap = false;
      showRequestError("errorSignedOut", "");
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    var key = MESSAGE_FOR_STATUS[status] || (status >= 500 ? "errorServer" : "errorBadRequest");
    showRequestError(key, serverReason(xhr));
  });

  document.addEventListener("htmx:sendError", function () {
    showRequestError("errorNetwork", "");
  });

  document.addEventListener("htmx:timeout", function () {
    showRequestError("errorNetwork", "");
  });
})();

// The language switcher returns to the page as it is now: filters changed with htmx
// pushed a new address after the page (and the switcher's "next") was drawn.
document.addEventListener("htmx:pushedIntoHistory", function () {
  var next = document.querySelector("form[data-language-switcher] input[name=next]");
  if (next) {
    next.value = window.location.pathname + window.location.search;
  }
});

// Recording a session quickly: the commitment form's responsible agencies (rows added
// and removed in place), its deadline date shown only for a deadline by a date, its
// sector taken from the agenda item, and the dialog that adds a missing agency or person
// next to a list.
(function () {
  "use strict";

  // Rows of a formset: "add another" clones the empty form's <template> under the next
  // index and counts it in TOTAL_FORMS; a row not saved yet may be removed (the server
  // skips a missing index: an extra form left empty is not saved).
  function formsetParts(fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    return {
      total: fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]'),
      max: fieldset.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]'),
      rows: fieldset.querySelector("[data-formset-rows]"),
      template: fieldset.querySelector("template[data-formset-template]"),
      add: fieldset.querySelector("[data-formset-add]"),
      full: fieldset.querySelector("[data-formset-full]"),
    };
  }

  function syncFormsetButton(fieldset) {
    var parts = formsetParts(fieldset);
    if (!parts.add || !parts.total || !parts.max) {
      return;
    }
    var full = parseInt(parts.total.value, 10) >= parseInt(parts.max.value, 10);
    parts.add.disabled = full;
    if (parts.full) {
      parts.full.hidden = !full;
    }
  }

  function addFormsetRow(fieldset) {
    var parts = formsetParts(fieldset);
    var index = parseInt(parts.total.value, 10);
    if (index >= parseInt(parts.max.value, 10)) {
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = parts.template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    parts.rows.appendChild(row);
    parts.total.value = String(index + 1);
    syncFormsetButton(fieldset);
    var first = row.querySelector("select, input:not([type=hidden]), textarea");
    if (first) {
      first.focus();
    }
  }

  function removeFormsetRow(button) {
    var row = button.closest("[data-formset-row]");
    var fieldset = button.closest("[data-formset]");
    if (!row || !fieldset) {
      return;
    }
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    var focus = next && next.querySelector("select");
    (focus || formsetParts(fieldset).add).focus();
  }

  // The deadline date: shown for a deadline by a date, hidden (and ignored by the server)
  // for "by the next session" and "ongoing".
  function syncDeadline(kind) {
    var form = kind.form;
    var date = form && form.querySelector("[data-deadline-date]");
    if (!date) {
      return;
    }
    var wrapper = date.closest(".mb-3") || date;
    wrapper.hidden = kind.value !== "date";
  }

  // The sector follows the agenda item chosen, when that item has one.
  function fillSector(item) {
    var sectors;
    try {
      sectors = JSON.parse(item.getAttribute("data-sector-of") || "{}");
    } catch (error) {
      return;
    }
    var sector = item.form && item.form.elements.namedItem("sector");
    if (sector && sectors[item.value]) {
      sector.value = String(sectors[item.value]);
    }
  }

  // The quick-add dialog: opened from the button next to a list, its form loaded fresh
  // each time; the server answers a refused form with the form and its errors (422,
  // swapped in place by htmx) and an accepted one with the new <option>.
  function openQuickAdd(button) {
    var dialog = document.getElementById(button.getAttribute("data-quick-add-open"));
    if (!dialog || !window.htmx) {
      window.location.href = button.href; // the form as a page
      return;
    }
    dialog.quickAddSelect = document.getElementById(button.getAttribute("data-quick-add-for"));
    dialog.quickAddOpener = button;
    var body = dialog.querySelector("[data-quick-add-body]");
    dialog.showModal();
    window.htmx.ajax("GET", dialog.getAttribute("data-url"), { target: body, swap: "innerHTML" });
  }

  function announce(text) {
    var region = document.getElementById("messages");
    if (!region) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-success alert-dismissible";
    alert.setAttribute("role", "status");
    alert.setAttribute("data-quick-added", "");
    alert.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", region.dataset.errorClose || "Close");
    alert.appendChild(close);
    region.appendChild(alert);
  }

  function quickAdded(dialog, html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var option = holder.content.querySelector("option");
    if (!option) {
      return;
    }
    var kind = dialog.getAttribute("data-quick-add-dialog");
    var selector = 'select[data-quick-add-kind="' + kind + '"]';
    // Every list of that kind on the page, and the rows still to be added, offer it.
    var selects = Array.prototype.slice.call(document.querySelectorAll(selector));
    document.querySelectorAll("template[data-formset-template]").forEach(function (template) {
      selects = selects.concat(Array.prototype.slice.call(template.content.querySelectorAll(selector)));
    });
    selects.forEach(function (select) {
      var copy = option.cloneNode(true);
      copy.selected = false;
      copy.removeAttribute("selected");
      select.appendChild(copy);
    });
    var chosen = dialog.quickAddSelect;
    if (chosen) {
      var added = Array.prototype.find.call(chosen.options, function (o) {
        return o.value === option.value;
      });
      if (added) {
        added.selected = true;
      }
      chosen.dispatchEvent(new Event("change", { bubbles: true }));
    }
    dialog.close();
    if (chosen) {
      chosen.focus();
    }
    var message = dialog.getAttribute("data-added-message") || "";
    announce(message.replace("%(name)s", option.textContent));
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail || {};
    var elt = detail.requestConfig && detail.requestConfig.elt;
    var dialog = elt && elt.closest && elt.closest("dialog[data-quick-add-dialog]");
    if (!dialog || !detail.xhr || detail.xhr.status !== 200) {
      return;
    }
    if ((detail.requestConfig.verb || "").toLowerCase() === "post") {
      event.detail.shouldSwap = false;
      quickAdded(dialog, detail.xhr.responseText);
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    var opener = target.closest("[data-quick-add-open]");
    if (opener) {
      event.preventDefault(); // a link to the same form as a page, without JavaScript
      openQuickAdd(opener);
      return;
    }
    var close = target.closest("[data-quick-add-close]");
    if (close) {
      close.closest("dialog").close();
      return;
    }
    var add = target.closest("[data-formset-add]");
    if (add) {
      addFormsetRow(add.closest("[data-formset]"));
      return;
    }
    var remove = target.closest("[data-formset-remove]");
    if (remove) {
      removeFormsetRow(remove);
    }
  });

  // The opener is a link acting as a button: Space opens it too.
  document.addEventListener("keydown", function (event) {
    var opener = event.target.closest && event.target.closest("a[data-quick-add-open]");
    if (opener && event.key === " ") {
      event.preventDefault();
      openQuickAdd(opener);
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-deadline-kind]")) {
      syncDeadline(target);
    } else if (target.matches("[data-sector-of]")) {
      fillSector(target);
    }
  });

  function start() {
    document.querySelectorAll("[data-deadline-kind]").forEach(syncDeadline);
    document.querySelectorAll("[data-formset]").forEach(syncFormsetButton);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// "/" opens search from anywhere but a field being typed in: the search page's box if it
// is on this page, else the search page.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var box = document.getElementById("search-page-q");
  event.preventDefault();
  if (box) {
    box.focus();
    box.select();
    return;
  }
  var link = document.querySelector("[data-search-link]");
  if (link) window.location.assign(link.href);
});

// A menu of downloads (<details class="export-menu">) closes on a click elsewhere and on
// Escape, returning focus to its button, as a menu does.
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.export-menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.export-menu[open]").forEach(function (menu) {
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
});
