/* Behaviour shared by every page, attached here rather than in inline handlers (the
 * Content-Security-Policy allows no inline script):
 *   <select data-autosubmit>   submits its form when changed (filters);
 *   <a data-history-back>      goes back one page. */
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-history-back]") : null;
  if (link) {
    event.preventDefault();
    history.back();
  }
});
