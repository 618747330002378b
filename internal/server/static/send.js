// The send page: copy the invitation's link, and hand it (with the card
// images, where the phone can share files) to the share sheet. Without
// this script the link can still be selected by hand and every network
// link works; the buttons that need script stay hidden.
(function () {
  "use strict";
  var main = document.querySelector("[data-send]");
  if (!main) return;
  var field = document.getElementById("link");
  var status = document.getElementById("send-status");
  function say(text) {
    // Emptied first so the same message is announced again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  var copy = document.getElementById("copy");
  function selectLink() {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }
  function fallback() {
    selectLink();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    say(main.getAttribute(done ? "data-copied" : "data-selected"));
  }
  copy.hidden = false;
  copy.addEventListener("click", function () {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () {
        say(main.getAttribute("data-copied"));
      }, fallback);
    } else {
      fallback();
    }
  });
  field.addEventListener("focus", function () { field.select(); });

  var button = document.getElementById("share");
  if (!navigator.share) return;
  var data = {
    title: button.getAttribute("data-title"),
    text: button.getAttribute("data-text"),
    url: button.getAttribute("data-url")
  };
  var list = [];
  try { list = JSON.parse(button.getAttribute("data-files") || "[]"); } catch (e) { list = []; }
  var canFiles = false;
  try {
    canFiles = !!(navigator.canShare && window.File && list.length &&
      navigator.canShare({ files: [new File([""], "card.png", { type: "image/png" })] }));
  } catch (e) { canFiles = false; }
  // The files are fetched when the finger lands on the button, so they are
  // ready by the tap: a share sheet must open soon after the tap.
  var files = null;
  function loadFiles() {
    if (!canFiles) return Promise.resolve([]);
    if (!files) {
      files = Promise.all(list.map(function (f) {
        return fetch(f.url, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.blob();
        }).then(function (b) {
          return new File([b], f.name, { type: b.type || "image/png" });
        });
      })).catch(function () { return []; });
    }
    return files;
  }
  button.addEventListener("pointerdown", loadFiles);
  button.addEventListener("focus", loadFiles);
  button.hidden = false;
  button.addEventListener("click", function () {
    loadFiles().then(function (fs) {
      var payload = data;
      if (fs.length && navigator.canShare({ files: fs })) {
        payload = { title: data.title, text: data.text + " " + data.url, files: fs };
      }
      return navigator.share(payload);
    }).catch(function (e) {
      if (e && e.name === "AbortError") return; // the person closed the sheet
      say(main.getAttribute("data-failed"));
    });
  });
})();
