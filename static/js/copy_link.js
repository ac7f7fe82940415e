// Info sessions: a "Copy" button beside each public sign-up link (hidden without script:
// the link can still be selected and copied from its field).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (navigator.clipboard) { button.hidden = false; }
  });
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) { return; }
  var field = document.getElementById(button.dataset.copy);
  if (!field) { return; }
  navigator.clipboard.writeText(field.value).then(function () {
    button.textContent = button.dataset.copied;
  });
});
