// Sets the page in the card's fonts (the stylesheet's @font-face rules)
// once its first frame is painted. The fonts then never hold back the
// first paint or compete with the card image for the first bytes, and a
// browser without scripts shows the page in its own fonts.
(function () {
  "use strict";
  var root = document.documentElement;
  var raf = window.requestAnimationFrame || function (f) { setTimeout(f, 16); };
  raf(function () {
    raf(function () { root.classList.add("card-fonts"); });
  });
})();
