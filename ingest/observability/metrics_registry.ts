import type { Attributes, Meter } from "@opentelemetry/api";

/** Label names and values of one series. */
export type Labels = Record<string, string>;

/** A monotonic counter. */
export interface Counter {
  /** Adds `value` (default 1) to the series named by `labels`. */
  add(value?: number, labels?: Labels): void;
}

/** A distribution of observed values in fixed buckets. */
export interface Histogram {
  /** Records one observation. */
  record(value: number, labels?: Labels): void;
}

/** A value that goes up and down (e.g. consumer lag). */
export interface Gauge {
  /** Sets the series named by `labels` to `value`. */
  set(value: number, labels?: Labels): void;
}

/** Bucket bounds in milliseconds for latencies. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
/** Bucket bounds for batch sizes (records). */
export const SIZE_BUCKETS = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000];

interface Series {
  labels: Labels;
  value: number;
  /** Histogram only: cumulative bucket counts and the sum. */
  buckets?: number[];
  sum?: number;
}

interface Family {
  name: string;
  help: string;
  type: "counter" | "histogram" | "gauge";
  bounds?: number[];
  series: Map<string, Series>;
}

/**
 * The metrics of one program, kept in process and rendered in the Prometheus text format for
 * `GET /metrics`, and mirrored to OpenTelemetry instruments of `meter` (exported over OTLP when
 * `OTEL_DENO=true`). One registry per program, passed in; nothing is global.
 */
export class MetricsRegistry {
  readonly #families = new Map<string, Family>();
  readonly #meter?: Meter;

  /** `meter`: OpenTelemetry meter to mirror every instrument to (optional). */
  constructor(options: { meter?: Meter } = {}) {
    this.#meter = options.meter;
  }

  /** A counter named `name` (Prometheus convention: ends in `_total`). */
  counter(name: string, help: string): Counter {
    const family = this.#family(name, help, "counter");
    const otel = this.#meter?.createCounter(name, { description: help });
    return {
      add: (value = 1, labels = {}) => {
        this.#series(family, labels).value += value;
        otel?.add(value, labels as Attributes);
      },
    };
  }

  /** A histogram with upper bucket bounds `bounds` (ascending). */
  histogram(name: string, help: string, bounds: number[]): Histogram {
    const family = this.#family(name, help, "histogram", bounds);
    const otel = this.#meter?.createHistogram(name, {
      description: help,
      advice: { explicitBucketBoundaries: bounds },
    });
    return {
      record: (value, labels = {}) => {
        const series = this.#series(family, labels);
        series.value++;
        series.sum! += value;
        bounds.forEach((bound, i) => {
          if (value <= bound) series.buckets![i]++;
        });
        otel?.record(value, labels as Attributes);
      },
    };
  }

  /** A gauge: the last value set per series. */
  gauge(name: string, help: string): Gauge {
    const family = this.#family(name, help, "gauge");
    const otel = this.#meter?.createGauge(name, { description: help });
    return {
      set: (value, labels = {}) => {
        this.#series(family, labels).value = value;
        otel?.record(value, labels as Attributes);
      },
    };
  }

  /** The value of one series (a histogram's count), or 0 when it was never touched. */
  value(name: string, labels: Labels = {}): number {
    return this.#families.get(name)?.series.get(seriesKey(labels))?.value ?? 0;
  }

  /** Every series of `name` with its labels and value (a histogram's count). */
  series(name: string): { labels: Labels; value: number }[] {
    const family = this.#families.get(name);
    return family ? [...family.series.values()].map((s) => ({ ...s })) : [];
  }

  /** The Prometheus text exposition (version 0.0.4) of every metric. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.#families.values()) {
      lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, "\\\\")}`);
      lines.push(`# TYPE ${family.name} ${family.type}`);
      for (const series of family.series.values()) {
        if (family.type !== "histogram") {
          lines.push(`${family.name}${labelText(series.labels)} ${series.value}`);
          continue;
        }
        family.bounds!.forEach((bound, i) => {
          const labels = labelText({ ...series.labels, le: String(bound) });
          lines.push(`${family.name}_bucket${labels} ${series.buckets![i]}`);
        });
        const inf = labelText({ ...series.labels, le: "+Inf" });
        lines.push(`${family.name}_bucket${inf} ${series.value}`);
        lines.push(`${family.name}_sum${labelText(series.labels)} ${series.sum}`);
        lines.push(`${family.name}_count${labelText(series.labels)} ${series.value}`);
      }
    }
    return lines.join("\n") + "\n";
  }

  #family(name: string, help: string, type: Family["type"], bounds?: number[]): Family {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`bad metric name: ${name}`);
    const existing = this.#families.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric ${name} is already a ${existing.type}`);
      return existing;
    }
    const family: Family = { name, help, type, bounds, series: new Map() };
    this.#families.set(name, family);
    return family;
  }

  #series(family: Family, labels: Labels): Series {
    const key = seriesKey(labels);
    let series = family.series.get(key);
    if (!series) {
      series = { labels: { ...labels }, value: 0 };
      if (family.type === "histogram") {
        series.buckets = family.bounds!.map(() => 0);
        series.sum = 0;
      }
      family.series.set(key, series);
    }
    return series;
  }
}

/** Content type of `render()`'s output. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function labelText(labels: Labels): string {
  const pairs = Object.keys(labels).sort().map((k) =>
    `${k}="${labels[k].replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`
  );
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}
