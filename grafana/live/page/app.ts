/**
 * The live page's script (bundled by live_view.ts): every few seconds it asks QueryService
 * (Connect JSON through the live view's same-origin pass-through) for the last hour's counts by
 * channel and type, the last 15 minutes in 15-second buckets, and the latest events, and redraws
 * the stats, two uPlot charts and the tables. Request and response shapes are the generated
 * JSON types of the schema (type-only imports: no Protobuf runtime in the page).
 *
 * @module
 */
import uPlot from "uplot";
import type {
  ChannelJson,
  CountEventsRequestJson,
  CountEventsResponseJson,
  CountRowJson,
  EventJson,
  EventsOverTimeRequestJson,
  EventsOverTimeResponseJson,
  RecentEventsRequestJson,
  RecentEventsResponseJson,
} from "@analytics/schema";

const API = "/live/api/analytics.v1.QueryService";
const BUCKET_S = 15;
const CHART_MINUTES = 15;
const RECENT = 20;
/** Channels in a fixed order with fixed colours, so a series never changes colour. */
const CHANNELS: [string, string][] = [
  ["web", "#3366cc"],
  ["mobile", "#dc3912"],
  ["chat", "#ff9900"],
  ["speech", "#109618"],
  ["agent", "#990099"],
  ["server", "#0099c6"],
  ["custom", "#5f6b7a"],
];

const refreshMs = Number(document.body.dataset.refreshMs) || 3000;
const byId = (id: string) => document.getElementById(id)!;

/** One Connect unary call with JSON; throws with the server's code and message. */
async function call<Req, Res>(method: string, request: Req): Promise<Res> {
  const response = await fetch(`${API}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", "connect-protocol-version": "1" },
    body: JSON.stringify(request),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`${method}: ${body.code ?? response.status} ${body.message ?? ""}`.trim());
  }
  return body as Res;
}

const countEvents = (request: CountEventsRequestJson) =>
  call<CountEventsRequestJson, CountEventsResponseJson>("CountEvents", request);
const eventsOverTime = (request: EventsOverTimeRequestJson) =>
  call<EventsOverTimeRequestJson, EventsOverTimeResponseJson>("EventsOverTime", request);
const recentEvents = (request: RecentEventsRequestJson) =>
  call<RecentEventsRequestJson, RecentEventsResponseJson>("RecentEvents", request);

const num = (value: string | undefined) => Number(value ?? 0);
const channelName = (channel: ChannelJson | undefined) =>
  (channel ?? "CHANNEL_UNSPECIFIED").replace(/^CHANNEL_/, "").toLowerCase();

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillTable(id: string, rows: HTMLTableRowElement[], columns: number): void {
  const body = byId(id).querySelector("tbody")!;
  if (rows.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("no events yet", "empty");
    td.colSpan = columns;
    tr.append(td);
    rows = [tr];
  }
  body.replaceChildren(...rows);
}

function countRows(rows: CountRowJson[], key: (row: CountRowJson) => string, attr: string) {
  return rows.map((row) => {
    const tr = document.createElement("tr");
    tr.dataset[attr] = key(row);
    tr.append(
      cell(key(row)),
      cell(String(num(row.count)), "num count"),
      cell(String(num(row.sessions)), "num sessions"),
    );
    return tr;
  });
}

function eventRow(event: EventJson): HTMLTableRowElement {
  const tr = document.createElement("tr");
  tr.dataset.eventId = event.eventId ?? "";
  const time = event.timestamp ? new Date(event.timestamp).toLocaleTimeString() : "";
  tr.append(
    cell(time),
    cell(channelName(event.channel)),
    cell(event.eventType ?? ""),
    cell(event.resourceId ?? "", "clip"),
    cell(event.sessionId ?? "", "mono"),
    cell(event.agent?.traceId ?? "", "mono"),
  );
  return tr;
}

/** A uPlot chart in `id`, created on first data and resized with its card. */
class Chart {
  #plot?: uPlot;
  #names: string[] = [];

  constructor(readonly id: string) {}

  /** Draws `series` (name, colour, values per x) over `xs` (epoch seconds). */
  draw(xs: number[], series: { name: string; colour: string; values: number[] }[]): void {
    const element = byId(this.id);
    const names = series.map((s) => s.name);
    const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values)];
    if (!this.#plot || names.join() !== this.#names.join()) {
      this.#plot?.destroy();
      this.#names = names;
      this.#plot = new uPlot(
        {
          width: Math.max(element.clientWidth, 300),
          height: 220,
          series: [
            {},
            ...series.map((s) => ({
              label: s.name,
              stroke: s.colour,
              width: 2,
              points: { show: false },
            })),
          ],
          axes: [{}, { size: 40 }],
          scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        },
        data,
        element,
      );
    } else {
      this.#plot.setData(data);
    }
    const total = series.reduce((n, s) => n + s.values.reduce((a, b) => a + b, 0), 0);
    element.dataset.total = String(total);
  }
}

const channelChart = new Chart("chart-channels");
const sessionChart = new Chart("chart-sessions");

async function refresh(): Promise<void> {
  const now = Date.now();
  const hourAgo = new Date(now - 3_600_000).toISOString();
  const later = new Date(now + 60_000).toISOString(); // events stamped a little ahead still count
  const chartFrom = Math.floor((now - CHART_MINUTES * 60_000) / (BUCKET_S * 1000)) * BUCKET_S;
  const chartTo = Math.floor(now / (BUCKET_S * 1000)) * BUCKET_S + BUCKET_S;
  const range = {
    from: new Date(chartFrom * 1000).toISOString(),
    to: new Date(chartTo * 1000).toISOString(),
    bucket: `${BUCKET_S}s`,
  };
  const [byChannel, byType, total, active, overTime, sessions, recent] = await Promise.all([
    countEvents({ from: hourAgo, to: later, groupBy: "COUNT_GROUP_CHANNEL" }),
    countEvents({ from: hourAgo, to: later, groupBy: "COUNT_GROUP_EVENT_TYPE" }),
    countEvents({ from: hourAgo, to: later }),
    countEvents({ from: new Date(now - 300_000).toISOString(), to: later }),
    eventsOverTime({ ...range, groupBy: "COUNT_GROUP_CHANNEL" }),
    eventsOverTime({ ...range }),
    recentEvents({ limit: RECENT }),
  ]);

  const channelRows = byChannel.rows ?? [];
  byId("total-events").textContent = String(num(total.rows?.[0]?.count));
  byId("total-sessions").textContent = String(num(total.rows?.[0]?.sessions));
  byId("active-sessions").textContent = String(num(active.rows?.[0]?.sessions));
  byId("channel-count").textContent = String(channelRows.length);
  fillTable("by-channel", countRows(channelRows, (r) => r.channel ?? "", "channel"), 3);
  fillTable(
    "by-type",
    countRows((byType.rows ?? []).slice(0, 15), (r) => r.eventType ?? "", "eventType"),
    3,
  );
  fillTable("recent-events", (recent.events ?? []).map(eventRow), 6);

  // Every bucket of the window, empty ones as 0, so the lines do not skip gaps.
  const xs: number[] = [];
  for (let x = chartFrom; x < chartTo; x += BUCKET_S) xs.push(x);
  const index = new Map(xs.map((x, i) => [x, i]));
  const perChannel = new Map<string, number[]>();
  for (const row of overTime.rows ?? []) {
    const i = index.get(Date.parse(row.start ?? "") / 1000);
    if (i === undefined) continue;
    const values = perChannel.get(row.channel ?? "") ?? xs.map(() => 0);
    values[i] += num(row.count);
    perChannel.set(row.channel ?? "", values);
  }
  channelChart.draw(
    xs,
    CHANNELS.filter(([name]) => perChannel.has(name)).map(([name, colour]) => ({
      name,
      colour,
      values: perChannel.get(name)!,
    })),
  );
  const sessionValues = xs.map(() => 0);
  for (const row of sessions.rows ?? []) {
    const i = index.get(Date.parse(row.start ?? "") / 1000);
    if (i !== undefined) sessionValues[i] = num(row.sessions);
  }
  sessionChart.draw(xs, [{ name: "sessions", colour: "#3366cc", values: sessionValues }]);
}

async function loop(): Promise<void> {
  const status = byId("status");
  try {
    await refresh();
    status.textContent = `updated ${new Date().toLocaleTimeString()} · every ${refreshMs / 1000}s`;
    status.className = "";
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? 0) + 1);
  } catch (error) {
    status.textContent = `cannot reach QueryService: ${(error as Error).message}`;
    status.className = "error";
  }
  setTimeout(loop, refreshMs);
}

loop();
