/**
 * Grafana's interval strings for the SQL macros: parsing `'5m'`, `1h30m`, `2d` as the PostgreSQL
 * datasource does (gtime.ParseInterval) and formatting a duration as `$__interval`
 * (gtime.FormatInterval).
 *
 * @module
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Milliseconds of an interval: a Go duration (`300ms`, `1h30m`, `1.5h`) or a whole number of
 * days or weeks (`2d`, `1w`). Months and years are refused: Grafana measures them from the
 * current date, so they have no fixed length.
 */
export function parseInterval(text: string): number {
  const trimmed = text.trim();
  if (/^\d+[My]$/.test(trimmed)) {
    throw new RangeError(`interval ${trimmed}: months and years have no fixed length`);
  }
  const calendar = /^(\d+)([dw])$/.exec(trimmed);
  if (calendar) return Number(calendar[1]) * UNIT_MS[calendar[2]];
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let position = 0;
  while (position < trimmed.length) {
    part.lastIndex = position;
    const match = part.exec(trimmed);
    if (!match) throw new RangeError(`error parsing interval ${text}`);
    total += Number(match[1]) * UNIT_MS[match[2]];
    position = part.lastIndex;
  }
  if (trimmed === "") throw new RangeError(`error parsing interval ${text}`);
  return total;
}

/** `$__interval` text of a duration: its largest whole unit (`1d`, `5m`, `30s`, `1ms`). */
export function formatInterval(ms: number): string {
  const units: [string, number][] = [
    ["y", 365 * 86_400_000],
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
    ["ms", 1],
  ];
  for (const [unit, size] of units) {
    if (ms >= size) return `${Math.trunc(ms / size)}${unit}`;
  }
  return "1ms";
}
