// Minimal chat widget: text in, text out, rendered as text (never as HTML).
(function () {
  "use strict";
  var root = document.getElementById("ko-chat");
  if (!root) return;
  var lang = (document.documentElement.lang || "fi").slice(0, 2);
  var L = {
    fi: { label: "Kirjoita viestisi", send: "Lähetä", bot: "Botti", you: "Sinä" },
    sv: { label: "Skriv ditt meddelande", send: "Skicka", bot: "Bot", you: "Du" },
    en: { label: "Type your message", send: "Send", bot: "Bot", you: "You" },
  }[lang] || { label: "Kirjoita viestisi", send: "Lähetä", bot: "Botti", you: "Sinä" };
  root.className = "ko-chat";
  var log = document.createElement("div");
  log.className = "ko-log"; log.setAttribute("role", "log"); log.setAttribute("aria-live", "polite");
  var form = document.createElement("form"); form.className = "ko-form";
  var input = document.createElement("input"); input.id = "ko-input"; input.autocomplete = "off";
  var label = document.createElement("label"); label.htmlFor = "ko-input"; label.textContent = L.label;
  label.className = "ko-visually-hidden";
  var send = document.createElement("button"); send.type = "submit"; send.textContent = L.send;
  form.append(label, input, send); root.append(log, form);

  function add(text, who) {
    var div = document.createElement("div");
    div.className = "ko-msg " + (who === "bot" ? "ko-bot" : "ko-user");
    var w = document.createElement("span"); w.className = "ko-who"; w.textContent = who === "bot" ? L.bot : L.you;
    div.append(w, document.createTextNode(text)); log.append(div); log.scrollTop = log.scrollHeight;
    return div;
  }
  function post(message, shown) {
    if (shown) add(shown, "user");
    return fetch("/api/chat", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message: message, language: lang }),
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.detail) { add(data.detail, "bot"); return; }
      (data.messages || []).forEach(function (m) {
        var div = add(m.text || "", "bot");
        if (m.buttons && m.buttons.length) {
          var box = document.createElement("div"); box.className = "ko-buttons";
          m.buttons.forEach(function (b) {
            var btn = document.createElement("button"); btn.type = "button"; btn.textContent = b.title;
            btn.addEventListener("click", function () { post(b.payload, b.title); });
            box.append(btn);
          });
          div.append(box);
        }
      });
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault(); var t = input.value.trim(); if (!t) return; input.value = ""; post(t, t);
  });
})();
