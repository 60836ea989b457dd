// The new-concern form: while the title and description are typed, fetch the similar open
// concerns (an HTML fragment of /cases/similar) into the box; without JavaScript the
// "Check for similar concerns" button asks the server instead.
(function () {
  const box = document.querySelector("[data-similar-box]");
  if (!box) return;
  const form = box.closest("form");
  const title = form.querySelector("[name=title]");
  const description = form.querySelector("[name=description]");
  let timer = null;
  let asked = "";
  function refresh() {
    const query = new URLSearchParams({
      title: title ? title.value : "",
      description: description ? description.value : "",
    }).toString();
    if (query === asked) return;
    asked = query;
    fetch(box.dataset.similarUrl + "?" + query, { credentials: "same-origin" })
      .then((answer) => (answer.ok ? answer.text() : null))
      .then((html) => {
        if (html === null || query !== asked) return;
        const current = box.querySelector("[data-similar]");
        const holder = document.createElement("div");
        holder.innerHTML = html;
        current.replaceWith(holder.firstElementChild);
      })
      .catch(() => {});
  }
  [title, description].forEach((input) => {
    if (!input) return;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  });
})();
