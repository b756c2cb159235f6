// The letter checker as the writer types: the same check as the "Check the letter" button, asked
// of our own API a moment after typing stops. Without JavaScript the button does it all.
(function () {
  "use strict";

  const form = document.getElementById("compose-form");
  if (!form || !window.fetch) {
    return;
  }
  const textarea = form.querySelector("textarea[name=body]");
  const panel = document.getElementById("checker");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  const wholeText = ["language", "length"]; // as the server's WHOLE_TEXT_RULES: listed, not marked
  let timer = null;
  let asked = 0;

  function kind() {
    const chosen = form.querySelector("input[name=kind]:checked");
    return chosen ? chosen.value : "letter";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function show(result, text) {
    panel.replaceChildren();
    const summary = element("p", "checker-summary " + (result.ok ? "is-ok" : "has-findings"), result.summary);
    summary.dataset.summary = "";
    summary.append(" ", element("span", "muted checker-count", result.counted));
    panel.append(summary);
    if (result.ok) {
      return;
    }
    const list = element("ol", "findings");
    list.dataset.findings = "";
    result.findings.forEach((finding) => {
      const item = element("li", "finding finding-" + finding.rule);
      if (finding.text) {
        item.append(element("mark", "", finding.text), " — ");
      }
      item.append(finding.message + " ", element("span", "fix", finding.fix));
      list.append(item);
    });
    panel.append(list);
    // The text with what to change marked, as the server shows it. Offsets count characters
    // (code points), as Python does, not JavaScript's UTF-16 units: an emoji is one character.
    const characters = Array.from(text);
    const slice = (from, to) => characters.slice(from, to).join("");
    const marked = element("div", "marked-text");
    marked.dataset.marked = "";
    let position = 0;
    result.findings
      .filter((f) => f.end > f.start && !wholeText.includes(f.rule))
      .sort((a, b) => a.start - b.start)
      .forEach((finding) => {
        const start = Math.max(finding.start, position);
        if (finding.end <= start) { return; }
        marked.append(slice(position, start), element("mark", "finding-" + finding.rule, slice(start, finding.end)));
        position = finding.end;
      });
    marked.append(slice(position));
    panel.append(marked);
  }

  async function check() {
    const text = textarea.value;
    const number = ++asked;
    if (!text.trim()) {
      panel.replaceChildren();
      return;
    }
    try {
      const response = await fetch(form.dataset.checkUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
        body: JSON.stringify({ text: text, kind: kind(), person: Number(form.dataset.person), lang: form.dataset.lang }),
      });
      if (!response.ok || number !== asked) {
        return; // a newer check is on its way, or the button still works
      }
      // The sentences come from the server, in the page's language and its plural forms.
      show(await response.json(), text);
    } catch (error) {
      // Offline or refused: the "Check the letter" button remains.
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 600);
  }

  textarea.addEventListener("input", later);
  form.querySelectorAll("input[name=kind]").forEach((input) => input.addEventListener("change", later));
  if (textarea.value.trim()) {
    later();
  }
})();
