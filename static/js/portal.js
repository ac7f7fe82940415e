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
