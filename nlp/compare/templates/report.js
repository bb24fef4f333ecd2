// Filters: rows carry data-agency / data-year / data-rule / data-severity; a select or input
// with data-filter="<attribute>" inside a .filters bar hides the rows of its target that differ.
(function () {
  "use strict";
  function apply(bar) {
    var target = document.getElementById(bar.getAttribute("data-target"));
    if (!target) { return; }
    var controls = bar.querySelectorAll("[data-filter]");
    var rows = target.querySelectorAll("[data-row]");
    var shown = 0;
    rows.forEach(function (row) {
      var keep = true;
      controls.forEach(function (control) {
        var wanted = control.value;
        if (!wanted) { return; }
        var have = row.getAttribute("data-" + control.getAttribute("data-filter")) || "";
        if (control.tagName === "INPUT" ? have.indexOf(wanted) < 0 : have !== wanted) { keep = false; }
      });
      row.classList.toggle("hidden", !keep);
      if (keep) { shown += 1; }
    });
    var count = bar.querySelector(".count");
    if (count) { count.textContent = shown + " / " + rows.length; }
  }
  document.querySelectorAll(".filters").forEach(function (bar) {
    bar.querySelectorAll("[data-filter]").forEach(function (control) {
      control.addEventListener(control.tagName === "INPUT" ? "input" : "change", function () { apply(bar); });
    });
    apply(bar);
  });
  // A finding's fingerprint, copied for a dismissals file (xxgk check --dismissed FILE).
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var done = function () { button.textContent = "已复制"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(button); });
      } else { select(button); }
    });
  });
  function select(button) {
    var code = button.previousElementSibling;
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = "已选中，请按 Ctrl+C";
  }
})();
