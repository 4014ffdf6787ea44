// JoeCash scheduling: the few things a page needs a script for. No inline scripts (CSP), no framework.
"use strict";

// Copy buttons: <button data-copy="text">. Falls back to selecting the text where the clipboard API is absent (plain http).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = button.dataset.copy;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const field = document.createElement("textarea");
    field.value = text;
    document.body.append(field);
    field.select();
    document.execCommand("copy");
    field.remove();
  }
  const label = button.textContent;
  button.textContent = button.dataset.copied || "✓";
  setTimeout(() => { button.textContent = label; }, 1500);
});

// Live refresh: <section data-live="/url/of/fragment" data-version="…">. Polls for a newer version and replaces the section.
for (const section of document.querySelectorAll("[data-live]")) {
  const every = Number(section.dataset.liveSeconds || 10) * 1000;
  const poll = async () => {
    try {
      const response = await fetch(section.dataset.live, { headers: { "Accept": "text/html" }, credentials: "same-origin" });
      if (response.ok) {
        const version = response.headers.get("X-Version");
        if (version && version !== section.dataset.version) {
          const html = await response.text();
          const next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]");
          if (next) {
            section.innerHTML = next.innerHTML;
            section.dataset.version = version;
          }
        }
      }
    } catch {
      // Offline for a moment: the next poll tries again.
    }
    setTimeout(poll, every);
  };
  setTimeout(poll, every);
}
