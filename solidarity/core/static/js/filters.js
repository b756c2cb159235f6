// The people list's filters: folded on a phone, below their one-line summary, so that the results
// come first; on a wide screen they stand open beside the results. Without JavaScript they stay
// folded until used, one tap away.
"use strict";
(function () {
  var box = document.querySelector("details.filters-box");
  if (box && window.matchMedia("(min-width: 52rem)").matches) {
    box.open = true;
  }
})();
