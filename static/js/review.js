/* docsys — the review page (templates/review/page.html).
 *
 * A comment is anchored by pointing at the document: clicking a part (a considerando, an
 * article...) chooses it in the «Parte del documento» list; selecting a few words inside
 * one part also quotes them. The form still works without this script (list + text box).
 * A reference to a part in a thread ("sobre Considerando 3") shows that part in the text.
 */
"use strict";

(() => {
  const doc = document.getElementById("review-document");
  const part = document.getElementById("comment-part");
  const quote = document.getElementById("comment-quote");
  if (!doc) return;

  function highlight(itemId) {
    doc.querySelectorAll(".is-current").forEach((n) => n.classList.remove("is-current"));
    const node = itemId ? doc.querySelector(`[data-item="${CSS.escape(itemId)}"]`) : null;
    if (node) node.classList.add("is-current");
    return node;
  }

  function choose(itemId, quoted) {
    if (!part) return;
    if ([...part.options].some((o) => o.value === itemId)) part.value = itemId;
    if (quote && quoted !== undefined) quote.value = quoted.slice(0, 2000);
    highlight(itemId);
    const form = part.closest("form");
    const body = form && form.querySelector("textarea[name=body]");
    if (body) body.focus({ preventScroll: false });
  }

  if (part && doc.dataset.canComment === "true") {
    doc.querySelectorAll("[data-item]").forEach((node) => {
      node.classList.add("is-pickable");
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("title", "Comentar esta parte");
    });
    doc.addEventListener("mouseup", () => {
      const selection = window.getSelection();
      const text = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
      const anchor = selection && selection.anchorNode;
      const element = anchor && (anchor.nodeType === 1 ? anchor : anchor.parentElement);
      const item = element && element.closest("[data-item]");
      if (!item || !doc.contains(item)) return;
      choose(item.dataset.item, text);
    });
    doc.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      const item = event.target.closest && event.target.closest("[data-item]");
      if (!item) return;
      event.preventDefault();
      choose(item.dataset.item, "");
    });
    part.addEventListener("change", () => highlight(part.value));
  }

  document.querySelectorAll(".part-ref[data-item]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const node = highlight(link.dataset.item);
      if (!node) return;
      event.preventDefault();
      node.scrollIntoView({ block: "center" });
    });
  });
})();
