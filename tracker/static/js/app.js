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

// Import a previewed spreadsheet, reading the server's progress lines into the progress bar,
// then open the slips of the new cases.
async function importWithProgress(form, box) {
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  form.hidden = true;
  box.hidden = false;
  const response = await fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/x-ndjson" },
    credentials: "same-origin",
  });
  if (!response.ok || !response.body) {
    form.hidden = false;
    form.submit();
    return;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let last = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop();
    for (const line of lines.filter(Boolean)) {
      last = JSON.parse(line);
      if (last.error) {
        text.textContent = last.error;
        return;
      }
      bar.max = last.total;
      bar.value = last.done;
      text.textContent = last.done + " / " + last.total;
    }
  }
  if (last && last.message) {
    text.textContent = last.message;
  }
  if (last && last.imported > 0 && last.imported <= last.max_slips) {
    const slips = document.querySelector("[data-slips-form]");
    slips.elements.references.value = last.references;
    slips.elements.codes.value = last.codes;
    slips.submit();
  } else if (last && last.imported === 0) {
    window.location.href = last.intake;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const importForm = document.querySelector("[data-import-form]");
  const progress = document.querySelector("[data-import-progress]");
  if (importForm && progress && window.fetch && window.TextDecoder) {
    importForm.addEventListener("submit", (event) => {
      event.preventDefault();
      importWithProgress(importForm, progress);
    });
  }
  // The whole row of a case list opens the case (the reference stays a plain link).
  document.querySelectorAll("tr[data-href]").forEach((row) => {
    row.addEventListener("click", (event) => {
      if (event.target.closest("a, button, input, label, select")) return;
      window.location.href = row.dataset.href;
    });
  });
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

// After a failed submit: focus the error summary (which scrolls it into view); its links move
// the focus to the field itself, with the field's label in view.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const input = link && document.getElementById(link.hash.slice(1));
    if (!input) return;
    event.preventDefault();
    const details = input.closest("details");
    if (details) details.open = true;
    const label = document.querySelector("label[for='" + input.id + "']") || input;
    input.focus({ preventScroll: true });
    label.scrollIntoView({ block: "start" });
  });
});

// Forms marked data-submit-once (a new concern): a second click or Enter while the first
// submit is on its way is ignored, so one concern is not logged twice. Coming back to the page
// (the back button, the page cache) lets it be sent again.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-submit-once]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      if (form.dataset.submitting) {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      form.setAttribute("aria-busy", "true");
    });
  });
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submit-once]").forEach((form) => {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
  });
});
