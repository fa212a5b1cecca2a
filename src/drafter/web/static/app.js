// drafter serve: the home page and the form editor, in plain JavaScript (no build step).
// The server owns every rule: it validates, drafts, checks and saves; this page only shows
// the fields the pack declares, sends what the writer typed, and shows what comes back.
"use strict";

const CSRF = document.querySelector('meta[name="drafter-csrf"]').content;
const PREVIEW_DELAY_MS = 250;
const view = document.getElementById("view");
const statusLine = document.getElementById("status");

// ------------------------------------------------------------------ small helpers

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, kind) {
  statusLine.textContent = text || "";
  statusLine.className = kind || "";
}

class Refusal extends Error {
  constructor(status, body) {
    super(body.error || "请求失败");
    this.status = status;
    this.body = body;
  }
}

async function api(path, options) {
  const init = Object.assign({ headers: {} }, options || {});
  if (init.json !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json; charset=utf-8";
    init.body = JSON.stringify(init.json);
    delete init.json;
  }
  if (init.method === "POST") init.headers["X-Drafter-Csrf"] = CSRF;
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new Refusal(0, { error: "无法连接 drafter serve：它是否已经停止？" });
  }
  let body;
  try {
    body = await response.json();
  } catch (error) {
    body = { error: "服务器的回答无法读取" };
  }
  if (!response.ok) throw new Refusal(response.status, body);
  return body;
}

function pathKey(path) {
  return JSON.stringify(path);
}

function getAt(data, path) {
  let value = data;
  for (const step of path) {
    if (value === null || value === undefined) return undefined;
    value = value[step];
  }
  return value;
}

function setAt(data, path, value) {
  let holder = data;
  path.slice(0, -1).forEach((step, index) => {
    if (holder[step] === null || typeof holder[step] !== "object") {
      holder[step] = typeof path[index + 1] === "number" ? [] : {};
    }
    holder = holder[step];
  });
  holder[path[path.length - 1]] = value;
}

function blankOf(spec) {
  if (spec.type === "object") {
    const value = {};
    for (const child of spec.fields) value[child.key] = blankOf(child);
    return value;
  }
  if (spec.type === "list" || spec.type === "paragraphs") return [];
  return "";
}

// ------------------------------------------------------------------ routing

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
window.addEventListener("beforeunload", (event) => {
  if (editor && editor.dirty) {
    event.preventDefault();
    event.returnValue = "";
  }
});

let editor = null;

function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  editor = null;
  say("");
  if (hash.startsWith("/form/")) return openEditor(hash.slice(6));
  return showHome();
}

// ------------------------------------------------------------------ home page

async function showHome() {
  document.title = "drafter · 表单";
  let listing;
  try {
    listing = await api("/api/forms");
  } catch (error) {
    view.replaceChildren(el("p", { class: "refusal" }, error.message));
    return;
  }
  const rows = listing.forms.map((form) =>
    el("tr", {},
      el("td", {}, el("a", { href: "#/form/" + encodeURIComponent(form.name), class: "form-link" }, form.name)),
      el("td", {}, form.broken ? el("span", { class: "error" }, "无法读取，可在文字视图中修改") : form.title),
      el("td", {}, form.template || ""),
      el("td", {}, form.speaker || ""),
      el("td", {}, form.date || ""),
      el("td", {}, form.saved)));
  const packChoice = el("select", { id: "new-pack", "aria-label": "模板" },
    listing.packs.map((pack) => el("option", { value: pack.id }, `${pack.name}（${pack.id}）`)));
  const newName = el("input", { id: "new-name", type: "text", placeholder: "新表单的文件名，如 2026年述职评议" });
  const upload = el("input", { id: "upload-file", type: "file", accept: ".docx,.txt,.md" });
  const uploadResult = el("div", { id: "upload-result" });
  view.replaceChildren(
    el("section", { class: "home" },
      el("h1", {}, "本文件夹中的表单"),
      rows.length
        ? el("table", { class: "forms" },
            el("thead", {}, el("tr", {}, ["文件", "标题", "模板", "讲话人", "日期", "最后保存"].map((h) => el("th", {}, h)))),
            el("tbody", {}, rows))
        : el("p", { class: "hint" }, "这个文件夹中还没有表单。"),
      el("h2", {}, "新建表单"),
      el("p", { class: "hint" }, "内容与 drafter new 生成的相同：每个字段都已填好范文中的例子。"),
      el("div", { class: "row" }, packChoice, newName,
        el("button", { id: "new-form", type: "button", onclick: () => createForm(packChoice.value, newName.value) }, "新建")),
      el("h2", {}, "从旧讲话稿新建"),
      el("p", { class: "hint" }, "上传 .docx、.txt 或 .md 讲话稿，按 drafter extract 的方法填好表单。"),
      el("div", { class: "row" }, upload,
        el("button", { id: "upload", type: "button", onclick: () => uploadSpeech(upload, uploadResult) }, "上传并提取")),
      uploadResult));
}

async function createForm(pack, name) {
  try {
    const made = await api("/api/new", { json: { pack, name } });
    location.hash = "#/form/" + encodeURIComponent(made.name);
  } catch (error) {
    say(error.message, "error");
  }
}

async function uploadSpeech(input, result) {
  if (!input.files.length) return say("请先选择讲话稿文件", "error");
  const body = new FormData();
  body.append("file", input.files[0]);
  say("正在提取…");
  try {
    const got = await api("/api/extract", { method: "POST", body });
    say("");
    result.replaceChildren(
      el("p", {}, `已生成表单 ${got.name}（模板 ${got.pack}，${got.summary}）。`),
      el("p", {}, "已放入字段的部分：" + (got.placed.join("、") || "无")),
      got.missing.length ? el("p", {}, "没有找到的部分：" + got.missing.join("、")) : null,
      got.unplaced.length
        ? el("div", {}, el("p", {}, `未归位的原文（unplaced，共 ${got.unplaced.length} 段，不会印进讲话稿）：`),
            el("ul", { class: "unplaced" }, got.unplaced.map((text) => el("li", {}, String(text)))))
        : el("p", {}, "原文已全部放入字段。"),
      el("p", {}, el("a", { id: "open-extracted", href: "#/form/" + encodeURIComponent(got.name) }, "打开这份表单")));
  } catch (error) {
    say(error.message, "error");
  }
}

// ------------------------------------------------------------------ the editor

async function openEditor(name) {
  document.title = `drafter · ${name}`;
  let opened;
  try {
    opened = await api("/api/form?name=" + encodeURIComponent(name));
  } catch (error) {
    view.replaceChildren(el("p", { class: "refusal" }, error.message), el("p", {}, el("a", { href: "#/" }, "返回首页")));
    return;
  }
  editor = {
    name,
    version: opened.version,
    text: opened.text,
    data: opened.data,
    fields: opened.fields,
    style: opened.style,
    dirty: false,
    problems: [],
    timer: null,
    sequence: 0,
  };
  const styleChoice = el("select", { id: "style", "aria-label": "版式", onchange: () => { editor.style = styleChoice.value; schedulePreview(0); } },
    opened.styles.map((style) => el("option", { value: style.id, selected: style.id === opened.style }, style.name)));
  const downloads = ["docx", "pdf", "md", "txt"].map((format) =>
    el("a", { class: "download", id: "download-" + format, href: "#", onclick: (event) => { event.preventDefault(); download(format); } }, "." + format));
  const toolbar = el("div", { class: "toolbar" },
    el("a", { href: "#/" }, "← 全部表单"),
    el("strong", { class: "form-name" }, name),
    el("button", { id: "save", type: "button", onclick: save }, "保存"),
    el("button", { id: "show-history", type: "button", onclick: showHistory }, "历史版本"),
    el("button", { id: "show-text", type: "button", onclick: () => showTextView(opened.problems || []) }, "文字视图"),
    el("label", {}, "版式 ", styleChoice),
    el("span", { class: "downloads" }, "下载：", downloads));
  const panel = el("div", { id: "panel" });
  if (!opened.fields) {
    view.replaceChildren(el("section", { class: "editor" }, toolbar, panel));
    showTextView(opened.problems || []);
    return;
  }
  const form = el("form", { id: "fields", class: "fields", onsubmit: (event) => event.preventDefault() });
  form.append(el("p", { class: "pack" }, `模板：${opened.pack.name}（${opened.pack.id}）`));
  for (const spec of opened.fields) {
    if (spec.key === "template") continue;
    form.append(fieldBlock(spec, [spec.key]));
  }
  const preview = el("div", { class: "preview" },
    el("div", { id: "length", class: "length" }),
    el("div", { id: "form-problems", class: "form-problems" }),
    el("iframe", { id: "page", title: "讲话稿预览", sandbox: "" }));
  view.replaceChildren(el("section", { class: "editor" }, toolbar, panel, el("div", { class: "columns" }, form, preview)));
  schedulePreview(0);
}

function changed() {
  if (!editor.dirty) say("有未保存的修改");
  editor.dirty = true;
  schedulePreview(PREVIEW_DELAY_MS);
}

// Ctrl+S (⌘S) saves the form being edited, as in a word processor.
window.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && editor && editor.fields) {
    event.preventDefault();
    save();
  }
});

function schedulePreview(delay) {
  clearTimeout(editor.timer);
  editor.timer = setTimeout(runPreview, delay);
}

async function runPreview() {
  if (!editor) return;
  if (editor.inFlight) {  // one preview at a time per page: the next waits and takes the latest
    editor.pending = true;
    return;
  }
  const mine = ++editor.sequence;
  const current = editor;
  current.inFlight = true;
  let got;
  try {
    got = await api("/api/preview", { json: { name: current.name, data: current.data, style: current.style } });
  } catch (error) {
    return say(error.message, "error");
  } finally {
    current.inFlight = false;
    if (current.pending) {
      current.pending = false;
      schedulePreview(0);
    }
  }
  if (!editor || editor !== current || mine !== editor.sequence || editor.pending) return;
  editor.problems = got.problems;
  showProblems(got.problems, got.findings || []);
  if (got.html !== null) {
    showPage(got.html);
    showMarkers(got.markers);
  } else {
    document.getElementById("form-problems").prepend(el("div", { class: "field-error", id: "preview-paused" },
      "表单中有错误（见各字段下方的红字），改正后预览会继续更新。"));
  }
  const length = document.getElementById("length");
  length.textContent = got.length
    ? `篇幅：共 ${got.length.characters} 字（不计标点），按每分钟 ${got.length.pace} 字计约 ${got.length.minutes} 分钟`
    : "";
  document.body.dataset.previews = String(Number(document.body.dataset.previews || 0) + 1);
}

function showProblems(problems, findings) {
  for (const old of document.querySelectorAll(".field-error, .finding")) old.remove();
  for (const old of document.querySelectorAll(".has-error")) old.classList.remove("has-error");
  const general = document.getElementById("form-problems");
  general.replaceChildren();
  for (const problem of problems) {
    const holder = holderOf(problem.path);
    const note = el("div", { class: "field-error " + problem.severity, role: "alert" },
      (problem.severity === "error" ? "错误：" : "提示：") + problem.message);
    if (holder) {
      holder.classList.add("has-error");
      holder.querySelector(":scope > .messages").append(note);
    } else {
      general.append(note);
    }
  }
  for (const finding of findings) {
    const holder = holderOf(finding.path);
    const note = el("div", { class: "finding " + finding.severity },
      el("span", { class: "rule" }, `[${finding.rule}] `), finding.message,
      finding.suggestion ? `（建议：${finding.suggestion}）` : "");
    if (holder && finding.original !== undefined) {
      note.prepend(el("u", { class: "flagged" }, finding.original), " ");
      note.append(" ", el("button", { type: "button", class: "fix", onclick: () => applyFix(finding) }, `改为“${finding.fix}”`));
    }
    (holder ? holder.querySelector(":scope > .messages") : general).append(note);
  }
}

// The page is A4 wide (210 mm ≈ 794 px); narrower frames show it scaled down, whole.
const A4_PX = 794 + 24;

function showPage(html) {
  const frame = document.getElementById("page");
  const zoom = Math.min(1, (frame.clientWidth - 16) / A4_PX).toFixed(3);
  frame.srcdoc = html.replace("</head>", `<style>html { zoom: ${zoom}; }</style></head>`);
}

function showMarkers(markers) {
  for (const old of document.querySelectorAll(".printed")) old.remove();
  for (const { path, marker } of markers) {
    const found = document.querySelector(`[data-path='${CSS.escape(pathKey(path))}'] > .label`);
    if (found) found.append(el("span", { class: "printed", title: "讲话稿中自动生成的序号" }, ` 印作“${marker}”`));
  }
}

function holderOf(path) {
  if (!path) return null;
  for (let end = path.length; end > 0; end--) {
    const found = document.querySelector(`[data-path='${CSS.escape(pathKey(path.slice(0, end)))}']`);
    if (found) return found;
  }
  return null;
}

function applyFix(finding) {
  const value = getAt(editor.data, finding.path);
  if (typeof value !== "string" || value.substr(finding.index, finding.original.length) !== finding.original) {
    return say("这处文字已经改过，请重新检查", "error");
  }
  const fixed = value.slice(0, finding.index) + finding.fix + value.slice(finding.index + finding.original.length);
  setAt(editor.data, finding.path, fixed);
  const input = document.querySelector(`[data-input='${CSS.escape(pathKey(finding.path))}']`);
  if (input) input.value = fixed;
  changed();
}

// ------------------------------------------------------------------ fields from the manifest

function fieldBlock(spec, path) {
  const holder = el("div", { class: "field type-" + spec.type, "data-path": pathKey(path) });
  const label = el("label", { class: "label" }, spec.label, spec.required ? el("span", { class: "required", title: "必填" }, " *") : null);
  holder.append(label);
  if (spec.help || spec.note) holder.append(el("div", { class: "help" }, [spec.help, spec.note].filter(Boolean).join("。")));
  if (spec.type === "object") {
    holder.append(el("div", { class: "messages" }));
    const inner = el("div", { class: "object" });
    for (const child of spec.fields) inner.append(fieldBlock(child, [...path, child.key]));
    holder.append(inner);
    return holder;
  }
  if (spec.type === "list" || spec.type === "paragraphs") {
    holder.append(el("div", { class: "messages" }), listEditor(spec, path));
    return holder;
  }
  holder.append(scalarInput(spec, path, label), el("div", { class: "messages" }));
  return holder;
}

function scalarInput(spec, path, label) {
  const current = getAt(editor.data, path);
  const value = current === null || current === undefined ? "" : String(current);
  const id = "f-" + path.join("-");
  label.setAttribute("for", id);
  const attrs = { id, "data-input": pathKey(path), placeholder: spec.example ? `例：${spec.example}` : "" };
  const update = (text) => { setAt(editor.data, path, text); changed(); };
  if (spec.type === "bool") {
    const select = el("select", Object.assign(attrs, { onchange: () => update(select.value) }),
      ["", "是", "否"].map((word) => el("option", { value: word, selected: word === value }, word || "（不填）")));
    return select;
  }
  if (spec.type === "choice") {
    // Each value with what the speech prints for it; empty: the manifest's default.
    const unset = spec.default ? `（默认：${spec.default}）` : "（不填）";
    const options = [["", unset], ...spec.choices.map(([word, printed]) => [word, printed ? `${word}：${printed}` : word])];
    const select = el("select", Object.assign(attrs, { onchange: () => update(select.value) }),
      options.map(([word, shown]) => el("option", { value: word, selected: word === value }, shown)));
    return select;
  }
  if (spec.type === "date") {
    const text = el("input", Object.assign(attrs, { type: "text", value, oninput: () => typed(), onchange: () => typed() }));
    const typed = () => { update(text.value); picker.value = isoDate(text.value); };
    const picker = el("input", { type: "date", class: "picker", "aria-label": spec.label + "（选择日期）", value: isoDate(value),
      onchange: () => { text.value = picker.value; update(picker.value); } });
    return el("span", { class: "date" }, text, picker);
  }
  // change as well as input: a value cleared or pasted by other means still counts
  const area = el("textarea", Object.assign(attrs, { rows: 1, oninput: () => update(area.value), onchange: () => update(area.value) }));
  area.value = value;
  return area;
}

function isoDate(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : "";
}

function listEditor(spec, path) {
  const box = el("div", { class: "list" });
  const itemSpec = spec.type === "paragraphs" ? { key: "", label: spec.label, type: "text", fields: [], help: "", note: "" } : spec.item;
  // One paragraph may be written as plain text: it stays so in the form until the list changes.
  const listed = () => {
    const value = getAt(editor.data, path);
    if (Array.isArray(value)) return value;
    return typeof value === "string" && value !== "" ? [value] : [];
  };
  const ensureList = () => {
    const items = listed();
    if (getAt(editor.data, path) !== items) setAt(editor.data, path, items);
    return items;
  };
  const draw = () => {
    const items = listed();
    box.replaceChildren();
    items.forEach((_, index) => {
      const itemPath = [...path, index];
      const controls = el("span", { class: "controls" },
        el("button", { type: "button", class: "up", title: "上移", disabled: index === 0, onclick: () => move(index, -1) }, "↑"),
        el("button", { type: "button", class: "down", title: "下移", disabled: index === items.length - 1, onclick: () => move(index, 1) }, "↓"),
        el("button", { type: "button", class: "remove", title: "删除这一项", onclick: () => remove(index) }, "删除"));
      const number = spec.numbered ? "（序号自动生成）" : "";
      const label = `第 ${index + 1} 项${number}`;
      const item = fieldBlock(Object.assign({}, itemSpec, { label, required: false, help: "", note: "" }), itemPath);
      item.classList.add("item");
      item.querySelector(".label").after(controls);
      box.append(item);
    });
    box.append(el("button", { type: "button", class: "add", onclick: add }, `添加一项${spec.label ? "：" + spec.label : ""}`));
  };
  const move = (index, step) => {
    const items = ensureList();
    [items[index], items[index + step]] = [items[index + step], items[index]];
    draw(); changed();
  };
  const remove = (index) => {
    ensureList().splice(index, 1);
    draw(); changed();
  };
  const add = () => {
    ensureList().push(blankOf(itemSpec));
    draw(); changed();
    const inputs = box.querySelectorAll(":scope > .item:last-of-type textarea");
    if (inputs.length) inputs[0].focus();
  };
  draw();
  return box;
}

// ------------------------------------------------------------------ saving, history, text view

async function save() {
  const errors = editor.problems.filter((problem) => problem.severity === "error");
  if (errors.length && !confirm(`表单中还有 ${errors.length} 处错误，生成讲话稿时会失败。仍要保存吗？`)) return;
  await writeForm({ name: editor.name, version: editor.version, data: editor.data });
}

async function writeForm(body) {
  try {
    const saved = await api("/api/save", { json: body });
    editor.version = saved.version;
    editor.text = saved.text;
    editor.dirty = false;
    say(`已保存（${saved.saved}）`, "ok");
    return true;
  } catch (error) {
    say(error.message, "error");
    if (error.body && error.body.conflict) showConflict(error.message, error.body);
    return false;
  }
}

function showConflict(message, body) {
  const panel = document.getElementById("panel");
  panel.replaceChildren(el("div", { id: "conflict", class: "conflict" },
    el("p", { class: "error" }, message),
    el("div", { class: "two" },
      el("div", {}, el("h3", {}, "文件中现在的内容"), el("textarea", { readonly: true, rows: 16, class: "disk" }, body.disk)),
      el("div", {}, el("h3", {}, "您未保存的修改"), el("textarea", { readonly: true, rows: 16, class: "mine" }, body.mine))),
    el("button", { type: "button", onclick: () => { editor.dirty = false; route(); } }, "重新打开表单")));
}

async function showHistory() {
  const panel = document.getElementById("panel");
  let got;
  try {
    got = await api("/api/history?name=" + encodeURIComponent(editor.name));
  } catch (error) {
    return say(error.message, "error");
  }
  const shown = el("pre", { class: "version-text" });
  panel.replaceChildren(el("div", { id: "history", class: "history" },
    el("h3", {}, `历史版本（最多保留 20 个，存放在本文件夹的 .drafter-history 中）`),
    got.versions.length ? el("ul", {}, got.versions.map((version) => el("li", {},
      `${version.kept} ${version.why} `,
      el("button", { type: "button", onclick: async () => {
        const text = await api(`/api/history/text?name=${encodeURIComponent(editor.name)}&entry=${encodeURIComponent(version.name)}`);
        shown.textContent = text.text;
      } }, "查看"),
      el("button", { type: "button", class: "restore", onclick: () => restore(version.name) }, "恢复这个版本")))) : el("p", {}, "还没有历史版本。"),
    shown,
    el("button", { type: "button", onclick: () => panel.replaceChildren() }, "关闭")));
}

async function restore(entry) {
  if (!confirm("恢复这个版本？当前的内容会保存为一个历史版本。")) return;
  try {
    await api("/api/restore", { json: { name: editor.name, version: editor.version, entry } });
    editor.dirty = false;
    route();
  } catch (error) {
    say(error.message, "error");
  }
}

function showTextView(problems) {
  const panel = document.getElementById("panel");
  const area = el("textarea", { id: "text", rows: 24, spellcheck: "false" });
  area.value = editor.text;
  panel.replaceChildren(el("div", { class: "text-view" },
    problems.length ? el("ul", { class: "problems" }, problems.map((p) => el("li", { class: "error" },
      (p.line ? `第 ${p.line} 行第 ${p.column} 列：` : "") + p.message))) : null,
    el("p", { class: "hint" }, "这里是表单文件的原文，可以像在记事本中一样修改。"),
    area,
    el("div", { class: "row" },
      el("button", { id: "save-text", type: "button", onclick: async () => {
        if (await writeForm({ name: editor.name, version: editor.version, text: area.value })) route();
      } }, "保存原文"),
      el("button", { type: "button", onclick: () => panel.replaceChildren() }, "关闭"))));
}

async function download(format) {
  const url = `/api/download?name=${encodeURIComponent(editor.name)}&format=${format}&style=${encodeURIComponent(editor.style || "")}`;
  if (editor.dirty) say("下载的是已保存的表单；最近的修改请先保存", "error");
  const response = await fetch(url);
  if (!response.ok) {
    let message = "下载失败";
    try { message = (await response.json()).error; } catch (error) { /* keep the general words */ }
    return say(message, "error");
  }
  const blob = await response.blob();
  const link = el("a", { href: URL.createObjectURL(blob), download: editor.name.replace(/\.ya?ml$/i, "." + format) });
  document.body.append(link);
  link.click();
  link.remove();
}
