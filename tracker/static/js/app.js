// Progressive enhancement only: every page works without this file.
"use strict";

function addIntakeRow(rows) {
  const all = rows.querySelectorAll("[data-intake-row]");
  const last = all[all.length - 1];
  const index = all.length;
  const copy = last.cloneNode(true);
  copy.classList.remove("has-error");
  copy.querySelectorAll(".error").forEach((el) => el.remove());
  copy.querySelectorAll(".has-error").forEach((el) => el.classList.remove("has-error"));
  copy.querySelectorAll("[name]").forEach((el) => {
    el.name = el.name.replace(/^rows-\d+-/, "rows-" + index + "-");
    el.id = el.name;
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
    if (el.tagName !== "SELECT") {
      el.value = "";
    }
  });
  copy.querySelectorAll("label[for]").forEach((label) => {
    label.htmlFor = label.htmlFor.replace(/^rows-\d+-/, "rows-" + index + "-");
  });
  const legend = copy.querySelector("legend");
  if (legend) {
    legend.textContent = legend.textContent.replace(/\d+/, String(index + 1));
  }
  rows.appendChild(copy);
  const first = copy.querySelector("input, textarea");
  if (first) {
    first.focus();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const rows = document.querySelector("[data-intake-rows]");
  const add = document.querySelector("[data-add-rows]");
  if (rows && add) {
    add.addEventListener("click", (event) => {
      event.preventDefault();
      for (let i = 0; i < 5; i += 1) {
        addIntakeRow(rows);
      }
    });
  }
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
