// openvoucher dashboard: the only script. Everything works without it; it refreshes an
// async action's progress bar in place instead of by the page's meta refresh.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-progress-label]");
  function poll() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (a) {
        bar.value = a.progress || 0;
        label.textContent = a.status + " · " + (a.progress || 0) + " %";
        if (a.status === "DONE" || a.status === "FAILED") { window.location.reload(); return; }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
