/* An Sinh's few behaviours: the phone menu and "select all" on the inspector's page.
   Every page works without them: the menu stays open and boxes are ticked one by one. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var header = document.querySelector("header.top");
    if (toggle && header) {
      toggle.addEventListener("click", function () {
        var open = header.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var form = all.form;
      all.addEventListener("change", function () {
        form.querySelectorAll("input[name='" + all.dataset.selectAll + "']").forEach(function (box) {
          box.checked = all.checked;
        });
      });
    });
  });
})();
