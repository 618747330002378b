// The dashboard updates its numbers in place every minute: it fetches the
// numbers' part of the page again and puts it where the old one was, so
// the rest of the page, and whatever the manager is typing into it, stays
// as it is. A hidden tab does not ask; it catches up when shown again.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!live || !window.fetch || !("content" in document.createElement("template"))) {
    return;
  }
  var busy = false;
  function update() {
    if (document.hidden || busy) {
      return;
    }
    busy = true;
    fetch(live.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (r.redirected || r.status === 401 || r.status === 303) {
          throw new Error("session");
        }
        if (!r.ok) {
          throw new Error(String(r.status));
        }
        return r.text();
      })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html;
        live.replaceChildren(t.content);
        status.textContent = "";
        document.dispatchEvent(new CustomEvent("sharecard:updated"));
      })
      .catch(function (e) {
        status.textContent = e.message === "session"
          ? "Du er logget ud: log ind igen for at se de nyeste tal."
          : "Tallene kunne ikke opdateres; siden prøver igen om et minut.";
      })
      .finally(function () {
        busy = false;
      });
  }
  setInterval(update, 60000);
  document.addEventListener("visibilitychange", update);
  document.addEventListener("sharecard:update", update);
})();
