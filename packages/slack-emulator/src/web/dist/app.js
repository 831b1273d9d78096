// Built from src/web/client by `npm run build:web`. Do not edit.

// src/web/protocol.ts
var UI_API = "/emulator/api";

// src/web/client/api.ts
var loaded = false;
async function fetchState(user) {
  const fresh = loaded ? "" : "&fresh=1";
  loaded = true;
  const response = await fetch(`${UI_API}/state?user=${encodeURIComponent(user)}${fresh}`, {
    cache: "no-store"
  });
  if (!response.ok) throw new Error(`state: HTTP ${response.status}`);
  return await response.json();
}
async function post(action, body) {
  let response;
  try {
    response = await fetch(`${UI_API}/${action}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    });
  } catch {
    throw new Error("The app is not reachable: is it still running?");
  }
  const result = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (!result.ok) throw new Error(result.error);
  return result.detail;
}
function subscribe(onChange, onStatus) {
  const source = new EventSource(`${UI_API}/events`);
  source.addEventListener("change", onChange);
  source.addEventListener("open", () => {
    onStatus(true);
    onChange();
  });
  source.addEventListener("error", () => onStatus(false));
  return source;
}

// src/web/client/dom.ts
function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === void 0 || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}
function append(parent, children) {
  for (const child of children.flat()) {
    if (child === void 0 || child === null || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}
var KEY = "data-key";
var SIG = "data-sig";
function reconcile(container, items) {
  const existing = /* @__PURE__ */ new Map();
  for (const child of Array.from(container.children)) {
    if (child instanceof HTMLElement && child.hasAttribute(KEY))
      existing.set(child.getAttribute(KEY) ?? "", child);
  }
  const wanted = new Set(items.map((i) => i.key));
  for (const [key, node] of existing) if (!wanted.has(key)) node.remove();
  let cursor = container.firstElementChild;
  for (const item of items) {
    let node = existing.get(item.key);
    if (node && node.getAttribute(SIG) !== item.signature) {
      const fresh = stamp(item);
      node.replaceWith(fresh);
      if (cursor === node) cursor = fresh;
      node = fresh;
    }
    node ??= stamp(item);
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
}
function stamp(item) {
  const node = item.render();
  node.setAttribute(KEY, item.key);
  node.setAttribute(SIG, item.signature);
  return node;
}
function hash(text) {
  let value = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 16777619);
  }
  return (value >>> 0).toString(36);
}
function keepAtBottom(scroller, update) {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  update();
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}

// src/web/client/json-read.ts
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var str = (o, key) => typeof o[key] === "string" ? o[key] : "";
var list = (o, key) => {
  const value = o[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
};

// src/web/client/mrkdwn.ts
var EMOJI = {
  warning: "⚠️",
  rotating_light: "🚨",
  fire: "🔥",
  eyes: "👀",
  white_check_mark: "✅",
  heavy_check_mark: "✔️",
  x: "❌",
  memo: "📝",
  page_facing_up: "📄",
  robot_face: "🤖",
  telephone_receiver: "📞",
  phone: "☎️",
  information_source: "ℹ️",
  red_circle: "🔴",
  large_orange_circle: "🟠",
  large_yellow_circle: "🟡",
  large_blue_circle: "🔵",
  large_green_circle: "🟢",
  thumbsup: "👍",
  "+1": "👍",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  bell: "🔔",
  mag: "🔍",
  link: "🔗",
  bulb: "💡",
  tada: "🎉",
  wave: "👋"
};
function decodeEntities(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
function replaceEmoji(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] ?? all);
}
function isSafeUrl(url) {
  return /^(https?:\/\/|mailto:)/i.test(url);
}
var BARE_URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/g;
function textNodes(raw, options2) {
  const text = replaceEmoji(decodeEntities(raw));
  if (options2.verbatim === true) return text === "" ? [] : [{ kind: "text", text }];
  const out = [];
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    if (match.index > last) out.push({ kind: "text", text: text.slice(last, match.index) });
    out.push({ kind: "link", url: match[0], label: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: text.slice(last) });
  return out;
}
function special(inner) {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? void 0 : decodeEntities(inner.slice(bar + 1));
  const withLabel = label === void 0 || label === "" ? {} : { label };
  if (target.startsWith("@")) return { kind: "user", id: target.slice(1), ...withLabel };
  if (target.startsWith("#")) return { kind: "channel", id: target.slice(1), ...withLabel };
  if (target.startsWith("!date^")) {
    const [, epoch, format, url2] = target.split("^");
    return {
      kind: "date",
      epoch: Number(epoch),
      format: format ?? "{date_short}",
      fallback: label ?? "",
      ...url2 === void 0 ? {} : { url: decodeEntities(url2) }
    };
  }
  if (target.startsWith("!subteam^")) return { kind: "broadcast", name: label ?? "group" };
  if (target.startsWith("!")) return { kind: "broadcast", name: target.slice(1) };
  const url = decodeEntities(target);
  return { kind: "link", url, label: label ?? url };
}
var WORD = /[\p{L}\p{N}]/u;
function closing(line, start2, mark) {
  const single = (i) => line[i - 1] !== mark && line[i + 1] !== mark;
  if (start2 > 0 && WORD.test(line[start2 - 1] ?? "")) return -1;
  if (/\s/.test(line[start2 + 1] ?? " ") || !single(start2)) return -1;
  for (let j = start2 + 2; j < line.length; j += 1) {
    if (line[j] !== mark || /\s/.test(line[j - 1] ?? "") || !single(j)) continue;
    if (j + 1 < line.length && WORD.test(line[j + 1] ?? "")) continue;
    return j;
  }
  return -1;
}
var STYLE = { "*": "bold", _: "italic", "~": "strike" };
function parseInline(line, options2 = {}) {
  const out = [];
  let buffer = "";
  const flush = () => {
    if (buffer !== "") out.push(...textNodes(buffer, options2));
    buffer = "";
  };
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] ?? "";
    if (c === "`") {
      const end = line.indexOf("`", i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: "code", text: decodeEntities(line.slice(i + 1, end)) });
        i = end;
        continue;
      }
    } else if (c === "<") {
      const end = line.indexOf(">", i + 1);
      if (end > i + 1) {
        flush();
        out.push(special(line.slice(i + 1, end)));
        i = end;
        continue;
      }
    } else if (STYLE[c]) {
      const end = closing(line, i, c);
      if (end > 0) {
        flush();
        out.push({ kind: STYLE[c], children: parseInline(line.slice(i + 1, end), options2) });
        i = end;
        continue;
      }
    }
    buffer += c;
  }
  flush();
  return out;
}
function parseLines(text, options2) {
  const out = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    if (i > 0 && out.at(-1)?.kind !== "quote" && !line.startsWith(">")) out.push({ kind: "br" });
    if (line.startsWith(">")) {
      const quoted = [];
      while (i < lines.length && (lines[i] ?? "").startsWith(">")) {
        quoted.push((lines[i] ?? "").replace(/^> ?/, ""));
        i += 1;
      }
      i -= 1;
      out.push({ kind: "quote", children: parseLines(quoted.join("\n"), options2) });
      continue;
    }
    out.push(...parseInline(line, options2));
  }
  return out;
}
function parseMrkdwn(text, options2 = {}) {
  const out = [];
  let last = 0;
  for (const match of text.matchAll(/```([\s\S]*?)```/g)) {
    if (match.index > last)
      out.push(...parseLines(text.slice(last, match.index).replace(/\n$/, ""), options2));
    out.push({ kind: "pre", text: decodeEntities((match[1] ?? "").replace(/^\n/, "")) });
    last = match.index + match[0].length;
  }
  const rest = last > 0 ? text.slice(last).replace(/^\n/, "") : text;
  if (rest !== "") out.push(...parseLines(rest, options2));
  return out;
}
function plainText(text, emoji = true) {
  return emoji ? replaceEmoji(text) : text;
}
function ordinal(day) {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffix = teen ? "th" : ["th", "st", "nd", "rd"][day % 10] ?? "th";
  return `${day}${suffix}`;
}
function formatSlackDate(epoch, format, options2 = {}) {
  if (!Number.isFinite(epoch)) return "";
  const date = new Date(epoch * 1e3);
  const tz = options2.timeZone === void 0 ? {} : { timeZone: options2.timeZone };
  const parts = (o) => Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { ...o, ...tz }).formatToParts(date).map((p2) => [p2.type, p2.value])
  );
  const p = parts({ year: "numeric", month: "long", day: "numeric", weekday: "long" });
  const short = parts({ month: "short" })["month"] ?? "";
  const n = parts({ year: "numeric", month: "2-digit", day: "2-digit" });
  const t = parts({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const day = Number(p["day"]);
  const dayKey = (ms) => {
    const q = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { year: "numeric", month: "2-digit", day: "2-digit", ...tz }).formatToParts(new Date(ms)).map((x) => [x.type, x.value])
    );
    return `${q["year"]}-${q["month"]}-${q["day"]}`;
  };
  const now = options2.now ?? Date.now();
  const relative = () => {
    const key = dayKey(epoch * 1e3);
    if (key === dayKey(now)) return "today";
    if (key === dayKey(now - 864e5)) return "yesterday";
    if (key === dayKey(now + 864e5)) return "tomorrow";
    return void 0;
  };
  const tokens = {
    date_num: () => `${n["year"]}-${n["month"]}-${n["day"]}`,
    date: () => `${p["month"]} ${ordinal(day)}, ${p["year"]}`,
    date_short: () => `${short} ${day}, ${p["year"]}`,
    date_long: () => `${p["weekday"]}, ${p["month"]} ${ordinal(day)}, ${p["year"]}`,
    date_pretty: () => relative() ?? tokens["date"]?.() ?? "",
    date_short_pretty: () => relative() ?? tokens["date_short"]?.() ?? "",
    date_long_pretty: () => relative() ?? tokens["date_long"]?.() ?? "",
    time: () => `${t["hour"]}:${t["minute"]}`,
    time_secs: () => `${t["hour"]}:${t["minute"]}:${t["second"]}`,
    ago: () => ago(now - epoch * 1e3)
  };
  return format.replace(/\{(\w+)\}/g, (all, name) => tokens[name]?.() ?? all);
}
function ago(ms) {
  const future = ms < 0;
  const s = Math.round(Math.abs(ms) / 1e3);
  const [value, unit] = s < 60 ? [s, "second"] : s < 3600 ? [Math.round(s / 60), "minute"] : s < 86400 ? [Math.round(s / 3600), "hour"] : [Math.round(s / 86400), "day"];
  const text = `${value} ${unit}${value === 1 ? "" : "s"}`;
  return future ? `in ${text}` : `${text} ago`;
}

// src/web/client/overflow.ts
var textOf = (value) => typeof value === "object" && value !== null ? plainText(str(value, "text")) : "";
function renderOverflow(element, ctx) {
  const actionId = str(element, "action_id");
  const menu = h("details", { class: "overflow", "data-action-id": actionId });
  const options2 = list(element, "options").map((option) => {
    const value = str(option, "value");
    const item = h(
      "button",
      { type: "button", role: "menuitem", class: "overflow-option" },
      textOf(option["text"])
    );
    item.addEventListener("click", () => {
      menu.open = false;
      if (!ctx.onButton) return;
      menu.setAttribute("aria-busy", "true");
      ctx.onButton({ actionId, optionValue: value }).finally(() => menu.removeAttribute("aria-busy")).catch(() => void 0);
    });
    return item;
  });
  menu.append(
    h(
      "summary",
      {
        class: "btn overflow-button",
        role: "button",
        "aria-haspopup": "menu",
        title: "More actions",
        "aria-label": "More actions"
      },
      "⋮"
    ),
    h("div", { class: "overflow-menu", role: "menu" }, options2)
  );
  return menu;
}

// src/web/client/rich-text.ts
function richText(element, ctx) {
  const inline = (e) => {
    const style = isObject(e["style"]) ? e["style"] : {};
    let node;
    if (e["type"] === "link") {
      const url = str(e, "url");
      node = isSafeUrl(url) ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, str(e, "text") || url) : document.createTextNode(str(e, "text") || url);
    } else if (e["type"] === "user")
      node = h(
        "span",
        { class: "mention" },
        `@${ctx.users.get(str(e, "user_id"))?.name ?? str(e, "user_id")}`
      );
    else if (e["type"] === "emoji") node = document.createTextNode(plainText(`:${str(e, "name")}:`));
    else node = document.createTextNode(str(e, "text"));
    if (style["code"] === true) node = h("code", {}, node);
    if (style["bold"] === true) node = h("strong", {}, node);
    if (style["italic"] === true) node = h("em", {}, node);
    if (style["strike"] === true) node = h("s", {}, node);
    return node;
  };
  const elements = list(element, "elements");
  switch (element["type"]) {
    case "rich_text_preformatted":
      return h("pre", {}, elements.map(inline));
    case "rich_text_quote":
      return h("blockquote", {}, elements.map(inline));
    case "rich_text_list":
      return h(
        element["style"] === "ordered" ? "ol" : "ul",
        {},
        elements.map((item) => h("li", {}, list(item, "elements").map(inline)))
      );
    default:
      return h("div", {}, elements.map(inline));
  }
}

// src/web/client/blocks.ts
function renderMrkdwn(text, ctx, options2 = {}) {
  const fragment = document.createDocumentFragment();
  for (const node of parseMrkdwn(text, options2)) fragment.appendChild(renderNode(node, ctx));
  return fragment;
}
function renderNode(node, ctx) {
  const children = (nodes) => nodes.map((n) => renderNode(n, ctx));
  switch (node.kind) {
    case "text":
      return document.createTextNode(node.text);
    case "bold":
      return h("strong", {}, children(node.children));
    case "italic":
      return h("em", {}, children(node.children));
    case "strike":
      return h("s", {}, children(node.children));
    case "code":
      return h("code", {}, node.text);
    case "pre":
      return h("pre", {}, node.text);
    case "quote":
      return h("blockquote", {}, children(node.children));
    case "br":
      return h("br");
    case "link":
      return isSafeUrl(node.url) ? h("a", { href: node.url, target: "_blank", rel: "noopener noreferrer" }, node.label) : document.createTextNode(node.label);
    case "user": {
      const user = ctx.users.get(node.id);
      return h("span", { class: "mention" }, `@${user?.name ?? node.label ?? node.id}`);
    }
    case "channel": {
      const channel = ctx.channels.get(node.id);
      return h("span", { class: "mention" }, `#${channel?.name ?? node.label ?? node.id}`);
    }
    case "broadcast":
      return h("span", { class: "mention broadcast" }, `@${node.name}`);
    case "date": {
      const text = formatSlackDate(node.epoch, node.format) || node.fallback;
      const time = h(
        "time",
        { datetime: new Date(node.epoch * 1e3).toISOString(), title: node.fallback },
        text
      );
      return node.url !== void 0 && isSafeUrl(node.url) ? h("a", { href: node.url, target: "_blank", rel: "noopener noreferrer" }, time) : time;
    }
  }
}
function renderText(value, ctx) {
  if (!isObject(value)) return document.createTextNode("");
  const text = str(value, "text");
  if (value["type"] === "mrkdwn") return renderMrkdwn(text, ctx, { verbatim: value["verbatim"] === true });
  return document.createTextNode(plainText(text, value["emoji"] !== false));
}
function textOf2(value) {
  return isObject(value) ? plainText(str(value, "text")) : "";
}
function renderBlocks(blocks, ctx) {
  const container = h("div", { class: "blocks" });
  for (const block of Array.isArray(blocks) ? blocks.filter(isObject) : [])
    container.appendChild(renderBlock(block, ctx));
  return container;
}
function renderBlock(block, ctx) {
  switch (block["type"]) {
    case "header":
      return h("h3", { class: "block-header" }, renderText(block["text"], ctx));
    case "section": {
      const fields = list(block, "fields");
      const accessory = isObject(block["accessory"]) ? renderElement(block["accessory"], ctx) : void 0;
      return h(
        "div",
        { class: `block-section${accessory ? " has-accessory" : ""}` },
        h(
          "div",
          { class: "section-body" },
          block["text"] !== void 0 ? h("div", { class: "section-text" }, renderText(block["text"], ctx)) : void 0,
          fields.length > 0 ? h(
            "div",
            { class: "section-fields" },
            fields.map((f) => h("div", { class: "field" }, renderText(f, ctx)))
          ) : void 0
        ),
        accessory ? h("div", { class: "accessory" }, accessory) : void 0
      );
    }
    case "context":
      return h(
        "div",
        { class: "block-context" },
        list(block, "elements").map(
          (e) => e["type"] === "image" ? image(e, "context-image") : h("span", {}, renderText(e, ctx))
        )
      );
    case "divider":
      return h("hr", { class: "block-divider" });
    case "actions":
      return h(
        "div",
        { class: "block-actions", role: "group", "aria-label": "Actions" },
        list(block, "elements").map((e) => renderElement(e, ctx))
      );
    case "image":
      return h(
        "figure",
        { class: "block-image" },
        block["title"] !== void 0 ? h("figcaption", {}, textOf2(block["title"])) : void 0,
        image(block, "")
      );
    case "rich_text":
      return h(
        "div",
        { class: "block-rich" },
        list(block, "elements").map((e) => richText(e, ctx))
      );
    default:
      return h(
        "div",
        { class: "block-unknown" },
        `[${String(block["type"])} block: not drawn by the emulator page]`
      );
  }
}
function image(element, className) {
  const url = str(element, "image_url");
  const alt = str(element, "alt_text");
  return isSafeUrl(url) ? h("img", { class: className, src: url, alt, loading: "lazy" }) : h("span", {}, alt);
}
function renderElement(element, ctx) {
  if (element["type"] === "image") return image(element, "accessory-image");
  if (element["type"] === "overflow") return renderOverflow(element, ctx);
  if (element["type"] !== "button") {
    return h(
      "span",
      { class: "element-unsupported", title: "The emulator page only sends buttons and overflow menus" },
      textOf2(element["placeholder"]) || `[${String(element["type"])}]`
    );
  }
  const actionId = str(element, "action_id");
  const value = typeof element["value"] === "string" ? element["value"] : void 0;
  const url = str(element, "url");
  const style = str(element, "style");
  const button = h(
    "button",
    { type: "button", class: `btn${style === "" ? "" : ` ${style}`}`, "data-action-id": actionId },
    textOf2(element["text"])
  );
  button.addEventListener("click", () => {
    if (url !== "" && isSafeUrl(url)) window.open(url, "_blank", "noopener");
    if (!ctx.onButton) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    ctx.onButton({ actionId, ...value === void 0 ? {} : { value } }).finally(() => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }).catch(() => void 0);
  });
  return button;
}
var NAMED_COLOURS = { good: "#2EB67D", warning: "#ECB22E", danger: "#E01E5A" };
function renderAttachment(attachment, ctx) {
  const colour = str(attachment, "color");
  const bar = NAMED_COLOURS[colour] ?? (/^#?[0-9a-f]{3,8}$/i.test(colour) ? colour.startsWith("#") ? colour : `#${colour}` : "#dddddd");
  const titleLink = str(attachment, "title_link");
  const title = str(attachment, "title");
  const fields = list(attachment, "fields");
  const footer = str(attachment, "footer");
  const body = h(
    "div",
    { class: "attachment-body" },
    str(attachment, "author_name") !== "" ? h("div", { class: "attachment-author" }, str(attachment, "author_name")) : void 0,
    title !== "" ? h(
      "div",
      { class: "attachment-title" },
      titleLink !== "" && isSafeUrl(titleLink) ? h("a", { href: titleLink, target: "_blank", rel: "noopener noreferrer" }, title) : title
    ) : void 0,
    str(attachment, "text") !== "" ? h("div", { class: "attachment-text" }, renderMrkdwn(str(attachment, "text"), ctx)) : void 0,
    fields.length > 0 ? h(
      "div",
      { class: "section-fields" },
      fields.map(
        (f) => h(
          "div",
          { class: `field${f["short"] === true ? "" : " wide"}` },
          h("strong", {}, str(f, "title")),
          h("div", {}, renderMrkdwn(str(f, "value"), ctx))
        )
      )
    ) : void 0,
    attachment["blocks"] !== void 0 ? renderBlocks(attachment["blocks"], ctx) : void 0,
    footer !== "" ? h("div", { class: "block-context" }, renderMrkdwn(footer, ctx)) : void 0
  );
  const wrapper = h(
    "div",
    { class: "attachment-wrap" },
    str(attachment, "pretext") !== "" ? h("div", { class: "attachment-pretext" }, renderMrkdwn(str(attachment, "pretext"), ctx)) : void 0,
    h("div", { class: "attachment" }, h("div", { class: "attachment-bar", "aria-hidden": "true" }), body)
  );
  wrapper.style.setProperty("--bar", bar);
  return wrapper;
}

// src/web/client/time.ts
function timeOf(ts) {
  return new Date(Number(ts) * 1e3);
}
function hhmm(date) {
  if (Number.isNaN(date.getTime())) return "";
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}
function clock(ts) {
  return hhmm(timeOf(ts));
}
function clockOfIso(iso) {
  return hhmm(new Date(iso));
}

// src/web/client/messages.ts
var AVATAR_COLOURS = ["#E01E5A", "#2EB67D", "#1264A3", "#ECB22E", "#611F69", "#36C5F0"];
function avatar(userId, name, isBot) {
  const sum = [...userId].reduce((n, c) => n + c.charCodeAt(0), 0);
  const element = h(
    "div",
    { class: `avatar${isBot ? " bot" : ""}`, "aria-hidden": "true" },
    isBot ? "🔥" : name.charAt(0).toUpperCase()
  );
  if (!isBot) element.style.background = AVATAR_COLOURS[sum % AVATAR_COLOURS.length] ?? "#1264A3";
  return element;
}
function renderMessage(message, options2) {
  const { ctx, handlers } = options2;
  const isBot = message.bot_id !== void 0 || ctx.users.get(message.user)?.isBot === true;
  const name = isBot ? ctx.botName ?? "app" : ctx.users.get(message.user)?.name ?? message.user;
  const buttons = { ...ctx, onButton: (button) => handlers.click(message.ts, button) };
  const stored = options2.ephemeral ? void 0 : message;
  const hasBlocks = message.blocks.length > 0;
  const replies = stored?.reply_count ?? 0;
  const isParent = stored !== void 0 && (stored.thread_ts === void 0 || stored.thread_ts === stored.ts);
  const time = clock(message.ts);
  const meta = h(
    "div",
    { class: "meta" },
    h("span", { class: "name" }, name),
    isBot ? h("span", { class: "badge" }, "APP") : void 0,
    h("time", { datetime: timeOf(message.ts).toISOString() }, time),
    stored?.edited ? h("span", { class: "edited" }, "(edited)") : void 0
  );
  const body = h(
    "div",
    { class: "msg-body" },
    options2.ephemeral ? h(
      "div",
      { class: "ephemeral-note" },
      h("span", { "aria-hidden": "true" }, "👁 "),
      "Only visible to you",
      h(
        "button",
        { type: "button", class: "link-button", onclick: () => handlers.dismiss(message.ts) },
        "Dismiss"
      )
    ) : void 0,
    meta,
    stored?.subtype === "thread_broadcast" && !options2.inThread ? h("div", { class: "broadcast-note" }, "replied to a thread") : void 0,
    hasBlocks ? renderBlocks(message.blocks, buttons) : h("div", { class: "msg-text" }, renderMrkdwn(message.text, buttons)),
    message.attachments.map((a) => renderAttachment(a, buttons)),
    replies > 0 && isParent && !options2.inThread && handlers.openThread ? h(
      "button",
      { type: "button", class: "thread-summary", onclick: () => handlers.openThread?.(message.ts) },
      `${replies} ${replies === 1 ? "reply" : "replies"}`,
      stored?.latest_reply ? h("span", { class: "thread-last" }, ` · last reply ${clock(stored.latest_reply)}`) : void 0
    ) : void 0
  );
  const reply = isParent && !options2.inThread && handlers.openThread ? h(
    "button",
    {
      type: "button",
      class: "tool",
      title: "Reply in thread",
      "aria-label": `Reply in thread to ${name} at ${time}`,
      onclick: () => handlers.openThread?.(message.ts)
    },
    "💬"
  ) : void 0;
  const tools = h(
    "div",
    { class: "msg-tools" },
    reply,
    stored ? messageMenu(stored.ts, `${name} at ${time}`, handlers) : void 0
  );
  return h(
    "article",
    {
      class: `msg${options2.ephemeral ? " ephemeral" : ""}`,
      "aria-label": `${options2.ephemeral ? "Only visible to you: " : ""}${name} at ${time}`,
      "data-ts": message.ts
    },
    avatar(message.user, name, isBot),
    body,
    tools
  );
}
function messageMenu(ts, label, handlers) {
  const menu = h("details", { class: "overflow msg-menu" });
  const item = (text, run, danger = false) => {
    const button = h(
      "button",
      { type: "button", role: "menuitem", class: `overflow-option${danger ? " danger" : ""}` },
      text
    );
    button.addEventListener("click", () => {
      menu.open = false;
      run().catch(() => void 0);
    });
    return button;
  };
  menu.append(
    h(
      "summary",
      {
        class: "tool",
        role: "button",
        "aria-haspopup": "menu",
        title: "Message actions",
        "aria-label": `Message actions for ${label}`
      },
      "⋮"
    ),
    h(
      "div",
      { class: "overflow-menu", role: "menu" },
      handlers.shortcuts.map((s) => item(s.name, () => handlers.shortcut(ts, s.callbackId))),
      item("Delete message", () => handlers.remove(ts), true)
    )
  );
  return menu;
}

// src/web/client/feedback.ts
var $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element;
};
function toast(text, kind = "info") {
  const item = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : void 0 }, text);
  $("toasts").appendChild(item);
  setTimeout(() => item.remove(), kind === "error" ? 1e4 : 5e3);
}
async function act(run) {
  try {
    const detail = await run();
    if (detail !== void 0) toast(detail);
  } catch (error) {
    toast(error instanceof Error ? error.message : String(error), "error");
    throw error;
  }
}

// src/web/client/inputs.ts
var isObject2 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var str2 = (o, key) => typeof o[key] === "string" ? o[key] : "";
var options = (element) => {
  const direct = Array.isArray(element["options"]) ? element["options"].filter(isObject2) : [];
  const groups = Array.isArray(element["option_groups"]) ? element["option_groups"].filter(isObject2) : [];
  return [
    ...direct.map((o) => ({ value: str2(o, "value"), text: textOf2(o["text"]) })),
    ...groups.flatMap(
      (g) => (Array.isArray(g["options"]) ? g["options"].filter(isObject2) : []).map((o) => ({
        value: str2(o, "value"),
        text: textOf2(o["text"]),
        group: textOf2(g["label"])
      }))
    )
  ];
};
var initialOptionValues = (element) => {
  const one = element["initial_option"];
  const many = element["initial_options"];
  if (isObject2(one)) return [str2(one, "value")];
  return Array.isArray(many) ? many.filter(isObject2).map((o) => str2(o, "value")) : [];
};
function selectFrom(id, choices, selected, multiple, placeholder) {
  const select = h("select", { id, multiple });
  if (!multiple) select.appendChild(h("option", { value: "" }, placeholder || "Choose…"));
  const groups = /* @__PURE__ */ new Map();
  for (const choice of choices) {
    const option = h(
      "option",
      { value: choice.value, selected: selected.includes(choice.value) },
      choice.text
    );
    if (choice.group === void 0) select.appendChild(option);
    else {
      let group = groups.get(choice.group);
      if (!group) {
        group = h("optgroup", { label: choice.group });
        groups.set(choice.group, group);
        select.appendChild(group);
      }
      group.appendChild(option);
    }
  }
  return select;
}
function inputField(block, element, ctx) {
  const blockId = str2(block, "block_id");
  const actionId = str2(element, "action_id");
  const id = `in-${blockId}-${actionId}`;
  const type = str2(element, "type");
  const placeholder = textOf2(element["placeholder"]);
  const people = [...ctx.users.values()].filter((u) => !u.isBot).map((u) => ({ value: u.id, text: `${u.realName} (@${u.name})` }));
  const rooms = [...ctx.channels.values()].map((c) => ({ value: c.id, text: `#${c.name}` }));
  let control;
  let read;
  const single = (s) => () => s.value === "" ? null : s.value;
  const multi = (s) => () => Array.from(s.selectedOptions).map((o) => o.value);
  switch (type) {
    case "plain_text_input":
    case "number_input":
    case "email_text_input":
    case "url_text_input":
    case "datepicker":
    case "timepicker": {
      const initial = str2(
        element,
        type === "datepicker" ? "initial_date" : type === "timepicker" ? "initial_time" : "initial_value"
      );
      const inputTypes = {
        number_input: "number",
        email_text_input: "email",
        url_text_input: "url",
        datepicker: "date",
        timepicker: "time"
      };
      const inputType = inputTypes[type] ?? "text";
      const attrs = {
        id,
        placeholder,
        maxlength: typeof element["max_length"] === "number" ? element["max_length"] : void 0
      };
      const field = element["multiline"] === true ? h("textarea", { ...attrs, rows: 4 }, initial) : h("input", { ...attrs, type: inputType, value: initial });
      control = field;
      read = () => field.value.trim() === "" ? null : field.value;
      break;
    }
    case "datetimepicker": {
      const initial = element["initial_date_time"];
      const local = (seconds) => {
        const d = new Date(seconds * 1e3);
        const pad = (n) => String(n).padStart(2, "0");
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      };
      const field = h("input", {
        id,
        type: "datetime-local",
        value: typeof initial === "number" ? local(initial) : ""
      });
      control = field;
      read = () => {
        const ms = field.value === "" ? NaN : new Date(field.value).getTime();
        return Number.isNaN(ms) ? null : String(Math.floor(ms / 1e3));
      };
      break;
    }
    case "static_select":
    case "external_select":
    case "users_select":
    case "conversations_select":
    case "channels_select": {
      const choices = type === "users_select" ? people : type.endsWith("_select") && type !== "static_select" && type !== "external_select" ? rooms : options(element);
      const initial = type === "users_select" ? [str2(element, "initial_user")] : type === "static_select" || type === "external_select" ? initialOptionValues(element) : [str2(element, "initial_conversation") || str2(element, "initial_channel")];
      const select = selectFrom(id, choices, initial, false, placeholder);
      control = select;
      read = single(select);
      break;
    }
    case "multi_static_select":
    case "multi_users_select":
    case "multi_conversations_select":
    case "multi_channels_select": {
      const choices = type === "multi_users_select" ? people : type === "multi_static_select" ? options(element) : rooms;
      const initial = type === "multi_static_select" ? initialOptionValues(element) : element[type === "multi_users_select" ? "initial_users" : "initial_conversations"] ?? [];
      const select = selectFrom(id, choices, initial, true, placeholder);
      control = select;
      read = multi(select);
      break;
    }
    case "checkboxes":
    case "radio_buttons": {
      const initial = initialOptionValues(element);
      const inputs = options(element).map(
        (o, i) => h("input", {
          type: type === "checkboxes" ? "checkbox" : "radio",
          name: id,
          value: o.value,
          id: `${id}-${i}`,
          checked: initial.includes(o.value)
        })
      );
      control = h(
        "div",
        { class: "choices", id, role: type === "checkboxes" ? "group" : "radiogroup" },
        options(element).map(
          (o, i) => h("label", { class: "choice", for: `${id}-${i}` }, inputs[i], ` ${o.text}`)
        )
      );
      read = () => {
        const checked = inputs.filter((i) => i.checked).map((i) => i.value);
        return type === "checkboxes" ? checked : checked[0] ?? null;
      };
      break;
    }
    default:
      control = h(
        "p",
        { id, class: "element-unsupported" },
        `[${type} input: not supported by the emulator page]`
      );
      read = () => null;
  }
  return {
    actionId,
    blockId,
    optional: block["optional"] === true,
    read,
    control,
    error: h("p", { class: "field-error", id: `${id}-error` })
  };
}

// src/web/client/modal.ts
var isObject3 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function createModalHost(handlers) {
  const dialog = h("dialog", { class: "modal", "aria-labelledby": "modal-title" });
  let current;
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (current) void handlers.close(current.id).catch(() => void 0);
  });
  const showErrors = (fields, errors) => {
    for (const field of fields) {
      const message = errors[field.blockId] ?? "";
      field.error.textContent = message;
      field.control.setAttribute("aria-invalid", message === "" ? "false" : "true");
    }
    fields.find((f) => (errors[f.blockId] ?? "") !== "")?.control.focus();
  };
  const build = (view2, ctx) => {
    const d = view2.definition;
    const fields = [];
    const viewCtx = { ...ctx, onButton: (button) => handlers.click(view2.id, button) };
    const blocks = (Array.isArray(d["blocks"]) ? d["blocks"] : []).filter(isObject3).map((block) => {
      if (block["type"] !== "input" || !isObject3(block["element"])) return renderBlock(block, viewCtx);
      const field = inputField(block, block["element"], ctx);
      fields.push(field);
      const clear = () => {
        field.error.textContent = "";
        field.control.setAttribute("aria-invalid", "false");
      };
      field.control.addEventListener("input", clear);
      field.control.addEventListener("change", clear);
      field.control.setAttribute("aria-describedby", field.error.id);
      return h(
        "div",
        { class: "input-block" },
        h(
          "label",
          { for: field.control.id, class: "input-label" },
          textOf2(block["label"]),
          field.optional ? h("span", { class: "optional" }, " (optional)") : void 0
        ),
        field.control,
        block["hint"] !== void 0 ? h("p", { class: "hint" }, textOf2(block["hint"])) : void 0,
        field.error
      );
    });
    const submitLabel = textOf2(d["submit"]);
    const form = h(
      "form",
      { method: "dialog", novalidate: true },
      h(
        "header",
        { class: "modal-head" },
        h("h2", { id: "modal-title" }, textOf2(d["title"])),
        view2.depth > 0 ? h("span", { class: "hint" }, `${view2.depth + 1} modals deep`) : void 0
      ),
      h("div", { class: "modal-body" }, blocks),
      h(
        "footer",
        { class: "modal-foot" },
        h(
          "button",
          {
            type: "button",
            class: "btn",
            onclick: () => void handlers.close(view2.id).catch(() => void 0)
          },
          textOf2(d["close"]) || "Cancel"
        ),
        submitLabel !== "" ? h("button", { type: "submit", class: "btn primary" }, submitLabel) : void 0
      )
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const missing = Object.fromEntries(
        fields.filter((f) => !f.optional && [null, ""].includes(f.read())).map((f) => [f.blockId, "Please complete this required field."])
      );
      const empty = fields.filter(
        (f) => !f.optional && Array.isArray(f.read()) && f.read().length === 0
      );
      for (const f of empty) missing[f.blockId] = "Please complete this required field.";
      if (Object.keys(missing).length > 0) return showErrors(fields, missing);
      const submit = form.querySelector("button[type=submit]");
      if (submit) submit.disabled = true;
      handlers.submit(view2.id, Object.fromEntries(fields.map((f) => [f.actionId, f.read()]))).catch(() => void 0).finally(() => {
        if (submit) submit.disabled = false;
      });
    });
    dialog.replaceChildren(form);
    return fields;
  };
  return {
    element: dialog,
    update(view2, ctx) {
      if (!view2) {
        current = void 0;
        if (dialog.open) dialog.close();
        return;
      }
      const signature = hash(JSON.stringify(view2.definition));
      if (!current || current.id !== view2.id || current.signature !== signature) {
        current = { id: view2.id, signature, fields: build(view2, ctx), errors: "{}" };
        if (!dialog.open) dialog.showModal();
        current.fields[0]?.control.focus();
      }
      const errors = JSON.stringify(view2.errors ?? {});
      if (view2.errors && errors !== current.errors) showErrors(current.fields, view2.errors);
      current.errors = errors;
    }
  };
}

// src/web/client/phone.ts
var STATUS = {
  ringing: "Ringing…",
  accepted: "Accepted (pressed 1)",
  declined: "Declined (pressed 2)",
  no_answer: "No answer",
  failed: "Call failed"
};
function callCard(call, answer, nameOf) {
  const callee = call.callee === void 0 ? void 0 : nameOf(call.callee);
  const ringing = call.status === "ringing";
  const press = (a) => (event) => {
    const buttons = event.currentTarget.parentElement?.querySelectorAll("button") ?? [];
    for (const b of Array.from(buttons)) b.disabled = true;
    answer(call.id, a).catch(() => {
      for (const b of Array.from(buttons)) b.disabled = false;
    });
  };
  return h(
    "li",
    { class: `call ${call.status}`, "aria-label": `Call to ${callee ?? call.to}: ${STATUS[call.status]}` },
    h(
      "div",
      { class: "call-head" },
      h("span", { class: "call-icon", "aria-hidden": "true" }, ringing ? "📳" : "📞"),
      h(
        "span",
        { class: "call-to" },
        callee === void 0 ? void 0 : h("span", {}, callee),
        h("span", { class: "call-number" }, call.to)
      ),
      h("time", { datetime: call.placedAt }, clockOfIso(call.placedAt))
    ),
    call.subject !== void 0 ? h("div", { class: "call-subject" }, call.subject) : void 0,
    h("blockquote", { class: "call-message" }, call.message),
    h("div", { class: "call-status" }, STATUS[call.status]),
    ringing ? h(
      "div",
      { class: "call-actions", role: "group", "aria-label": "Answer the call" },
      h("button", { type: "button", class: "btn primary", onclick: press("accept") }, "Accept (1)"),
      h("button", { type: "button", class: "btn danger", onclick: press("decline") }, "Decline (2)"),
      h("button", { type: "button", class: "btn", onclick: press("no_answer") }, "No answer")
    ) : void 0
  );
}
function renderPhone(container, phone, answer, nameOf = (id) => id) {
  const ringing = phone.calls.some((c) => c.status === "ringing");
  container.hidden = false;
  container.classList.toggle("ringing", ringing);
  const title = container.querySelector("h2");
  if (title && title.textContent !== phone.title) title.textContent = phone.title;
  let list2 = container.querySelector("ul.calls");
  let note = container.querySelector("p.phone-note");
  if (!list2) {
    note = h("p", { class: "phone-note" });
    list2 = h("ul", { class: "calls" });
    container.append(note, list2);
  }
  if (note) {
    note.textContent = !phone.available ? phone.reason ?? "No phone." : phone.calls.length === 0 ? phone.idleNote : "";
  }
  reconcile(
    list2,
    phone.calls.map((call) => ({
      key: call.id,
      signature: hash(JSON.stringify(call)),
      render: () => callCard(call, answer, nameOf)
    }))
  );
}

// src/web/client/sidebar.ts
var usersKey = "";
function renderUsers(select, users, current) {
  const people = users.filter((u) => !u.isBot);
  const key = JSON.stringify(people);
  if (key !== usersKey) {
    usersKey = key;
    select.replaceChildren(...people.map((u) => h("option", { value: u.id }, `${u.realName} (@${u.name})`)));
  }
  select.value = current;
}
function renderChannels(list2, channels, current, open) {
  reconcile(
    list2,
    channels.map((c) => ({
      key: c.id,
      signature: `${c.name}${c.id === current}`,
      render: () => h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "side-item",
            "aria-current": c.id === current ? "page" : "false",
            onclick: () => open(c.id)
          },
          c.isIm ? "✉ " : "# ",
          c.name
        )
      )
    }))
  );
}

// src/web/client/chrome.ts
function menuElement() {
  const menu = document.querySelector("details.menu");
  if (!menu) throw new Error("details.menu is missing from index.html");
  return menu;
}
var homeTitle = (app) => `${app.name} · Home`;
function pageTitle(app, ringing) {
  return `${ringing ? "📳 " : ""}${app.name} · local Slack`;
}
var appKey = "";
function renderApp(app, botName) {
  const key = JSON.stringify([app, botName]);
  if (key === appKey) return;
  appKey = key;
  $("brand-icon").textContent = app.icon;
  $("brand-name").textContent = app.name;
  $("home-button").textContent = `${app.icon} ${homeTitle(app)}`;
  $("thread-input").placeholder = app.threadHint ?? "Reply…";
  $("commands").replaceChildren(...app.commandHints.map((value) => h("option", { value })));
  const commands = app.commands.flatMap((command) => [h("kbd", {}, command), " "]);
  $("composer-hint").replaceChildren(
    ...commands.length > 0 ? [...commands, "run as the person chosen above · "] : [],
    h("kbd", {}, `@${botName}`),
    " mentions the bot"
  );
}
var menuKey = "";
function renderMenu(menu, run) {
  const element = menuElement();
  const key = JSON.stringify(menu ?? null);
  if (key === menuKey) return;
  menuKey = key;
  element.hidden = menu === void 0;
  if (!menu) return;
  element.id = menu.id;
  const summary = element.querySelector("summary");
  if (summary) summary.textContent = menu.label;
  const list2 = element.querySelector(".menu-list");
  list2?.setAttribute("aria-label", menu.label);
  list2?.replaceChildren(
    ...menu.items.map(
      (item) => h(
        "button",
        {
          type: "button",
          class: "menu-item",
          "data-item": item.id,
          onclick: () => {
            element.open = false;
            run(item.id);
          }
        },
        h("strong", {}, item.label),
        h("span", { class: "muted" }, item.description)
      )
    )
  );
}
function wireMenus() {
  const menu = menuElement();
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
    for (const open of document.querySelectorAll("details.overflow[open]")) {
      if (!open.contains(event.target)) open.open = false;
    }
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !menu.open) return;
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });
}

// src/web/client/main.ts
var USER_KEY = "slack-emulator.user";
var view = {
  state: void 0,
  user: localStorage.getItem(USER_KEY) ?? "",
  channel: void 0,
  home: false,
  thread: void 0,
  dismissed: /* @__PURE__ */ new Set(),
  ringing: /* @__PURE__ */ new Set()
};
function context(state) {
  return {
    users: new Map(state.users.map((u) => [u.id, u])),
    channels: new Map(state.channels.map((c) => [c.id, c])),
    botName: state.bot.name
  };
}
var modal = createModalHost({
  submit: (viewId, values) => act(() => post("submit", { user: view.user, viewId, values })),
  close: (viewId) => act(() => post("close", { user: view.user, viewId })),
  click: (viewId, b) => act(() => post("click", { user: view.user, viewId, ...b }))
});
document.body.appendChild(modal.element);
function messageItems(state, channel, messages, inThread) {
  const ctx = context(state);
  return messages.map((message) => {
    const ephemeral = !("team" in message);
    return {
      key: `${ephemeral ? "e" : "m"}${message.ts}`,
      signature: hash(JSON.stringify([message, inThread, state.users.length, state.shortcuts])),
      render: () => renderMessage(message, {
        ephemeral,
        inThread,
        ctx,
        handlers: {
          ...inThread ? {} : { openThread: (ts) => openThread(ts) },
          click: (messageTs, b) => act(() => post("click", { user: view.user, channel, messageTs, ...b })),
          dismiss: (ts) => {
            view.dismissed.add(ts);
            render();
          },
          shortcuts: state.shortcuts,
          shortcut: (messageTs, callbackId) => act(() => post("shortcut", { user: view.user, channel, messageTs, callbackId })),
          remove: (messageTs) => act(() => post("delete", { user: view.user, channel, messageTs }))
        }
      })
    };
  });
}
var byTs = (a, b) => Number(a.ts) - Number(b.ts);
function render() {
  const state = view.state;
  if (!state) return;
  const channel = state.channels.find((c) => c.id === view.channel) ?? state.channels.find((c) => c.id === state.defaultChannel);
  view.channel = channel?.id;
  renderUsers($("user-select"), state.users, state.user);
  renderChannels($("channel-list"), state.channels, view.home ? void 0 : view.channel, (id) => {
    view.channel = id;
    view.home = false;
    view.thread = void 0;
    render();
  });
  renderApp(state.app, state.bot.name);
  const title = view.home ? homeTitle(state.app) : `${channel?.isIm ? "" : "#"}${channel?.name ?? ""}`;
  $("channel-title").textContent = title;
  $("channel-purpose").textContent = view.home ? "The app’s Home tab, as you see it" : "";
  $("composer-label").textContent = `Message ${title}`;
  const help = state.app.helpCommand === void 0 ? "" : `, or ${state.app.helpCommand}`;
  $("composer-input").placeholder = `Message ${title}${help}`;
  $("composer").hidden = view.home;
  $("messages").hidden = view.home;
  $("home-view").hidden = !view.home;
  $("home-button").setAttribute("aria-current", view.home ? "page" : "false");
  const ctx = context(state);
  const mine = state.ephemerals.filter((e) => !view.dismissed.has(e.ts));
  if (view.home) {
    const home = state.home;
    reconcile(
      $("home-view"),
      home ? [
        {
          key: home.id,
          signature: hash(JSON.stringify(home.definition)),
          render: () => renderBlocks(home.definition["blocks"], {
            ...ctx,
            onButton: (b) => act(() => post("click", { user: view.user, viewId: home.id, ...b }))
          })
        }
      ] : [{ key: "opening", signature: "", render: () => h("p", { class: "muted" }, "Opening Home…") }]
    );
  } else if (channel) {
    const shown = (state.messages[channel.id] ?? []).filter(
      (m) => m.thread_ts === void 0 || m.thread_ts === m.ts || m.subtype === "thread_broadcast"
    );
    const ephemerals = mine.filter((e) => e.channel === channel.id && e.thread_ts === void 0);
    keepAtBottom(
      $("channel-scroller"),
      () => reconcile($("messages"), messageItems(state, channel.id, [...shown, ...ephemerals].sort(byTs), false))
    );
  }
  renderThread(state, channel?.id, mine);
  modal.update(state.modal, ctx);
  const nameOf = (id) => ctx.users.get(id)?.realName ?? id;
  if (state.phone) {
    renderPhone(
      $("phone"),
      state.phone,
      (callId, answer) => act(() => post("phone", { callId, answer })),
      nameOf
    );
  }
  const ringing = state.phone?.calls.filter((c) => c.status === "ringing") ?? [];
  $("phone").classList.toggle("ringing", ringing.length > 0);
  document.title = pageTitle(state.app, ringing.length > 0);
  if (ringing.some((c) => !view.ringing.has(c.id))) {
    $("phone").querySelector("li.call.ringing")?.scrollIntoView({ block: "nearest" });
  }
  view.ringing = new Set(ringing.map((c) => c.id));
  renderMenu(state.menu, (id) => {
    void act(() => post("menu", { id })).catch(() => void 0);
  });
}
function renderThread(state, channel, mine) {
  const all = channel === void 0 ? [] : state.messages[channel] ?? [];
  const parent = all.find((m) => m.ts === view.thread);
  $("thread").hidden = parent === void 0 || view.home;
  if (!parent || channel === void 0) {
    reconcile($("thread-messages"), []);
    return;
  }
  const replies = all.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
  const ephemerals = mine.filter((e) => e.channel === channel && e.thread_ts === parent.ts);
  keepAtBottom(
    $("thread-scroller"),
    () => reconcile(
      $("thread-messages"),
      messageItems(state, channel, [parent, ...[...replies, ...ephemerals].sort(byTs)], true)
    )
  );
}
function openThread(ts) {
  view.thread = ts;
  render();
  $("thread-input").focus();
}
var pending;
var connected = false;
function showConnection() {
  const live = connected && view.state !== void 0;
  const badge = $("connection");
  badge.textContent = live ? "live" : connected ? "loading…" : "reconnecting…";
  badge.classList.toggle("offline", !live);
}
function refreshSoon() {
  pending ??= setTimeout(() => {
    pending = void 0;
    fetchState(view.user).then((state) => {
      view.state = state;
      view.user = state.user;
      render();
      showConnection();
    }).catch((error) => toast(`Could not load the workspace: ${String(error)}`, "error"));
  }, 30);
}
function wireComposer(form, input, threadTs) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const channel = view.channel;
    if (text === "" || channel === void 0) return;
    const thread = threadTs();
    const body = { user: view.user, channel, text, ...thread === void 0 ? {} : { threadTs: thread } };
    input.disabled = true;
    act(() => post(text.startsWith("/") ? "command" : "message", body)).then(() => {
      input.value = "";
    }).catch(() => void 0).finally(() => {
      input.disabled = false;
      input.focus();
    });
  });
}
function openLinkedThread() {
  const link = new URLSearchParams(location.hash.slice(1));
  const channel = link.get("channel");
  if (channel === null) return;
  view.channel = channel;
  view.home = false;
  view.thread = link.get("thread_ts") ?? link.get("ts") ?? void 0;
}
function start() {
  openLinkedThread();
  window.addEventListener("hashchange", () => {
    openLinkedThread();
    render();
  });
  wireComposer($("composer"), $("composer-input"), () => void 0);
  wireComposer($("thread-composer"), $("thread-input"), () => view.thread);
  wireMenus();
  $("thread-close").addEventListener("click", () => {
    view.thread = void 0;
    render();
  });
  $("thread").addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    view.thread = void 0;
    render();
    $("composer-input").focus();
  });
  $("user-select").addEventListener("change", (event) => {
    view.user = event.target.value;
    localStorage.setItem(USER_KEY, view.user);
    view.dismissed.clear();
    if (view.home) void act(() => post("home", { user: view.user })).catch(() => void 0);
    refreshSoon();
  });
  $("home-button").addEventListener("click", () => {
    view.home = true;
    view.thread = void 0;
    render();
    void act(() => post("home", { user: view.user })).catch(() => void 0);
  });
  subscribe(refreshSoon, (open) => {
    connected = open;
    showConnection();
  });
}
start();
