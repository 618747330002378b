// The campaign page's live preview: a pause in typing (300 ms) asks the
// service for a small draft of the card with what is in the form. The
// draft is fetched first, so a refusal can be read and said; the image
// then shows it from the browser's cache. Nothing is made until the form
// is sent. Without this script the page shows the campaign's card.
(function () {
  "use strict";
  var fig = document.querySelector("[data-preview]");
  var form = document.querySelector("form.self");
  if (!fig || !form || !window.fetch) return;
  var img = document.getElementById("preview");
  var status = document.getElementById("preview-status");
  var base = fig.getAttribute("data-preview");
  var first = { src: img.getAttribute("src"), alt: img.getAttribute("alt") };
  var timer = 0, seq = 0, shown = "";

  function value(id) {
    var el = document.getElementById(id);
    return el ? el.value.trim() : "";
  }
  function say(text) {
    if (status.textContent !== text) status.textContent = text;
  }
  function update() {
    var name = value("name");
    var mine = ++seq;
    if (!name) {
      img.src = first.src;
      img.alt = first.alt;
      shown = "";
      say("");
      return;
    }
    var q = "name=" + encodeURIComponent(name) + "&title=" + encodeURIComponent(value("title")) +
      "&org=" + encodeURIComponent(value("org"));
    // The page's language, so the card and any refusal speak it.
    var lang = fig.getAttribute("data-lang");
    if (lang) q += "&lang=" + encodeURIComponent(lang);
    var url = base + "?" + q;
    if (url === shown) return;
    fetch(url, { headers: { Accept: "image/jpeg, application/json" }, credentials: "same-origin" }).then(function (r) {
      if (mine !== seq) return;
      if (r.ok) {
        return r.blob().then(function () {
          if (mine !== seq) return;
          shown = url;
          img.src = url;
          img.alt = fig.getAttribute("data-for").replace("%s", name);
          say(img.alt);
        });
      }
      if (r.status === 422) {
        return r.json().then(function (body) {
          if (mine === seq) say(body && body.error ? body.error : "");
        });
      }
      say(fig.getAttribute("data-busy"));
    }).catch(function () {
      if (mine === seq) say(fig.getAttribute("data-busy"));
    });
  }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  });
  // A form sent back with a refusal keeps what was typed: show its draft.
  if (value("name") && !document.getElementById("form-error")) update();
})();
