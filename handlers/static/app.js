// Qianfa page behaviour: the CSRF header on htmx requests, cell highlighting after a
// live check, and finding links that move focus to their cell. No inline scripts: the
// Content-Security-Policy allows only files served by this site.
(function () {
  "use strict";

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (e) {
    var t = csrfToken();
    if (t) {
      e.detail.headers["X-CSRF-Token"] = t;
    }
  });

  // applyCellStates marks the cells named by #cell-states, which every check answer
  // carries, so highlighting follows the findings without re-rendering the inputs
  // the drafter is typing in.
  function applyCellStates() {
    var states = document.getElementById("cell-states");
    if (!states) {
      return;
    }
    var errors = (states.getAttribute("data-errors") || "").split(" ").filter(Boolean);
    var warnings = (states.getAttribute("data-warnings") || "").split(" ").filter(Boolean);
    document.querySelectorAll("input.num").forEach(function (input) {
      var bad = errors.indexOf(input.id) >= 0;
      input.classList.toggle("invalid", bad);
      input.classList.toggle("warned", !bad && warnings.indexOf(input.id) >= 0);
      if (bad) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }

  document.addEventListener("htmx:afterSettle", applyCellStates);
  document.addEventListener("DOMContentLoaded", applyCellStates);

  // A carried cell whose value the drafter changes asks for the reason next to it; the
  // server refuses the save without one, this only shows the field at once.
  function sameNumber(a, b) {
    a = a.trim().replace(/,/g, "");
    b = b.trim();
    if (a === "" || b === "") {
      return a === b;
    }
    return Number(a) === Number(b);
  }

  document.addEventListener("input", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input.num[data-carried]")) {
      return;
    }
    var box = input.parentNode.querySelector(".carry-reason");
    if (box) {
      box.hidden = sameNumber(input.value, input.getAttribute("data-carried"));
    }
  });

  document.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("[data-focus]") : null;
    if (!btn) {
      return;
    }
    var cell = document.getElementById(btn.getAttribute("data-focus"));
    if (cell) {
      cell.scrollIntoView({ block: "center" });
      cell.focus();
      if (cell.select) {
        cell.select();
      }
    }
  });
})();
