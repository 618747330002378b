// Engagement beacon: reports seconds the invitation page was visible, with
// navigator.sendBeacon, no cookies and no identifiers. Browsers that send
// Do-Not-Track or Global Privacy Control are not measured.
(function () {
  "use strict";
  var main = document.querySelector("[data-beacon]");
  if (!main || !navigator.sendBeacon) return;
  if (navigator.doNotTrack === "1" || navigator.globalPrivacyControl === true) return;
  var url = main.getAttribute("data-beacon");
  var visibleSince = document.visibilityState === "visible" ? Date.now() : 0;
  var pending = 0;
  function stop() {
    if (visibleSince) {
      pending += (Date.now() - visibleSince) / 1000;
      visibleSince = 0;
    }
  }
  function flush() {
    stop();
    if (pending >= 1) {
      navigator.sendBeacon(url, String(Math.round(pending)));
      pending = 0;
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      visibleSince = Date.now();
    } else {
      flush();
    }
  });
  window.addEventListener("pagehide", flush);
})();
