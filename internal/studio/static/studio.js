// The studio's script: it only updates the page the server drew. As the
// designer types (debounced 300 ms) it checks the draft, marks problems
// at their lines, re-renders the previews name by name and refreshes the
// share simulator; publishing shows the diff first. Every check and
// preview carries the chosen language; a campaign with an "I declined"
// card has it previewed under the invitation, after every name's
// invitation cards.
(function () {
  "use strict";
  var main = document.getElementById("studio");
  if (!main) return;
  var id = main.dataset.id, from = main.dataset.from, csrf = main.dataset.csrf;
  var base = main.dataset.base;
  var ta = document.getElementById("yaml");
  var gutter = document.getElementById("gutter-lines");
  var marks = document.getElementById("marks");
  var status = document.getElementById("status");
  var list = document.getElementById("problems");
  var names = document.getElementById("names");
  var variants = ["og", "square", "portrait", "story"];
  var langSel = document.getElementById("lang");
  var kindsNote = document.getElementById("kinds-note");
  var declined = !!document.querySelector("#names .declined:not([hidden])");
  var published = ta.value;
  var gen = 0, timer = 0, lines = 0, problems = [];
  var lineHeight = 20, padTop = 8;

  function post(path, fields, json) {
    var fd = new FormData();
    fd.append("csrf", csrf);
    if (from) fd.append("from", from);
    if (langSel && langSel.value) fd.append("lang", langSel.value);
    Object.keys(fields).forEach(function (k) { fd.append(k, fields[k]); });
    return fetch("/admin/studio/" + encodeURIComponent(id) + "/" + path, {
      method: "POST", body: fd, credentials: "same-origin",
      headers: json ? { "Accept": "application/json" } : {}
    });
  }

  // The gutter: one number a line, an error marker where a problem is.
  function drawGutter() {
    var n = ta.value.split("\n").length;
    var bad = {};
    problems.forEach(function (p) { if (p.line > 0) bad[p.line] = p.message; });
    var frag = document.createDocumentFragment();
    for (var i = 1; i <= n; i++) {
      var s = document.createElement("span");
      s.textContent = i;
      if (bad[i]) { s.className = "err"; s.title = bad[i]; }
      frag.appendChild(s);
    }
    gutter.replaceChildren(frag);
    lines = n;
    drawMarks();
    sync();
  }

  // The marks: a band over each line with a problem and its message
  // under it, scrolled with the text.
  function drawMarks() {
    var frag = document.createDocumentFragment();
    var seen = {};
    problems.forEach(function (p) {
      if (!(p.line > 0) || p.line > lines) return;
      var top = padTop + (p.line - 1) * lineHeight;
      if (!seen[p.line]) {
        var band = document.createElement("div");
        band.className = "band";
        band.style.top = top + "px";
        frag.appendChild(band);
      }
      var note = document.createElement("div");
      note.className = "note";
      note.textContent = "Linje " + p.line + ": " + p.message;
      note.style.top = (top + lineHeight + (seen[p.line] || 0)) + "px";
      seen[p.line] = (seen[p.line] || 0) + 34;
      frag.appendChild(note);
    });
    var inner = document.createElement("div");
    inner.className = "marks-inner";
    inner.style.position = "absolute";
    inner.style.left = "0"; inner.style.right = "0"; inner.style.top = "0";
    inner.appendChild(frag);
    marks.replaceChildren(inner);
    sync();
  }

  function sync() {
    gutter.style.transform = "translateY(" + (-ta.scrollTop) + "px)";
    var inner = marks.firstChild;
    if (inner) inner.style.transform = "translateY(" + (-ta.scrollTop) + "px)";
  }

  function showProblems(errs, warns) {
    problems = errs || [];
    var frag = document.createDocumentFragment();
    problems.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "err";
      if (p.line > 0) {
        var a = document.createElement("a");
        a.href = "#yaml";
        a.dataset.line = p.line;
        a.textContent = "Linje " + p.line + (p.column ? ", kolonne " + p.column : "");
        li.appendChild(a);
        li.appendChild(document.createTextNode(": "));
      }
      li.appendChild(document.createTextNode(p.message));
      frag.appendChild(li);
    });
    (warns || []).forEach(function (w) {
      var li = document.createElement("li");
      li.className = "warn";
      li.textContent = w;
      frag.appendChild(li);
    });
    list.replaceChildren(frag);
    status.textContent = problems.length ? problems.length + " fejl i filen. Forhåndsvisningerne viser den sidste gyldige kladde." : "Filen er gyldig.";
    status.classList.toggle("bad", problems.length > 0);
    drawGutter();
  }

  // Jump to a line from the list: select it in the editor.
  list.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-line]");
    if (!a) return;
    e.preventDefault();
    var n = +a.dataset.line, pos = 0, text = ta.value;
    for (var i = 1; i < n && pos >= 0; i++) pos = text.indexOf("\n", pos) + 1;
    var end = text.indexOf("\n", pos);
    ta.focus();
    ta.setSelectionRange(pos, end < 0 ? text.length : end);
    ta.scrollTop = Math.max(0, (n - 5) * lineHeight);
  });

  // Object URLs in use, by image: revoked when replaced.
  function setImage(img, url) {
    var old = img.dataset.blob;
    img.src = url;
    img.dataset.blob = url;
    if (old && old !== url && !document.querySelector('img[data-blob="' + old + '"]')) URL.revokeObjectURL(old);
  }

  // renderRow fills one kind of a row's cards: "invitation" or
  // "declined".
  function renderRow(row, yaml, g, kind) {
    var name = row.dataset.name;
    var cards = row.querySelector('.cards[data-kind="' + kind + '"]');
    row.setAttribute("aria-busy", "true");
    var note = row.querySelector('.bad[data-kind="' + kind + '"]');
    var missing = {};
    function addNote() {
      note = document.createElement("p");
      note.className = "bad";
      note.dataset.kind = kind;
      row.appendChild(note);
    }
    return Promise.all(variants.map(function (v) {
      return post("preview", { yaml: yaml, name: name, variant: v, kind: kind }).then(function (res) {
        if (!res.ok) return res.json().then(function (j) { throw new Error(j.message || res.statusText); });
        var miss = res.headers.get("X-Missing-Letters");
        if (miss) missing[decodeURIComponent(miss.replace(/\+/g, " "))] = true;
        return res.blob();
      }).then(function (b) {
        if (g !== gen) return;
        var url = URL.createObjectURL(b);
        setImage(cards.querySelector('img[data-variant="' + v + '"]'), url);
        if (kind === "invitation" && row === names.firstElementChild) {
          document.querySelectorAll('.social img.shot[data-variant="' + v + '"]').forEach(function (img) { setImage(img, url); });
        }
      });
    })).then(function () {
      var letters = Object.keys(missing).join("");
      if (!letters) { if (note) note.remove(); return; }
      if (!note) addNote();
      note.textContent = (kind === "declined" ? "Afbud-kortet: " : "") + "Ingen af kampagnens skrifter har „" + letters + "“: et link med dette navn bliver afvist.";
    }, function (err) {
      if (!note) addNote();
      note.textContent = (kind === "declined" ? "Afbud-kortet: " : "") + err.message;
    }).finally(function () { row.removeAttribute("aria-busy"); });
  }

  // The rows fill one after another, the typical name first: the first
  // previews come at once, not after all of them. Every name's
  // invitation comes before any "I declined" card, so the second kind
  // never delays the first.
  function renderAll(yaml, g) {
    var rows = Array.prototype.slice.call(names.children);
    var pass = function (kind) {
      var next = function (i) {
        if (i >= rows.length || g !== gen) return Promise.resolve();
        return renderRow(rows[i], yaml, g, kind).then(function () { return next(i + 1); });
      };
      return next(0);
    };
    return pass("invitation").then(function () {
      if (declined && g === gen) return pass("declined");
    });
  }

  // A row renders both its kinds, the invitation first.
  function renderBoth(row, yaml, g) {
    return renderRow(row, yaml, g, "invitation").then(function () {
      if (declined && g === gen) return renderRow(row, yaml, g, "declined");
    });
  }

  // showDeclined shows or hides the "I declined" cards as the draft
  // gains or loses its declined: section.
  function showDeclined(on) {
    declined = on;
    names.querySelectorAll(".declined").forEach(function (d) { d.hidden = !on; });
    names.querySelectorAll('.bad[data-kind="declined"]').forEach(function (n) { if (!on) n.remove(); });
    var t = tpl.content.querySelector(".declined");
    if (t) t.hidden = !on;
    if (kindsNote) kindsNote.textContent = on ? "Hvert navn viser invitationen og derunder afbud-kortet (declined:)." : "Kampagnen har intet afbud-kort (declined:).";
  }

  // showLanguages keeps the choice in step with the draft's languages:,
  // keeping the chosen one while the draft still offers it.
  function showLanguages(list, chosen) {
    if (!langSel || !list) return;
    var now = Array.prototype.map.call(langSel.options, function (o) { return o.value; }).join(" ");
    if (now !== list.map(function (l) { return l.code; }).join(" ")) {
      var frag = document.createDocumentFragment();
      list.forEach(function (l) {
        var o = document.createElement("option");
        o.value = l.code; o.lang = l.code; o.textContent = l.name;
        frag.appendChild(o);
      });
      langSel.replaceChildren(frag);
    }
    if (chosen) langSel.value = chosen;
  }

  function setText(sel, root, text, cut) {
    root.querySelectorAll(sel).forEach(function (el) { el.textContent = text; el.classList.toggle("cut", !!cut); });
  }

  function updateSocial(s) {
    if (!s) return;
    document.getElementById("social-sample").textContent = s.sample;
    s.platforms.forEach(function (p) {
      var el = document.querySelector('[data-platform="' + p.key + '"]');
      if (!el) return;
      setText(".pl-title", el, p.title.text, p.title.cut);
      setText(".pl-desc", el, p.description.text, p.description.cut);
      var lim = el.querySelector(".limits");
      if (lim) {
        var parts = [];
        if (p.title_max) parts.push("Titel: ca. " + p.title_max + " tegn" + (p.title.cut ? " – skåret." : "."));
        else if (!p.caption) parts.push("Viser ingen titel.");
        if (p.description_max) parts.push((p.caption ? "Billedtekst" : "Beskrivelse") + ": ca. " + p.description_max + " tegn" + (p.description.cut ? " – skåret." : "."));
        else parts.push("Viser ingen beskrivelse.");
        lim.textContent = parts.join(" ");
      }
    });
    var g = document.getElementById("story-boxes");
    if (g) {
      var ns = "http://www.w3.org/2000/svg", frag = document.createDocumentFragment();
      s.story.boxes.forEach(function (b) {
        var r = document.createElementNS(ns, "rect");
        r.setAttribute("class", "box" + (b.Unsafe ? " bad" : ""));
        r.setAttribute("x", b.X); r.setAttribute("y", b.Y); r.setAttribute("width", b.W); r.setAttribute("height", b.H);
        frag.appendChild(r);
      });
      g.replaceChildren(frag);
      var note = document.getElementById("story-note");
      note.textContent = "Skraverede felter: de øverste og nederste " + s.story.safe + " px, som Instagram dækker. Rammer: kortets tekstlag. " +
        (s.story.warnings.length ? s.story.warnings.length + " tekstlag i det dækkede felt." : "Ingen tekst i det dækkede felt.");
    }
    var ul = document.getElementById("social-warnings");
    if (ul) {
      var frag2 = document.createDocumentFragment();
      (s.warnings || []).forEach(function (w) { var li = document.createElement("li"); li.textContent = w; frag2.appendChild(li); });
      ul.replaceChildren(frag2);
    }
  }

  function run(force) {
    var g = ++gen, yaml = ta.value;
    main.dataset.state = "checking";
    return post("check", { yaml: yaml }, true).then(function (res) {
      return res.json().then(function (j) { return { res: res, j: j }; });
    }).then(function (r) {
      if (g !== gen) return;
      if (!r.res.ok) { showProblems(r.j.errors, [r.j.message]); main.dataset.state = "error"; return; }
      showProblems(r.j.errors, r.j.warnings.concat(r.j.social ? r.j.social.warnings : []));
      if (!r.j.ok) { main.dataset.state = "invalid"; return; }
      updateSocial(r.j.social);
      showLanguages(r.j.languages, r.j.lang);
      var wasDeclined = declined;
      showDeclined(!!r.j.declined);
      main.dataset.state = "rendering";
      var done = function () { if (g === gen) main.dataset.state = "ready"; };
      if (!force && yaml === published && base && wasDeclined === declined) {
        // The server drew the published cards; only the names kept from
        // an earlier visit still need theirs.
        var kept = Array.prototype.filter.call(names.querySelectorAll("li.added"), function (r) { return !r.querySelector("img[src]"); });
        var next = function (i) {
          if (i >= kept.length || g !== gen) return Promise.resolve();
          return renderBoth(kept[i], yaml, g).then(function () { return next(i + 1); });
        };
        return next(0).then(done);
      }
      return renderAll(yaml, g).then(done);
    }).catch(function (err) {
      if (g !== gen) return;
      status.textContent = "Kladden kunne ikke kontrolleres: " + err.message;
      main.dataset.state = "error";
    });
  }

  ta.addEventListener("input", function () {
    if (ta.value.split("\n").length !== lines) drawGutter();
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  ta.addEventListener("scroll", sync);
  // Another language: the simulator's texts and every preview again.
  if (langSel) langSel.addEventListener("change", function () { clearTimeout(timer); run(true); });

  // Names the designer adds get a row of their own.
  var addForm = document.getElementById("add-name");
  var nameInput = document.getElementById("new-name");
  var tpl = document.getElementById("row-template");
  // They are kept on this device, per campaign, so a reload or the next
  // day's work shows them again; they are test names, never sent to the
  // store.
  var keptKey = "sharecard-studio-names:" + id;
  function keptNames() {
    try {
      var v = JSON.parse(window.localStorage.getItem(keptKey) || "[]");
      return Array.isArray(v) ? v.filter(function (n) { return typeof n === "string" && n; }) : [];
    } catch (e) { return []; }
  }
  function keepNames() {
    var all = Array.prototype.map.call(names.querySelectorAll("li.added"), function (r) { return r.dataset.name; });
    try { window.localStorage.setItem(keptKey, JSON.stringify(all)); } catch (e) { /* private mode: kept for this page only */ }
  }
  function addRow(name) {
    var row = tpl.content.firstElementChild.cloneNode(true);
    row.dataset.name = name;
    row.querySelector("h3 span").textContent = name;
    row.querySelectorAll("img").forEach(function (img) { img.alt = img.alt.replace("dette navn", name); });
    names.appendChild(row);
    return row;
  }
  keptNames().forEach(function (n) { addRow(n.slice(0, 80)); });
  addForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var name = nameInput.value.trim();
    if (!name) return;
    var row = addRow(name);
    keepNames();
    nameInput.value = "";
    renderBoth(row, ta.value, gen);
  });
  names.addEventListener("click", function (e) {
    var b = e.target.closest("button.remove");
    if (b) { b.closest("li").remove(); keepNames(); nameInput.focus(); }
  });

  // Uploads go without leaving the page, so the draft in the editor
  // stays; the file list, the version and the previews follow the new
  // version (the drafts compile with its files).
  var upForm = document.getElementById("upload-form");
  var upStatus = document.getElementById("upload-status");
  var assetList = document.getElementById("asset-list");
  var maxAsset = 5 << 20;
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text) n.textContent = text;
    return n;
  }
  function rollbackForm(v) {
    var f = el("form", "inline");
    f.method = "post";
    f.action = "/admin/studio/" + encodeURIComponent(id) + "/rollback";
    [["csrf", csrf], ["version", v]].forEach(function (p) {
      var i = el("input"); i.type = "hidden"; i.name = p[0]; i.value = p[1]; f.appendChild(i);
    });
    var b = el("button", "quiet", "Gør aktuel igen");
    b.type = "submit";
    b.appendChild(el("span", "sr", " (" + v + ")"));
    f.appendChild(b);
    return f;
  }
  // markCurrent puts version v at the top of the version list as the
  // current one; the one before gets its rollback button.
  function markCurrent(v) {
    var bv = document.getElementById("base-version");
    if (bv) bv.textContent = v;
    var ol = document.querySelector(".versions ol");
    if (!ol) return;
    var tag = ol.querySelector("strong.tag");
    if (tag) tag.replaceWith(rollbackForm(tag.parentNode.querySelector("code").textContent));
    var li = el("li");
    li.append(el("code", "", v), " ", el("span", "when", "nu"), " ", el("strong", "tag", "aktuel"));
    ol.insertBefore(li, ol.firstChild);
  }
  function uploadFailed(msg) { upStatus.className = "bad"; upStatus.textContent = msg; }
  // A file in the list, with its delete button as the server draws it.
  function assetItem(a) {
    var li = el("li");
    var f = el("form", "inline delete-asset");
    f.method = "post";
    f.action = "/admin/studio/" + encodeURIComponent(id) + "/asset/delete";
    [["csrf", csrf], ["from", from || ""], ["name", a.name]].forEach(function (p) {
      var i = el("input"); i.type = "hidden"; i.name = p[0]; i.value = p[1]; f.appendChild(i);
    });
    var b = el("button", "quiet", "Slet");
    b.type = "submit";
    b.appendChild(el("span", "sr", " " + a.name));
    f.appendChild(b);
    li.append(el("code", "", a.name), " ", el("span", "when", a.kind + ", " + a.size), " ", f);
    return li;
  }
  // sendAssets posts an upload or a delete and, when it is done, shows the
  // campaign's files and its new version and renders the previews again.
  function sendAssets(form, busy) {
    var btns = form.querySelectorAll("button");
    btns.forEach(function (b) { b.disabled = true; });
    upStatus.className = "";
    upStatus.textContent = busy;
    return fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) {
        return res.text().then(function (t) {
          var j = null;
          try { j = JSON.parse(t); } catch (err) { /* not JSON: a proxy's page, say */ }
          if (!res.ok) throw new Error((j && j.message) || "Det blev afvist (" + res.status + " " + res.statusText + ").");
          return j;
        });
      })
      .then(function (j) {
        upStatus.textContent = j.message;
        var frag = document.createDocumentFragment();
        j.assets.forEach(function (a) { frag.appendChild(assetItem(a)); });
        if (!j.assets.length) frag.appendChild(el("li", "none", "Ingen endnu."));
        assetList.replaceChildren(frag);
        if (j.version) { base = j.version; main.dataset.base = base; markCurrent(base); }
        clearTimeout(timer);
        run(true);
        return j;
      })
      .catch(function (err) { uploadFailed(err.message); })
      .finally(function () { btns.forEach(function (b) { b.disabled = false; }); });
  }
  if (assetList) assetList.addEventListener("submit", function (e) {
    var f = e.target.closest("form.delete-asset");
    if (!f) return;
    e.preventDefault();
    sendAssets(f, "Sletter " + f.querySelector('input[name="name"]').value + " …");
  });
  if (upForm) upForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = document.getElementById("asset-file").files[0];
    if (!file) { uploadFailed("Vælg en fil at lægge op (PNG, JPEG, TTF eller OTF)."); return; }
    if (file.size > maxAsset) { uploadFailed(file.name + " er for stor: en fil må højst fylde 5 MiB."); return; }
    sendAssets(upForm, "Lægger " + file.name + " op …").then(function (j) { if (j) upForm.reset(); });
  });

  // Publishing: the diff first, in a dialog; then the compare-and-set
  // publish against the version the diff was made with.
  var dialog = document.getElementById("publish-dialog");
  var pubErr = document.getElementById("publish-error");
  var diffBase = base;
  function showDiff() {
    return post("diff", { yaml: ta.value }, true).then(function (res) { return res.json(); }).then(function (d) {
      diffBase = d.base;
      document.getElementById("publish-base").textContent = d.base ? "Ændringer mod den aktuelle version " + d.base + ":" : "En ny kampagne: hele filen udgives.";
      var pre = document.getElementById("publish-diff"), frag = document.createDocumentFragment();
      if (!d.changed) { frag.appendChild(document.createTextNode("Ingen ændringer.")); }
      d.lines.forEach(function (l) { var s = document.createElement("span"); s.className = l.kind; s.textContent = l.text + "\n"; frag.appendChild(s); });
      pre.replaceChildren(frag);
    });
  }
  document.getElementById("draft-form").addEventListener("submit", function (e) {
    e.preventDefault();
    pubErr.hidden = true;
    showDiff().then(function () { dialog.showModal(); });
  });
  document.getElementById("publish-cancel").addEventListener("click", function () { dialog.close(); });
  document.getElementById("publish-confirm").addEventListener("click", function () {
    pubErr.hidden = true;
    post("publish", { yaml: ta.value, base: diffBase }, true).then(function (res) {
      return res.json().then(function (j) { return { res: res, j: j }; });
    }).then(function (r) {
      if (r.res.ok) { location.href = "/admin/studio/" + encodeURIComponent(id) + "?published=" + encodeURIComponent(r.j.version); return; }
      pubErr.textContent = r.j.message;
      pubErr.hidden = false;
      if (r.j.errors && r.j.errors.length) showProblems(r.j.errors, []);
      if (r.res.status === 409) showDiff();
    });
  });

  drawGutter();
  run(false);
})();
