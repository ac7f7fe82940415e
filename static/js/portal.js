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
// with data-focus (an error summary, a field in error, a new result), else to the
// message of what was just done (data-focus="message", set by _messages.html). Any
// template may mark one element: the first marked element of the swapped content wins,
// then one anywhere in the page (a message swapped out of band). On a full page an
// [autofocus] field keeps focus over a message. An element that is not focusable gets
// tabindex=-1; the marks are removed once used, so a later swap does not come back.
//
// What is announced: the text of an element marked data-announce, or the count of a
// filtered list (data-count), that arrives with a swap is read out once in the page's
// one polite status (#announcer, made here), not the whole region that changed.
(function () {
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function first(scope, selector) {
    if (!scope || scope.nodeType !== 1 || !scope.isConnected) { return null; }
    return scope.matches(selector) ? scope : scope.querySelector(selector);
  }
  function chooseTarget(root, onLoad) {
    var strong = "[data-focus]:not([data-focus=message])";
    var target = first(root, strong) || document.querySelector(strong);
    if (target) { return target; }
    if (onLoad && document.querySelector("[autofocus]")) { return null; }
    return first(root, "[data-focus=message]") || document.querySelector("[data-focus=message]");
  }
  function focusMarked(root, onLoad) {
    var target = chooseTarget(root, onLoad);
    document.querySelectorAll("[data-focus]").forEach(function (elt) {
      elt.removeAttribute("data-focus");
    });
    if (!target) { return; }
    if (!target.matches(FOCUSABLE)) { target.setAttribute("tabindex", "-1"); }
    target.setAttribute("data-focused", "");
    target.focus({ preventScroll: true });
    var box = target.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      target.scrollIntoView({ block: box.height > window.innerHeight / 2 ? "start" : "center" });
    }
  }

  var announcer = null, lastSaid = "";
  function announce(text) {
    text = (text || "").replace(/\s+/g, " ").trim();
    if (!announcer || !text || text === lastSaid) { return; }
    lastSaid = text;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }
  function announceFrom(root) {
    var elt = first(root, "[data-announce]") || first(root, "[data-count]");
    if (elt) { announce(elt.getAttribute("data-announce") || elt.textContent); }
  }

  function start() {
    var main = document.getElementById("content") || document.body;
    announcer = document.createElement("div");
    announcer.id = "announcer";
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");  // not role=status: the page's own
    announcer.setAttribute("aria-atomic", "true");   // status messages keep that role
    main.appendChild(announcer);
    focusMarked(document.body, true);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Without a mark, a form sent (submitted) by HTMX never leaves focus nowhere: its first
  // field in error, else its error or status message, else (when the focused element
  // was swapped away) the first heading of the new content, else the content itself.
  function fallback(root) {
    if (!root || root.nodeType !== 1 || !root.isConnected) { return; }
    var lost = !document.activeElement || document.activeElement === document.body ||
      !document.activeElement.isConnected;
    var target = first(root, "[aria-invalid=true]") ||
      first(root, ".form-errors, [role=alert], .flash") ||
      (lost ? first(root, "h1, h2, h3, h4") || root : null);
    if (target) {
      target.setAttribute("data-focus", "");
      focusMarked(root, false);
    }
  }
  var settled = new WeakSet();  // one decision per response (several elements may settle)
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail, config = detail.requestConfig || {};
    if (detail.xhr) {
      if (settled.has(detail.xhr)) { announceFrom(detail.elt); return; }
      settled.add(detail.xhr);
    }
    var sender = config.elt, how = config.triggeringEvent && config.triggeringEvent.type;
    var submitted = how === "submit" || (how === "click" && sender && sender.type === "submit");
    // The swap's target as it is now (replaced by outerHTML: its successor of the same id).
    var root = detail.target;
    if (root && !root.isConnected && root.id) { root = document.getElementById(root.id); }
    if (!root || !root.isConnected) { root = detail.elt; }
    if (chooseTarget(root, false)) {
      focusMarked(root, false);
    } else if (submitted) {
      fallback(root);
    }
    announceFrom(detail.elt);
  });
  window.portalAnnounce = announce;

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
