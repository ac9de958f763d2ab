/* docsys — structured editor of a draft (templates/drafts/edit.html).
 *
 * The form is built from the latest version's content (JSON embedded in the page). The DOM
 * is the single source of truth while editing: collectContent() reads it back into the
 * content structure the server validates (docsys/drafting/structure.py). Each item keeps its
 * `id` through edits and moves; new items are sent without one and learn the id the server
 * gave them after the save, so ids stay stable from then on.
 *
 * Everything typed by users is written with textContent / value. The only HTML inserted
 * is the preview fragment rendered (and escaped) by the server.
 */
"use strict";

(() => {
  const dataEl = document.getElementById("editor-data");
  if (!dataEl) return;
  const cfg = JSON.parse(dataEl.dataset.editor);
  const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || "";

  const $ = (id) => document.getElementById(id);
  const form = $("editor-form");
  const saveForm = $("save-form");
  const saveState = $("save-state");
  const saveButton = $("save-button");
  const noteInput = $("version-note");
  const versionIndicator = $("version-indicator");
  const titleEl = $("doc-title");
  const preview = $("preview");
  const previewStatus = $("preview-status");
  const announcer = $("editor-announcer");
  const conflictPanel = $("conflict");
  const conflictTitle = $("conflict-title");
  const conflictMessage = $("conflict-message");
  const conflictTheirs = $("conflict-theirs");
  const conflictTheirsCaption = $("conflict-theirs-caption");
  const conflictMine = $("conflict-mine");
  const conflictDiffNote = $("conflict-diff-note");
  const conflictKeep = $("conflict-keep");
  const conflictDiscard = $("conflict-discard");
  const downloadLinks = { docx: $("download-docx"), pdf: $("download-pdf") };

  const PREVIEW_DELAY_MS = 600;
  const A4_WIDTH_PX = (21 / 2.54) * 96;  // 21 cm at 96 CSS px per inch
  const MIN_PAPER_ZOOM = 0.6;             // below this the text is unreadable: reflow instead
  const AUTOSAVE_MS = Math.max(1, Number(cfg.autosaveSeconds) || 30) * 1000;
  const HTTP_MESSAGES = {
    400: "El contenido no es válido.",
    401: "Su sesión expiró. Inicie sesión en otra pestaña y vuelva a guardar; sus cambios siguen en esta página.",
    403: "No tiene permiso para guardar este documento.",
    404: "El documento ya no existe.",
    409: "Otra persona guardó el documento mientras usted lo editaba.",
    413: "El documento es demasiado grande para guardarlo.",
    500: "Ocurrió un error en el servidor. Sus cambios siguen en esta página.",
  };

  const state = {
    version: Number(cfg.version),
    baseFields: {},       // every field of the loaded content, incl. ones the form does not show
    sections: [],         // section metadata (key, title, kind, numbering), in order
    fieldDefs: [],
    savedJson: "",        // canonical JSON of the last saved content, to tell unsaved changes
    copyJson: "",         // canonical JSON of the working copy the autosave kept (not a version)
    currentJson: "",
    dirty: false,
    saving: false,
    error: "",
    conflict: null,       // {current, message, theirs}
  };
  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;

  // ------------------------------------------------------------------ small helpers

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function canonical(value) {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
      return `{${Object.keys(value).sort()
        .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
    }
    return JSON.stringify(value === undefined ? null : value);
  }

  function announce(message) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = message; }, 30);
  }

  function versionUrl(template, number) {
    return template.replace("__version__", encodeURIComponent(String(number)));
  }

  function formatDate(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return date.toLocaleString("es-PE", {
      timeZone: "America/Lima", day: "2-digit", month: "2-digit", year: "numeric",
      hour: "2-digit", minute: "2-digit",
    });
  }

  class HttpError extends Error {
    constructor(status, message, body) {
      super(message);
      this.status = status;
      this.body = body;
    }
  }

  /** fetch + JSON; resolves to the parsed body, rejects with HttpError (Spanish message). */
  async function requestJson(url, payload) {
    const options = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (payload !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken;
      options.body = JSON.stringify(payload);
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new HttpError(0, "No se pudo conectar con el servidor. Sus cambios siguen en esta página.", null);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok || body === null) {
      // An expired session answers a GET with a redirect to the login page (HTML).
      const status = response.ok ? (response.redirected ? 401 : 500) : response.status;
      const message = body?.error?.message || HTTP_MESSAGES[status] || `Error del servidor (${status}).`;
      throw new HttpError(status, message, body);
    }
    return body;
  }

  // ------------------------------------------------------------------ textareas that grow

  function grow(textarea) {
    textarea.style.height = "auto";
    const borders = textarea.offsetHeight - textarea.clientHeight;
    textarea.style.height = `${textarea.scrollHeight + borders}px`;
  }

  function growAll() {
    form.querySelectorAll("textarea").forEach(grow);
  }

  // ------------------------------------------------------------------ building the form

  function humanize(key) {
    const text = String(key).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function fieldDefinitions(content) {
    const defs = Array.isArray(cfg.fields) && cfg.fields.length ? cfg.fields : null;
    if (defs) return defs.filter((f) => f && f.key);
    return Object.keys(content.fields || {}).map((key) => ({
      key, label: humanize(key), required: key === "sumilla", multiline: key === "sumilla", help: "",
    }));
  }

  function buildField(def, value) {
    const id = `field-${def.key}`;
    const helpId = def.help ? `${id}-help` : null;
    const label = el("label", { for: id }, def.label || humanize(def.key));
    if (def.required) {
      label.append(" ", el("span", { className: "req", title: "obligatorio", "aria-hidden": "true", text: "*" }));
    }
    let control;
    const common = {
      id, name: def.key, dataset: { field: def.key }, "aria-describedby": helpId,
      required: Boolean(def.required),
    };
    if (def.multiline) {
      control = el("textarea", { ...common, rows: 1, className: "autogrow",
        maxlength: def.key === "sumilla" ? 1000 : 2000 });
    } else if (def.key === "fecha" && (value === "" || /^\d{4}-\d{2}-\d{2}$/.test(value))) {
      control = el("input", { ...common, type: "date" });
    } else {
      control = el("input", { ...common, type: "text", maxlength: 2000 });
    }
    control.value = value;
    const wrap = el("div", { className: "field" }, label, control);
    if (helpId) wrap.append(el("small", { className: "help", id: helpId, text: def.help }));
    return wrap;
  }

  function sectionNoun(section) {
    if (section.kind === "articles") return "artículo";
    if (section.key === "considerando") return "considerando";
    return "párrafo";
  }

  function buildItem(section, item) {
    const noun = sectionNoun(section);
    const li = el("li", { className: "item" });
    if (item.id) li.dataset.id = item.id;
    const labelId = nextId("item-label");
    const textId = nextId("item-text");
    const head = el("div", { className: "item-head" },
      el("span", { className: "item-label", id: labelId }),
      el("div", { className: "item-tools", role: "group" },
        el("button", { type: "button", className: "small", dataset: { action: "up" }, text: "Subir" }),
        el("button", { type: "button", className: "small", dataset: { action: "down" }, text: "Bajar" }),
        el("button", { type: "button", className: "small danger", dataset: { action: "delete" }, text: "Eliminar" })));
    li.append(head);
    if (section.kind === "articles") {
      const headingId = nextId("item-heading");
      const heading = el("input", { id: headingId, type: "text", className: "item-heading",
        maxlength: 300, autocomplete: "off", placeholder: "Sin título" });
      heading.value = item.heading || "";
      li.append(el("div", { className: "item-heading-row" },
        el("label", { for: headingId, className: "item-heading-label" }),
        heading));
    }
    const text = el("textarea", { id: textId, className: "item-text autogrow", rows: 1,
      maxlength: 30000, spellcheck: "true", "aria-keyshortcuts": "Alt+ArrowUp Alt+ArrowDown" });
    text.value = item.text || "";
    li.append(el("label", { for: textId, className: "visually-hidden item-text-label" }), text);
    return li;
  }

  function buildSection(section, items, index) {
    const noun = sectionNoun(section);
    const legendText = section.title || (cfg.sectionNames || {})[section.key] || humanize(section.key || "Texto");
    const fieldset = el("fieldset", { className: "editor-block editor-section",
      dataset: { section: String(index) } });
    fieldset.append(el("legend", {}, legendText));
    const list = el("ol", { className: "items", dataset: { noun } });
    for (const item of items || []) {
      list.append(buildItem(section, typeof item === "string" ? { text: item } : item));
    }
    fieldset.append(list);
    fieldset.append(el("button", { type: "button", className: "add", dataset: { action: "add" } },
      `Agregar ${noun}`));
    return fieldset;
  }

  function buildForm(content) {
    state.baseFields = { ...(content.fields || {}) };
    state.sections = (content.sections || []).map((s) => ({
      key: s.key, title: s.title || "", kind: s.kind || "paragraphs", numbering: s.numbering,
    }));
    state.docType = content.doc_type;
    state.fieldDefs = fieldDefinitions(content);

    const fields = el("fieldset", { className: "editor-block editor-fields" },
      el("legend", {}, "Datos del documento"));
    for (const def of state.fieldDefs) fields.append(buildField(def, state.baseFields[def.key] ?? ""));

    const closingId = "field-closing";
    const closing = el("textarea", { id: closingId, className: "autogrow", rows: 1, maxlength: 1000,
      dataset: { closing: "1" } });
    closing.value = content.closing || "";
    const closingBlock = el("fieldset", { className: "editor-block editor-closing" },
      el("legend", {}, "Fórmula de cierre"),
      el("div", { className: "field" },
        el("label", { for: closingId, className: "visually-hidden" }, "Fórmula de cierre"), closing));

    const sectionBlocks = (content.sections || []).map((s, i) => buildSection(state.sections[i], s.items, i));
    form.replaceChildren(fields, ...sectionBlocks, closingBlock);
    form.querySelectorAll("ol.items").forEach(renumber);
    renderObservations();
    growAll();
  }

  /** Labels, accessible names and disabled ends after any add, move or delete. */
  function renumber(list) {
    const noun = list.dataset.noun;
    const Noun = noun.charAt(0).toUpperCase() + noun.slice(1);
    const items = [...list.children];
    items.forEach((li, i) => {
      const n = i + 1;
      li.querySelector(".item-label").textContent = `${Noun} ${n}`;
      li.querySelector(".item-text-label").textContent = `Texto del ${noun} ${n}`;
      const headingLabel = li.querySelector(".item-heading-label");
      if (headingLabel) headingLabel.textContent = `Título del ${noun} ${n} (opcional)`;
      li.querySelector(".item-tools").setAttribute("aria-label", `Acciones del ${noun} ${n}`);
      const up = li.querySelector('[data-action="up"]');
      const down = li.querySelector('[data-action="down"]');
      up.setAttribute("aria-label", `Subir ${noun} ${n}`);
      down.setAttribute("aria-label", `Bajar ${noun} ${n}`);
      li.querySelector('[data-action="delete"]').setAttribute("aria-label", `Eliminar ${noun} ${n}`);
      up.disabled = i === 0;
      down.disabled = i === items.length - 1;
    });
  }

  // ------------------------------------------------------------------ reading the form back

  /** The content as the server expects it, plus the item elements in the order sent. */
  function collect() {
    const fields = { ...state.baseFields };
    form.querySelectorAll("[data-field]").forEach((control) => {
      fields[control.dataset.field] = control.value;
    });
    const itemElements = [];
    const sections = state.sections.map((meta, index) => {
      const list = form.querySelector(`fieldset[data-section="${index}"] ol.items`);
      const elements = list ? [...list.children] : [];
      itemElements.push(elements);
      const items = elements.map((li) => {
        const item = { text: li.querySelector(".item-text").value };
        if (li.dataset.id) item.id = li.dataset.id;
        const heading = li.querySelector(".item-heading");
        if (heading && heading.value.trim()) item.heading = heading.value;
        return item;
      });
      const section = { key: meta.key, title: meta.title, kind: meta.kind, items };
      if (meta.numbering) section.numbering = meta.numbering;
      return section;
    });
    const closing = form.querySelector("[data-closing]");
    const content = { doc_type: state.docType, fields, sections, closing: closing ? closing.value : "" };
    return { content, itemElements };
  }

  const collectContent = () => collect().content;

  function missingRequired() {
    for (const def of state.fieldDefs) {
      if (!def.required) continue;
      const control = form.querySelector(`[data-field="${CSS.escape(def.key)}"]`);
      if (control && !control.value.trim()) return { def, control };
    }
    return null;
  }

  // ------------------------------------------------------------------ save state indicator

  function render() {
    let stateName = "saved";
    let text = "Guardado";
    if (state.saving) {
      stateName = "saving";
      text = "Guardando…";
    } else if (state.error) {
      stateName = "error";
      text = `Error: ${state.error}`;
    } else if (state.dirty && state.currentJson === state.copyJson) {
      stateName = "kept";
      text = "Copia de trabajo guardada (aún no es una versión)";
    } else if (state.dirty) {
      stateName = "dirty";
      text = "Cambios sin guardar";
    }
    if (saveState.textContent !== text) saveState.textContent = text;
    saveState.dataset.state = stateName;
    saveButton.setAttribute("aria-busy", state.saving ? "true" : "false");
  }

  function refreshDirty() {
    state.currentJson = canonical(collectContent());
    state.dirty = state.currentJson !== state.savedJson;
    if (!state.dirty && !state.conflict) state.error = "";
    render();
  }

  function markSaved(content) {
    state.savedJson = canonical(content);
    refreshDirty();
  }

  function showVersion(number) {
    state.version = number;
    versionIndicator.textContent = `Versión ${number}`;
    downloadLinks.docx.href = versionUrl(cfg.urls.docx, number);
    downloadLinks.pdf.href = versionUrl(cfg.urls.pdf, number);
  }

  function showTitle(title) {
    if (!title) return;
    titleEl.textContent = title;
    titleEl.title = title;
    const suffix = document.title.includes(" · ") ? document.title.slice(document.title.indexOf(" · ")) : "";
    document.title = title + suffix;
  }

  // ------------------------------------------------------------------ live preview

  let previewTimer = 0;
  let previewSeq = 0;

  function schedulePreview() {
    window.clearTimeout(previewTimer);
    previewStatus.textContent = "";
    previewTimer = window.setTimeout(refreshPreview, PREVIEW_DELAY_MS);
  }

  async function refreshPreview() {
    const seq = ++previewSeq;
    preview.setAttribute("aria-busy", "true");
    try {
      const data = await requestJson(cfg.urls.preview, { content: collectContent() });
      if (seq !== previewSeq) return;
      preview.innerHTML = data.html;  // server-rendered fragment, escaped by the server
      if (state.conflict) {
        conflictMine.innerHTML = data.html;
        markDifferences(false);
      }
      previewStatus.textContent = "";
      highlightCurrent();
    } catch (err) {
      if (seq !== previewSeq) return;
      previewStatus.textContent = `No se pudo actualizar la vista previa: ${err.message}`;
    } finally {
      if (seq === previewSeq) preview.removeAttribute("aria-busy");
    }
  }

  let currentItemId = "";

  function highlightCurrent() {
    preview.querySelectorAll(".is-current").forEach((node) => node.classList.remove("is-current"));
    if (!currentItemId) return;
    const target = preview.querySelector(`[data-item="${CSS.escape(currentItemId)}"]`);
    if (!target) return;
    target.classList.add("is-current");
    const pane = preview.closest(".editor-preview");
    if (pane && pane.scrollHeight > pane.clientHeight) {
      const paneBox = pane.getBoundingClientRect();
      const box = target.getBoundingClientRect();
      if (box.top < paneBox.top || box.bottom > paneBox.bottom) {
        pane.scrollTop += box.top - paneBox.top - paneBox.height / 3;
      }
    }
  }

  // ------------------------------------------------------------------ saving

  let saveChain = Promise.resolve();

  /** Queue a save so that two never overlap (autosave vs. Ctrl+S). */
  function requestSave(options) {
    saveChain = saveChain.then(() => doSave(options)).catch((err) => {
      state.saving = false;
      state.error = err.message || "No se pudo guardar.";
      render();
    });
    return saveChain;
  }

  /** Give the items saved without an id the ids the server assigned; true if any. */
  async function adoptServerIds(number, sent, itemElements) {
    const missing = itemElements.some((els) => els.some((li) => !li.dataset.id));
    if (!missing) return false;
    let adopted = false;
    try {
      const saved = await requestJson(versionUrl(cfg.urls.content, number));
      const savedSections = saved.content.sections || [];
      sent.sections.forEach((section, s) => {
        const savedItems = (savedSections[s] && savedSections[s].key === section.key)
          ? savedSections[s].items : [];
        section.items.forEach((item, i) => {
          const li = itemElements[s][i];
          if (!item.id && savedItems[i] && savedItems[i].id) {
            item.id = savedItems[i].id;
            if (li && !li.dataset.id) li.dataset.id = savedItems[i].id;
            adopted = true;
          }
        });
      });
    } catch (err) {
      // The version is saved; only the new items' ids could not be learnt. They keep
      // none and the next save assigns them, which loses nothing the user wrote.
    }
    return adopted;
  }

  async function doSave({ autosave = false, base = null } = {}) {
    refreshDirty();
    const note = autosave ? "" : noteInput.value.trim();
    if (autosave && (!state.dirty || state.conflict || state.currentJson === state.copyJson)) return;
    if (!autosave && !state.dirty && !note && base === null) {
      announce("No hay cambios que guardar.");
      return;
    }
    const missing = missingRequired();
    if (missing) {
      if (!autosave) {
        state.error = `El campo «${missing.def.label || missing.def.key}» es obligatorio.`;
        missing.control.setAttribute("aria-invalid", "true");
        missing.control.focus();
        render();
      }
      return;
    }
    const { content, itemElements } = collect();
    const baseVersion = base === null ? state.version : base;
    state.saving = true;
    render();
    let data;
    try {
      data = await requestJson(cfg.urls.save, {
        content, base_version: baseVersion, note, autosave,
      });
    } catch (err) {
      state.saving = false;
      if (err.status === 409 && err.body?.error?.current_version) {
        state.error = err.body.error.same_author
          ? "usted ya guardó una versión más reciente en otra página."
          : "otra persona guardó una versión más reciente.";
        render();
        await openConflict(err.body.error, content);
      } else {
        state.error = err.message;
        render();
        if (!autosave) announce(`Error: ${err.message}`);
      }
      return;
    }
    if (data.working_copy) {  // autosave: kept as the working copy, no version made
      state.saving = false;
      state.error = "";
      state.copyJson = canonical(content);
      render();
      return;
    }
    state.copyJson = "";  // an explicit save replaces the working copy
    const changed = data.version !== state.version;
    // The preview drew the new items with provisional ids: redraw it with the real ones.
    if (changed && await adoptServerIds(data.version, content, itemElements)) schedulePreview();
    state.saving = false;
    state.error = "";
    showVersion(data.version);
    showTitle(data.title);
    if (!autosave) {
      if (noteInput.value.trim() === note) noteInput.value = "";
    }
    form.querySelectorAll('[aria-invalid="true"]').forEach((c) => c.removeAttribute("aria-invalid"));
    const wasConflict = Boolean(state.conflict);
    if (wasConflict) closeConflict();
    markSaved(content);
    if (changed) {
      announce(autosave ? `Guardado automático: versión ${data.version}.` : `Versión ${data.version} guardada.`);
    }
  }

  // ------------------------------------------------------------------ conflicts

  async function openConflict(error, mine) {
    state.conflict = { current: Number(error.current_version), message: error.message, theirs: null };
    conflictTitle.textContent = error.same_author
      ? "Hay una versión más reciente, guardada por usted"
      : "Otra persona guardó este documento";
    conflictMessage.textContent = error.message || HTTP_MESSAGES[409];
    conflictTheirsCaption.textContent = `Versión ${error.current_version} (cargando…)`;
    conflictTheirs.textContent = "Cargando…";
    conflictMine.textContent = "Cargando…";
    conflictPanel.hidden = false;
    conflictKeep.disabled = true;
    conflictDiscard.disabled = true;
    render();
    conflictTitle.focus();
    conflictPanel.scrollIntoView({ block: "start" });
    conflictDiffNote.textContent = "";

    const [theirs, minePreview] = await Promise.allSettled([
      requestJson(versionUrl(cfg.urls.content, error.current_version)),
      requestJson(cfg.urls.preview, { content: mine }),
    ]);
    if (!state.conflict) return;
    if (theirs.status === "fulfilled") {
      const t = theirs.value;
      state.conflict.theirs = t;
      const when = formatDate(t.created_at);
      conflictTheirsCaption.textContent =
        `Versión ${t.version} de ${t.author}${when ? `, ${when}` : ""}`;
      conflictTheirs.innerHTML = t.html;  // server-rendered fragment
    } else {
      conflictTheirsCaption.textContent = `Versión ${error.current_version}`;
      conflictTheirs.textContent = `No se pudo cargar esa versión: ${theirs.reason.message}`;
    }
    if (minePreview.status === "fulfilled") {
      conflictMine.innerHTML = minePreview.value.html;  // server-rendered fragment
    } else {
      conflictMine.textContent = `No se pudo mostrar su versión: ${minePreview.reason.message}`;
    }
    if (theirs.status === "fulfilled" && minePreview.status === "fulfilled") markDifferences(true);
    conflictKeep.disabled = false;
    conflictDiscard.disabled = false;
  }

  /** Outline the items whose text differs between the two sides (by item id), and scroll
   *  each side to its first difference so the user sees at once what the other person did. */
  function markDifferences(scroll) {
    const texts = (root) => new Map([...root.querySelectorAll("[data-item]")]
      .map((node) => [node.dataset.item, node.textContent.replace(/\s+/g, " ").trim()]));
    const theirs = texts(conflictTheirs);
    const mine = texts(conflictMine);
    let count = 0;
    for (const [root, own, other] of [[conflictTheirs, theirs, mine], [conflictMine, mine, theirs]]) {
      let first = null;
      root.querySelectorAll("[data-item]").forEach((node) => {
        const differs = other.get(node.dataset.item) !== own.get(node.dataset.item);
        node.classList.toggle("is-changed", differs);
        if (differs) {
          count += 1;
          first = first || node;
        }
      });
      if (scroll && first) root.scrollTop = Math.max(0, first.offsetTop - 24);
    }
    conflictDiffNote.textContent = count
      ? "Los párrafos y artículos resaltados difieren entre las dos versiones."
      : "Los párrafos y artículos de ambas versiones coinciden; revise los datos del documento.";
  }

  function closeConflict() {
    state.conflict = null;
    conflictPanel.hidden = true;
    conflictTheirs.replaceChildren();
    conflictMine.replaceChildren();
    conflictDiffNote.textContent = "";
  }

  function keepMine() {
    if (!state.conflict) return;
    const base = state.conflict.current;
    requestSave({ autosave: false, base });
  }

  async function discardMine() {
    if (!state.conflict) return;
    const ok = window.confirm(
      "¿Descartar sus cambios y cargar la última versión guardada? Su texto no guardado se perderá.");
    if (!ok) return;
    let theirs = state.conflict.theirs;
    if (!theirs) {
      try {
        theirs = await requestJson(versionUrl(cfg.urls.content, state.conflict.current));
      } catch (err) {
        conflictMessage.textContent = `No se pudo cargar la última versión: ${err.message}`;
        return;
      }
    }
    closeConflict();
    state.error = "";
    buildForm(theirs.content);
    showVersion(theirs.version);
    showTitle(theirs.content?.fields?.sumilla || "");
    preview.innerHTML = theirs.html;  // server-rendered fragment
    markSaved(collectContent());
    announce(`Se cargó la versión ${theirs.version}. Sus cambios fueron descartados.`);
    const first = form.querySelector("input, textarea");
    if (first) first.focus();
  }

  // ------------------------------------------------------------------ item actions

  function focusAfterMove(li, action) {
    const same = li.querySelector(`[data-action="${action}"]`);
    const other = li.querySelector(`[data-action="${action === "up" ? "down" : "up"}"]`);
    (same.disabled ? other : same).focus();
  }

  function onItemAction(button) {
    const action = button.dataset.action;
    if (action === "add") {
      const fieldset = button.closest("fieldset[data-section]");
      const section = state.sections[Number(fieldset.dataset.section)];
      const list = fieldset.querySelector("ol.items");
      const li = buildItem(section, { text: "" });
      list.append(li);
      renumber(list);
      grow(li.querySelector(".item-text"));
      li.querySelector(".item-text").focus();
      announce(`${li.querySelector(".item-label").textContent} agregado.`);
      changed();
      return;
    }
    const li = button.closest("li.item");
    const list = li.parentElement;
    if (action === "up" || action === "down") {
      if (moveItem(li, action)) focusAfterMove(li, action);
    } else if (action === "delete") {
      const label = li.querySelector(".item-label").textContent.toLowerCase();
      if (!window.confirm(`¿Eliminar el ${label}? Podrá recuperarlo desde el historial si ya estaba guardado.`)) {
        return;
      }
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber(list);
      const fieldset = list.closest("fieldset");
      (next ? next.querySelector(".item-text") : fieldset.querySelector('[data-action="add"]')).focus();
      announce(`${label.charAt(0).toUpperCase()}${label.slice(1)} eliminado.`);
      changed();
    }
  }

  /** Move an item one place up or down in its section; false at either end. */
  function moveItem(li, direction) {
    const list = li.parentElement;
    if (direction === "up" && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (direction === "down" && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    } else {
      return false;
    }
    renumber(list);
    grow(li.querySelector(".item-text"));
    const noun = list.dataset.noun;
    const position = [...list.children].indexOf(li) + 1;
    announce(`${noun.charAt(0).toUpperCase()}${noun.slice(1)} movido a la posición ${position}.`);
    changed();
    return true;
  }

  function changed() {
    refreshDirty();
    schedulePreview();
  }

  // ------------------------------------------------------------------ observations in place

  const observations = Array.isArray(cfg.observations) ? cfg.observations : [];
  const generalBox = $("observations-general");

  function observationCard(obs) {
    const card = el("aside", { className: `observation${obs.addressed ? " is-addressed" : ""}`,
      dataset: { observation: String(obs.id) }, "aria-label": `Observación sobre ${obs.part || "el documento"}` });
    card.append(el("p", { className: "observation-head" },
      el("strong", { text: obs.author }), ` · ${obs.part || "general"}`,
      obs.removed ? el("em", { text: " (la parte comentada ya no existe)" }) : null));
    if (obs.quote) card.append(el("blockquote", { text: obs.quote }));
    card.append(el("p", { className: "observation-body", text: obs.body }));
    const replies = el("div", { className: "observation-replies" });
    for (const r of obs.replies || []) replies.append(el("p", { className: "reply" }, el("strong", { text: r.author }), `: ${r.body}`));
    card.append(replies);
    const status = el("p", { className: "observation-status muted", role: "status",
      text: obs.addressed ? "Atendida: espera que quien la hizo la dé por resuelta." : "" });
    card.append(status);
    const tools = el("div", { className: "observation-tools" });
    if (cfg.canComment) {
      const inputId = nextId("obs-reply");
      const input = el("input", { id: inputId, type: "text", maxlength: 10000, className: "observation-reply",
        autocomplete: "off" });
      const send = el("button", { type: "button", className: "small", text: "Responder" });
      send.addEventListener("click", async () => {
        const body = input.value.trim();
        if (!body) { input.focus(); return; }
        send.disabled = true;
        try {
          const reply = await requestJson(cfg.urls.comment, { body, thread_id: obs.id });
          replies.append(el("p", { className: "reply" }, el("strong", { text: reply.author }), `: ${reply.body}`));
          input.value = "";
          announce("Respuesta registrada.");
        } catch (err) {
          status.textContent = `No se pudo responder: ${err.message}`;
        } finally {
          send.disabled = false;
        }
      });
      tools.append(el("label", { for: inputId, className: "visually-hidden", text: `Responder a la observación sobre ${obs.part || "el documento"}` }), input, send);
    }
    if (cfg.canAddress && !obs.addressed) {
      const done = el("button", { type: "button", className: "small", text: "Marcar como atendida" });
      done.addEventListener("click", async () => {
        done.disabled = true;
        try {
          await requestJson(cfg.urls.address.replace("__comment__", encodeURIComponent(String(obs.id))), {});
          obs.addressed = true;
          card.classList.add("is-addressed");
          status.textContent = "Atendida: espera que quien la hizo la dé por resuelta.";
          done.remove();
        } catch (err) {
          done.disabled = false;
          status.textContent = `No se pudo marcar: ${err.message}`;
        }
      });
      tools.append(done);
    }
    card.append(tools);
    // Typing an answer is not editing the document.
    for (const type of ["input", "keydown", "focusin"]) card.addEventListener(type, (e) => e.stopPropagation());
    return card;
  }

  /** Each open observation beside the part it anchors; the others above the editor. */
  function renderObservations() {
    if (!generalBox) return;
    generalBox.querySelectorAll(".observation").forEach((n) => n.remove());
    let general = 0;
    for (const obs of observations) {
      const li = obs.item ? form.querySelector(`li.item[data-id="${CSS.escape(obs.item)}"]`) : null;
      const card = observationCard(obs);
      if (li) {
        li.append(card);
      } else {
        generalBox.append(card);
        general += 1;
      }
    }
    generalBox.hidden = general === 0;
  }

  // ------------------------------------------------------------------ a page left behind

  /** A page brought back (Back button, another tab) checks it still shows the latest
   *  version; when it does not and nothing was typed, it reloads itself. */
  async function checkStale() {
    if (state.saving || state.conflict) return;
    let data;
    try {
      data = await requestJson(cfg.urls.state);
    } catch (err) {
      return;
    }
    if (Number(data.version) === state.version && data.status === cfg.status) return;
    if (!state.dirty || state.currentJson === state.copyJson) {
      announce("Hay una versión más reciente: se recarga la página.");
      window.location.reload();
    } else {
      state.error = `hay una versión más reciente (${data.version}); al guardar podrá compararlas.`;
      render();
    }
  }

  // ------------------------------------------------------------------ wiring

  buildForm(cfg.content);
  markSaved(collectContent());
  if (cfg.workingCopy) {  // the copy the autosave kept last time: typing is never lost
    buildForm(cfg.workingCopy);
    refreshDirty();
    state.copyJson = state.currentJson;
    render();
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.matches("textarea.autogrow")) grow(target);
    if (target.getAttribute("aria-invalid") === "true" && target.value.trim()) {
      target.removeAttribute("aria-invalid");
      if (!state.saving && !state.conflict) state.error = "";
    }
    changed();
  });
  // Alt+↑ / Alt+↓ inside an item moves it without leaving the text being edited.
  form.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    const li = event.target.closest("li.item");
    if (!li || !event.target.matches("textarea, input")) return;
    event.preventDefault();
    const target = event.target;
    const { selectionStart, selectionEnd } = target;
    if (moveItem(li, event.key === "ArrowUp" ? "up" : "down")) {
      target.focus();
      target.setSelectionRange(selectionStart, selectionEnd);
    }
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button && form.contains(button)) onItemAction(button);
  });
  form.addEventListener("focusin", (event) => {
    const li = event.target.closest("li.item");
    const id = li ? li.dataset.id || "" : "";
    if (id !== currentItemId) {
      currentItemId = id;
      highlightCurrent();
    }
  });

  saveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    requestSave({ autosave: false });
  });
  conflictKeep.addEventListener("click", keepMine);
  conflictDiscard.addEventListener("click", discardMine);

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      requestSave({ autosave: false });
    }
  });

  window.setInterval(() => {
    if (state.dirty && !state.saving && !state.conflict) requestSave({ autosave: true });
  }, AUTOSAVE_MS);

  window.addEventListener("pageshow", (event) => { if (event.persisted) checkStale(); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") checkStale();
  });

  window.addEventListener("beforeunload", (event) => {
    if ((state.dirty && state.currentJson !== state.copyJson) || state.saving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  /** Show the preview as a real A4 sheet scaled to its pane, so that its lines break where
   *  the PDF's do; on narrow screens let the text reflow instead. */
  function fitPaper() {
    const pane = preview.parentElement;
    const style = window.getComputedStyle(pane);
    const available = pane.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const zoom = Math.min(1, available / A4_WIDTH_PX);
    if (zoom >= MIN_PAPER_ZOOM) {
      preview.classList.add("is-scaled");
      preview.style.setProperty("--paper-zoom", zoom.toFixed(4));
    } else {
      preview.classList.remove("is-scaled");
      preview.style.removeProperty("--paper-zoom");
    }
  }
  fitPaper();
  new ResizeObserver(() => window.requestAnimationFrame(fitPaper)).observe(preview.parentElement);

  // Re-measure the textareas when the column's width changes (window resized, panes stacked).
  let formWidth = form.clientWidth;
  let resizeFrame = 0;
  new ResizeObserver(() => {
    if (form.clientWidth === formWidth) return;
    formWidth = form.clientWidth;
    window.cancelAnimationFrame(resizeFrame);
    resizeFrame = window.requestAnimationFrame(growAll);
  }).observe(form);
})();
