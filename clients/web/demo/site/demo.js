// The demo pages' script: the web client from /analytics.js (deno task build:web's bundle), the
// dev key from /config.json, and an on-page history of the events this browser tab recorded
// (kept in sessionStorage, so it continues across the two pages).
// Loaded by URL at run time: the bundle is built by the site server, not a file in this folder.
const { createWebAnalytics } = await import(new URL("/analytics.js", location.href).href);

const HISTORY_KEY = "demo-event-history";
const entries = JSON.parse(sessionStorage.getItem(HISTORY_KEY) ?? "[]");
const list = document.getElementById("history");

function show(entry) {
  const item = document.createElement("li");
  item.dataset.eventId = entry.id;
  item.dataset.eventType = entry.type;
  item.textContent = `${entry.time.slice(11, 19)} ${entry.type} `;
  const target = document.createElement("span");
  target.className = "target";
  target.textContent = entry.target;
  item.append(target);
  list.prepend(item);
}

function record(event) {
  const entry = {
    id: event.eventId,
    type: event.eventType,
    target: event.interactionTarget ?? event.web?.path ?? "",
    time: event.timestamp,
  };
  entries.push(entry);
  sessionStorage.setItem(HISTORY_KEY, JSON.stringify(entries.slice(-200)));
  show(entry);
}

entries.forEach(show);
const config = await (await fetch("/config.json")).json();
const analytics = await createWebAnalytics({
  writeKey: config.writeKey,
  url: config.ingestUrl,
  // `?flush=<ms>` sets the batching delay, to watch events wait on the page (default 500 ms).
  flushIntervalMs: Number(new URL(location.href).searchParams.get("flush") ?? 500),
  onEvent: record,
  onError: (error, dropped) => console.error(`analytics: ${dropped.length} events dropped`, error),
});
globalThis.analytics = analytics;

const status = document.getElementById("status");
setInterval(() => {
  const { accepted, queued } = analytics.stats;
  status.textContent = `(${accepted} sent, ${queued} waiting)`;
}, 250);

document.getElementById("newsletter")?.addEventListener("submit", (event) => {
  event.preventDefault(); // the demo has nowhere to post to; the submit was recorded
  event.target.reset();
});

function selectTab(name) {
  for (const tab of document.querySelectorAll("[data-tab]")) {
    tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  }
  const content = document.getElementById("tab-content");
  if (content) {
    content.textContent = name === "details"
      ? "Specifications and reviews."
      : "The product at a glance.";
  }
}
for (const tab of document.querySelectorAll("[data-tab]")) {
  tab.addEventListener("click", () => {
    history.pushState({ tab: tab.dataset.tab }, "", `/page2.html?tab=${tab.dataset.tab}`);
    selectTab(tab.dataset.tab);
  });
}
addEventListener(
  "popstate",
  () => selectTab(new URL(location.href).searchParams.get("tab") ?? "overview"),
);
if (document.querySelector("[data-tab]")) {
  selectTab(new URL(location.href).searchParams.get("tab") ?? "overview");
}
document.body.dataset.analyticsReady = "true";
