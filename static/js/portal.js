// The portal's little bit of script. Everything works without it; it makes inline
// validation mark the field it checked and moves focus where the user expects it.
document.documentElement.classList.add("js");  // styles that need script (the switcher)
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (!target || !target.id || !/-feedback$/.test(target.id)) { return; }
  var feedback = document.getElementById(target.id);
  var input = document.getElementById(target.id.replace(/-feedback$/, ""));
  if (!feedback || !input) { return; }
  if (feedback.querySelector(".error")) {
    input.setAttribute("aria-invalid", "true");
  } else if (input.value) {
    input.setAttribute("aria-invalid", "false");
  } else {
    input.removeAttribute("aria-invalid");
  }
});

// A plain form with data-confirm asks before it is sent (HTMX forms use hx-confirm).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Feedback swapped in out of band (the statement editor's autosave) marks its field too.
// (After an outerHTML swap the event's detail.target is the replaced, detached element:
// read the one now in the page.)
document.addEventListener("htmx:oobAfterSwap", function (event) {
  var old = event.detail.target;
  if (!old || !old.id || !/-feedback$/.test(old.id)) { return; }
  var feedback = document.getElementById(old.id);
  var input = document.getElementById(old.id.replace(/-feedback$/, ""));
  if (!feedback || !input) { return; }
  if (feedback.querySelector(".error")) { input.setAttribute("aria-invalid", "true"); }
  else { input.removeAttribute("aria-invalid"); }
});

// The statement editor: autosave pauses while a conflict is shown (the writer chooses),
// and leaving the page with changes not yet saved asks first. Each keystroke counts; a
// save clears the warning only if nothing was typed while it was on its way.
(function () {
  var typed = 0, saved = 0, closing = -1;
  function inEditor(elt) { return elt && elt.closest && elt.closest("form[data-autosave]"); }
  document.addEventListener("input", function (event) {
    if (inEditor(event.target)) { typed += 1; }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-autosave") &&
        document.querySelector("#save-status.conflict")) {
      event.preventDefault();
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!inEditor(elt)) { return; }
    elt.dataset.typedAtSend = typed;
    // "Save and close" answers with a redirect: leaving is then expected.
    if (elt.name === "close") { closing = typed; }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!inEditor(elt)) { return; }
    var failed = !event.detail.successful ||
      document.querySelector("#save-status.error, #save-status.conflict");
    if (failed) { closing = -1; return; }
    saved = Math.max(saved, Number(elt.dataset.typedAtSend || 0));
  });
  document.addEventListener("submit", function (event) {
    if (inEditor(event.target)) { closing = typed; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (typed > Math.max(saved, closing)) { event.preventDefault(); event.returnValue = ""; }
  });
})();

// "Print" links.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-print]");
  if (link) { event.preventDefault(); window.print(); }
});

// "Select all" checkboxes: data-check-all="<name>" ticks every box of that name in its form.
document.addEventListener("change", function (event) {
  var all = event.target;
  if (!all.dataset || !all.dataset.checkAll || !all.form) { return; }
  all.form.querySelectorAll('input[type=checkbox][name="' + all.dataset.checkAll + '"]')
    .forEach(function (box) { box.checked = all.checked; });
});

// The language switcher changes the language as soon as one is chosen (without script,
// its button does).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
    select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
  }
});

// Where focus goes, on load and after each HTMX swap: to the element the server marked
// with data-focus (an error summary, a field in error, the message of what was just
// done, a new result). Declarative: any template may mark one element; the first marked
// element of the swapped content wins, then one anywhere in the page (a message swapped
// out of band). An element that is not focusable gets tabindex=-1; the mark is removed
// once used, so a later swap does not move focus back to it.
(function () {
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function marked(root) {
    if (root && root.nodeType === 1 && root.isConnected) {
      if (root.matches("[data-focus]")) { return root; }
      var inside = root.querySelector("[data-focus]");
      if (inside) { return inside; }
    }
    return document.querySelector("[data-focus]");
  }
  function focusMarked(root) {
    var target = marked(root);
    if (!target) { return; }
    document.querySelectorAll("[data-focus]").forEach(function (elt) {
      elt.removeAttribute("data-focus");
    });
    if (!target.matches(FOCUSABLE)) { target.setAttribute("tabindex", "-1"); }
    target.setAttribute("data-focused", "");
    target.focus({ preventScroll: true });
    var box = target.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      target.scrollIntoView({ block: box.height > window.innerHeight ? "start" : "center" });
    }
  }
  window.portalFocus = focusMarked;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusMarked(document.body); });
  } else {
    focusMarked(document.body);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    focusMarked(event.detail.elt);
  });
  // A link of the error summary focuses its field and shows the field's label.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) { return; }
    event.preventDefault();
    var fieldset = field.type === "radio" || field.type === "checkbox" ? field.closest("fieldset") : null;
    var label = (fieldset && fieldset.querySelector("legend")) ||
      document.querySelector('label[for="' + field.id + '"]') || field;
    label.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
