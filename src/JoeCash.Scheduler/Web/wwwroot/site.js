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

// Print buttons: <button data-print>.
document.addEventListener("click", (event) => {
  if (event.target.closest("button[data-print]")) window.print();
});

// Live refresh: <section data-live="/url/of/fragment" data-version="…" data-live-seconds="5">. Polls for a newer
// version (the X-Version header) and replaces the section's content; rests while the tab is hidden and asks again
// as soon as it is shown. The element that had the focus keeps it when it is still there (same id).
for (const section of document.querySelectorAll("[data-live]")) {
  const every = Number(section.dataset.liveSeconds || 10) * 1000;
  let timer = 0;
  const poll = async () => {
    clearTimeout(timer);
    if (document.hidden) return;
    try {
      const response = await fetch(section.dataset.live, { headers: { "Accept": "text/html" }, credentials: "same-origin", cache: "no-store" });
      const version = response.headers.get("X-Version");
      if (response.ok && version && version !== section.dataset.version) {
        const html = await response.text();
        const next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]");
        if (next) {
          const focused = document.activeElement && section.contains(document.activeElement) ? document.activeElement.id : "";
          section.innerHTML = next.innerHTML;
          section.dataset.version = version;
          if (focused) document.getElementById(focused)?.focus();
        }
      }
    } catch {
      // Offline for a moment: the next poll tries again.
    }
    timer = setTimeout(poll, every);
  };
  document.addEventListener("visibilitychange", () => { if (!document.hidden) poll(); });
  timer = setTimeout(poll, every);
}
