/*
 * Kuntoutusopas chat widget. Embed on any page with one tag:
 *
 *   <script src="https://GATEWAY/static/widget.js" defer
 *           data-container="#chat"                    (optional: where to render; default: right after this tag)
 *           data-privacy-url="https://city/privacy"   (optional: link to the privacy statement)
 *           data-heading-level="2"></script>          (optional: level of the widget's heading)
 *
 * It talks to the gateway it was loaded from, takes the page language from <html lang>
 * (or data-lang) and sends it with each message. No dependencies, no inline styles, and
 * every text from the bot or the resident is inserted as text (never as HTML); links and
 * phone numbers become <a> elements built node by node.
 *
 * The session token and the visible transcript are kept in sessionStorage: they survive
 * reloads in the same tab and are gone when the tab closes or "End and delete" is used.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  var BASE = new URL(script.src, window.location.href).origin;
  var STORE_KEY = "ko-chat:" + BASE;
  var MAX_STORED = 200;
  var REQUEST_TIMEOUT_MS = 40000;

  var TEXT = {
    fi: {
      region: "Neuvontabotti", title: "Neuvontabotti", sub: "Vastaukset antaa automaattinen botti, ei ihminen.",
      bot: "Botti", you: "Sinä", notice: "Ilmoitus", log: "Keskustelu",
      label: "Kirjoita viestisi", send: "Lähetä", human: "Puhu ihmisen kanssa", forget: "Lopeta ja poista keskustelu",
      choices: "Vastausvaihtoehdot", typing: "Botti kirjoittaa…", newWindow: "(avautuu uuteen ikkunaan)",
      privacyTitle: "Ennen kuin aloitat:",
      privacy: "Älä kirjoita henkilötunnustasi, yhteystietojasi tai tarkkoja terveystietojasi. Keskustelu " +
        "tallennetaan palvelimelle, jotta se voi jatkua, ja poistetaan automaattisesti {days}. Voit poistaa sen " +
        "heti painikkeella ”Lopeta ja poista keskustelu”.",
      days: "{n} päivän kuluttua", daysUnknown: "määräajan jälkeen", privacyLink: "Tietosuojaseloste",
      offline: "Yhteys neuvontabottiin ei toimi juuri nyt. Tarkista verkkoyhteys ja yritä hetken päästä uudelleen.",
      deletedLocal: "Keskustelu poistettiin tästä selaimesta. Palvelimelle ei juuri nyt saatu yhteyttä, joten siellä " +
        "keskustelu poistuu automaattisesti {days}.",
      deletedNothing: "Keskustelua ei ole. Tästä selaimesta ei ole tallennettu mitään."
    },
    sv: {
      region: "Rådgivningsbot", title: "Rådgivningsbot", sub: "Svaren ges av en automatisk bot, inte av en människa.",
      bot: "Bot", you: "Du", notice: "Meddelande", log: "Samtal",
      label: "Skriv ditt meddelande", send: "Skicka", human: "Tala med en människa", forget: "Avsluta och radera samtalet",
      choices: "Svarsalternativ", typing: "Boten skriver…", newWindow: "(öppnas i ett nytt fönster)",
      privacyTitle: "Innan du börjar:",
      privacy: "Skriv inte din personbeteckning, dina kontaktuppgifter eller detaljerade hälsouppgifter. Samtalet " +
        "sparas på servern så att det kan fortsätta, och raderas automatiskt {days}. Du kan radera det genast med " +
        "knappen ”Avsluta och radera samtalet”.",
      days: "efter {n} dagar", daysUnknown: "efter en viss tid", privacyLink: "Dataskyddsbeskrivning",
      offline: "Förbindelsen till rådgivningsboten fungerar inte just nu. Kontrollera nätverket och försök igen om en stund.",
      deletedLocal: "Samtalet raderades från den här webbläsaren. Servern kunde inte nås just nu, så där raderas " +
        "samtalet automatiskt {days}.",
      deletedNothing: "Det finns inget samtal. Ingenting har sparats i den här webbläsaren."
    },
    en: {
      region: "Guidance bot", title: "Guidance bot", sub: "Answers come from an automated bot, not a person.",
      bot: "Bot", you: "You", notice: "Notice", log: "Conversation",
      label: "Type your message", send: "Send", human: "Talk to a person", forget: "End and delete the conversation",
      choices: "Reply options", typing: "The bot is typing…", newWindow: "(opens in a new window)",
      privacyTitle: "Before you start:",
      privacy: "Do not type your personal identity code, contact details or detailed health information. The " +
        "conversation is stored on the server so that it can continue, and deleted automatically {days}. You can " +
        "delete it at once with the button “End and delete the conversation”.",
      days: "after {n} days", daysUnknown: "after a set time", privacyLink: "Privacy statement",
      offline: "The connection to the guidance bot is not working right now. Check your network and try again in a moment.",
      deletedLocal: "The conversation was deleted from this browser. The server could not be reached just now, so " +
        "there it is deleted automatically {days}.",
      deletedNothing: "There is no conversation. Nothing has been stored in this browser."
    }
  };

  function languageOf(tag) {
    var code = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return TEXT[code] ? code : null;
  }

  var PAGE_LANG = languageOf(script.getAttribute("data-lang")) || languageOf(document.documentElement.lang) || "fi";
  var T = TEXT[PAGE_LANG];
  var retentionDays = null;
  var uid = 0;

  function nextId(name) { uid += 1; return "ko-" + name + "-" + uid; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key] !== undefined ? values[key] : ""; });
  }

  function daysText() {
    return retentionDays ? fill(T.days, { n: retentionDays }) : T.daysUnknown;
  }

  // ---------------------------------------------------------------- state (sessionStorage)

  // session: the gateway's token; lang: the conversation's language after the last turn.
  function emptyState() { return { session: null, lang: null, started: false, items: [] }; }

  function loadState() {
    try {
      var raw = window.sessionStorage.getItem(STORE_KEY);
      var data = raw ? JSON.parse(raw) : null;
      if (data && Array.isArray(data.items)) return data;
    } catch (e) { /* storage disabled or corrupt: start fresh */ }
    return emptyState();
  }

  function saveState() {
    try {
      state.items = state.items.slice(-MAX_STORED);
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) { /* private mode or full: the conversation still works in this page */ }
  }

  function clearState() {
    try { window.sessionStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
    state = emptyState();
  }

  var state = loadState();

  // ---------------------------------------------------------------- text -> safe DOM

  // URLs, e-mail addresses and Finnish phone numbers (0295 020 701, 09 310 12345, +358 ...).
  var LINKABLE = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|((?:\+358|\b0)\d{1,3}(?:[ -]?\d{2,4}){1,4}\b)/g;

  function link(href, label, external) {
    var a = el("a", "ko-link", label);
    a.href = href;
    if (external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(el("span", "ko-vh", " " + T.newWindow));
    }
    return a;
  }

  // A long address is shown short ("hel.fi/…/socialjour") so that it does not fill a phone
  // screen; the link itself goes to the whole address.
  function shortLabel(url, found) {
    if (found.length <= 40) return found;
    var host = url.hostname.replace(/^www\./, "");
    var parts = url.pathname.split("/").filter(function (p) { return p; });
    if (!parts.length) return host;
    var lastPart = parts[parts.length - 1];
    try { lastPart = decodeURIComponent(lastPart); } catch (e) { /* keep it encoded */ }
    return host + (parts.length > 1 ? "/…/" : "/") + (lastPart.length > 30 ? lastPart.slice(0, 29) + "…" : lastPart);
  }

  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    LINKABLE.lastIndex = 0;
    while ((match = LINKABLE.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var found = match[0];
      var node = null;
      if (match[1]) {
        try {
          var url = new URL(found);
          if (url.protocol === "https:" || url.protocol === "http:") node = link(url.href, shortLabel(url, found), true);
        } catch (e) { node = null; }
      } else if (match[2]) {
        node = link("mailto:" + found, found, false);
      } else {
        node = link("tel:" + found.replace(/[\s-]/g, ""), found, false);
      }
      parent.appendChild(node || document.createTextNode(found));
      last = match.index + found.length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---------------------------------------------------------------- widget

  function build(container) {
    var headingLevel = Math.min(6, Math.max(2, parseInt(script.getAttribute("data-heading-level"), 10) || 2));
    var titleId = nextId("title");
    var inputId = nextId("input");

    var root = el("section", "ko-chat");
    root.setAttribute("aria-labelledby", titleId);
    root.lang = PAGE_LANG;

    var head = el("div", "ko-head");
    var title = el("h" + headingLevel, "ko-title", T.title);
    title.id = titleId;
    head.append(title, el("p", "ko-sub", T.sub));

    var privacy = el("div", "ko-privacy");
    var privacyText = el("p");
    privacy.appendChild(privacyText);
    var privacyUrl = script.getAttribute("data-privacy-url");
    if (privacyUrl && /^https?:\/\//.test(privacyUrl)) {
      var p = el("p");
      p.appendChild(link(privacyUrl, T.privacyLink, true));
      privacy.appendChild(p);
    }
    function renderPrivacy() {
      privacyText.textContent = "";
      privacyText.append(el("strong", null, T.privacyTitle), " " + fill(T.privacy, { days: daysText() }));
      privacy.hidden = state.started;
    }

    var log = el("div", "ko-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", T.log);
    log.tabIndex = 0; // scrollable: keyboard users must be able to scroll it

    var status = el("p", "ko-status");
    status.setAttribute("role", "status");

    var form = el("form", "ko-form");
    form.noValidate = true;
    var label = el("label", "ko-label", T.label);
    label.htmlFor = inputId;
    var row = el("div", "ko-row");
    var input = el("input", "ko-input");
    input.id = inputId;
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = 2000;
    var sendButton = el("button", "ko-send", T.send);
    sendButton.type = "submit";
    row.append(input, sendButton);
    form.append(label, row);

    var actions = el("div", "ko-actions");
    var humanButton = el("button", "ko-secondary ko-human", T.human);
    humanButton.type = "button";
    var forgetButton = el("button", "ko-secondary ko-forget", T.forget);
    forgetButton.type = "button";
    actions.append(humanButton, forgetButton);

    root.append(head, privacy, log, status, form, actions);

    var pending = false;
    // Feedback questions whose buttons still work: one answer each, and only until the
    // next message is sent (answered or superseded, they are disabled).
    var openFeedback = [];

    function isFeedback(buttons) {
      return buttons.every(function (b) { return /^\/feedback(\{|$)/.test(String(b.payload || "")); });
    }

    function closeFeedback() {
      openFeedback.forEach(function (open) {
        open.item.closed = true;
        Array.prototype.forEach.call(open.group.querySelectorAll("button"), function (button, index) {
          button.setAttribute("aria-pressed", open.item.chosen === index ? "true" : "false");
          button.disabled = true;
        });
      });
      openFeedback = [];
    }

    function who(kind) { return kind === "user" ? T.you : kind === "bot" ? T.bot : T.notice; }

    function renderItem(item) {
      var box = el("div", "ko-msg ko-msg--" + item.who);
      if (item.lang && item.lang !== PAGE_LANG && languageOf(item.lang)) box.lang = item.lang;
      var speaker = el("span", "ko-who", who(item.who));
      speaker.lang = PAGE_LANG;
      speaker.appendChild(el("span", "ko-vh", ":"));
      box.appendChild(speaker);
      var body = el("div", "ko-text");
      if (item.who === "user") body.textContent = item.text || "";
      else appendLinkified(body, item.text || "");
      box.appendChild(body);
      if (item.buttons && item.buttons.length) {
        var feedback = isFeedback(item.buttons);
        var group = el("div", feedback ? "ko-buttons ko-feedback" : "ko-buttons");
        group.setAttribute("role", "group");
        if (feedback) {
          // "Was this helpful?": the question is the group's visible label.
          body.id = nextId("feedback");
          group.setAttribute("aria-labelledby", body.id);
        } else {
          group.setAttribute("aria-label", T.choices);
        }
        item.buttons.forEach(function (b, index) {
          var button = el("button", "ko-secondary ko-choice", b.title);
          button.type = "button";
          if (feedback) {
            button.setAttribute("aria-pressed", item.chosen === index ? "true" : "false");
            button.disabled = item.closed === true;
            button.addEventListener("click", function () {
              if (pending || item.closed) return;
              item.chosen = index;
              send(b.payload, b.title);
            });
          } else {
            button.addEventListener("click", function () { send(b.payload, b.title); });
          }
          group.appendChild(button);
        });
        if (feedback && !item.closed) openFeedback.push({ item: item, group: group });
        box.appendChild(group);
      }
      log.appendChild(box);
      return box;
    }

    function add(item, persist) {
      var box = renderItem(item);
      if (persist !== false) { state.items.push(item); saveState(); }
      log.scrollTop = log.scrollHeight;
      return box;
    }

    function setBusy(busy) {
      pending = busy;
      log.setAttribute("aria-busy", busy ? "true" : "false");
      status.textContent = busy ? T.typing : "";
      status.classList.toggle("ko-status--busy", busy);
    }

    function forgetLocally() {
      openFeedback = [];
      clearState();
      log.textContent = "";
      renderPrivacy();
    }

    function post(message) {
      var controller = window.AbortController ? new AbortController() : null;
      var timer = controller ? window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
      // The widget shows its own privacy notice before the first message, so the bot need not repeat it.
      var body = { message: message, language: PAGE_LANG, metadata: { privacy_notice: "shown" } };
      if (state.session) body.session = state.session;
      return window.fetch(BASE + "/api/chat", {
        method: "POST",
        credentials: "omit", // the session token travels in the body, so it also works cross-origin
        // the gateway's own messages in a running conversation follow its language
        headers: { "Content-Type": "application/json", "Accept-Language": state.lang || PAGE_LANG },
        body: JSON.stringify(body),
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          return { ok: response.ok, data: data || {} };
        });
      }).finally(function () { if (timer) window.clearTimeout(timer); });
    }

    function deletedWithoutServer() {
      forgetLocally();
      add({ who: "notice", text: fill(T.deletedLocal, { days: daysText() }) }, false);
    }

    function send(message, shown) {
      if (pending) return;
      var forgetting = message === "/forget_me";
      if (forgetting && !state.session) {
        forgetLocally();
        add({ who: "notice", text: T.deletedNothing }, false);
        return;
      }
      setBusy(true);
      closeFeedback();
      state.started = true;
      privacy.hidden = true;
      var userItem = { who: "user", text: shown };
      var userBox = add(userItem);
      post(message).then(function (result) {
        var data = result.data;
        if (forgetting && !result.ok) { deletedWithoutServer(); return; }
        if (!result.ok) {
          if (Object.prototype.hasOwnProperty.call(data, "session")) state.session = data.session || null;
          add({ who: "notice", text: data.detail || T.offline });
          return;
        }
        var messages = Array.isArray(data.messages) ? data.messages : [];
        var forgotten = messages.some(function (m) { return m.custom && m.custom.forget_me === true; });
        var turnLang = languageOf(data.language);
        if (forgotten) {
          // The gateway cannot read the language of a deleted conversation; a command
          // such as /forget_me does not change it, so it is the previous turn's.
          turnLang = turnLang || languageOf(state.lang);
          forgetLocally(); // the bot's confirmation is shown but not kept
        } else {
          state.session = data.session || null;
          if (turnLang) state.lang = turnLang;
          if (turnLang && turnLang !== PAGE_LANG) { userBox.lang = turnLang; userItem.lang = turnLang; }
        }
        messages.forEach(function (m) {
          if (!m.text && !(m.buttons && m.buttons.length)) return;
          var buttons = (m.buttons || []).map(function (b) { return { title: b.title, payload: b.payload }; });
          add({ who: "bot", text: m.text || "", lang: turnLang, buttons: buttons }, !forgotten);
        });
        if (!forgotten) saveState();
      }).catch(function () {
        if (forgetting) deletedWithoutServer();
        else add({ who: "notice", text: T.offline });
      }).finally(function () {
        setBusy(false);
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || pending) return;
      input.value = "";
      send(text, text);
      input.focus();
    });
    humanButton.addEventListener("click", function () { send("/human_contact", T.human); input.focus(); });
    forgetButton.addEventListener("click", function () { send("/forget_me", T.forget); input.focus(); });
    log.addEventListener("click", function (event) {
      // After choosing a reply button, typing continues in the input.
      if (event.target && event.target.classList && event.target.classList.contains("ko-choice")) input.focus();
    });

    // Restore the transcript before the widget is in the document, so the live region
    // does not read the whole conversation again after a reload.
    state.items.forEach(function (item) { renderItem(item); });
    renderPrivacy();
    container.appendChild(root);
    log.scrollTop = log.scrollHeight;

    window.fetch(BASE + "/api/widget-config", { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (config) {
        if (!config) return;
        if (config.retention_days) { retentionDays = config.retention_days; renderPrivacy(); }
        if (config.max_message_chars) input.maxLength = config.max_message_chars;
      })
      .catch(function () { /* the generic wording stays */ });
  }

  function ensureStylesheet() {
    var href = BASE + "/static/widget.css";
    var links = document.querySelectorAll("link[rel=stylesheet]");
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].href === href) return;
    }
    var sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = href;
    document.head.appendChild(sheet);
  }

  function start() {
    var selector = script.getAttribute("data-container");
    var container = selector ? document.querySelector(selector) : null;
    if (!container) {
      container = document.createElement("div");
      container.className = "ko-embed";
      if (script.parentNode && script.parentNode !== document.head) {
        script.parentNode.insertBefore(container, script.nextSibling);
      } else {
        document.body.appendChild(container);
      }
    }
    if (container.getAttribute("data-ko-ready")) return;
    container.setAttribute("data-ko-ready", "true");
    ensureStylesheet();
    build(container);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
