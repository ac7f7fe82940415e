// The portal's little bit of script. Everything works without it; it only makes
// inline validation mark the field it checked.
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
document.addEventListener("htmx:oobAfterSwap", function (event) {
  var target = event.detail.target;
  if (!target || !target.id || !/-feedback$/.test(target.id)) { return; }
  var input = document.getElementById(target.id.replace(/-feedback$/, ""));
  if (!input) { return; }
  if (target.querySelector(".error")) { input.setAttribute("aria-invalid", "true"); }
  else { input.removeAttribute("aria-invalid"); }
});

// The statement editor: autosave pauses while a conflict is shown (the writer chooses),
// and leaving the page with changes not yet saved asks first.
(function () {
  var dirty = false;
  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form.hasAttribute("data-autosave")) { dirty = true; }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-autosave") &&
        document.querySelector("#save-status.conflict")) {
      event.preventDefault();
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-autosave") && event.detail.successful) {
      dirty = !!document.querySelector("#save-status.error");
    }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosave")) { dirty = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();

// "Print" links.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-print]");
  if (link) { event.preventDefault(); window.print(); }
});
