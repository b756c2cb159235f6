// The proof-of-work check of ALTCHA's protocol, computed here: find the number n for which
// SHA-256(salt + n) equals the challenge. Our own file; nothing is loaded from anywhere else.
// Without JavaScript the form shows a question instead, and works all the same.
(function () {
  "use strict";

  async function sha256hex(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function solve(challenge) {
    for (let n = 0; n <= challenge.maxnumber; n += 1) {
      if ((await sha256hex(challenge.salt + n)) === challenge.challenge) {
        return n;
      }
    }
    return null;
  }

  function setUp(form) {
    const source = document.getElementById(form.dataset.challenge);
    const field = form.querySelector("input[name=altcha]");
    const status = form.querySelector("[data-pow-status]");
    if (!source || !field || !window.crypto || !crypto.subtle) {
      return; // the question remains, as without JavaScript
    }
    const challenge = JSON.parse(source.textContent);
    const question = form.querySelector("[data-question]");
    if (question) {
      question.hidden = true;
      question.querySelectorAll("input").forEach((input) => { input.required = false; });
    }
    form.addEventListener("submit", async (event) => {
      if (field.value) {
        return;
      }
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      if (status) { status.textContent = status.dataset.working; }
      const number = await solve(challenge);
      field.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
        salt: challenge.salt, signature: challenge.signature,
      }));
      // form.submit() sends no button: the one pressed goes along as a hidden field.
      const pressed = event.submitter;
      if (pressed && pressed.name) {
        const kept = document.createElement("input");
        kept.type = "hidden";
        kept.name = pressed.name;
        kept.value = pressed.value;
        form.appendChild(kept);
      }
      form.submit();
    });
  }

  document.querySelectorAll("form[data-challenge]").forEach(setUp);
})();
