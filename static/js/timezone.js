// The public sign-up page: preselect the visitor's own time zone, as the browser knows it,
// and refresh the session times for it (htmx). Without script, the session's zone is
// preselected and the "Show times" button changes it.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.querySelector("select[data-browser-zone=auto]");
  if (!select || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === select.value) { return; }
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      return;
    }
  }
});
