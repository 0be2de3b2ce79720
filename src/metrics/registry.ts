/**
 * A small Prometheus registry: counters and histograms with labels, and gauges read at scrape time.
 * Rendering follows the text exposition format 0.0.4.
 */
import { BUCKETS_MS, bucketOf } from "../store/histogram.ts";

type Labels = Record<string, string>;

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(",")}}` : "";
};
// Each metric is always observed with the same label names in the same order: the values alone make the key
// (cheaper than JSON on every request).
const keyOf = (labels: Labels) => Object.values(labels).join("\u0000");

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join("\n");
  }
}

/** A histogram of milliseconds, exposed in seconds with the store's bucket bounds. */
export class Histogram {
  private readonly values = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  observe(labels: Labels, ms: number): void {
    const key = keyOf(labels);
    let entry = this.values.get(key);
    if (!entry)
      this.values.set(key, (entry = { labels, buckets: new Array(BUCKETS_MS.length + 1).fill(0), sum: 0, count: 0 }));
    entry.buckets[bucketOf(ms)] += 1;
    entry.sum += ms / 1000;
    entry.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, buckets, sum, count } of this.values.values()) {
      let cumulative = 0;
      BUCKETS_MS.forEach((bound, i) => {
        cumulative += buckets[i];
        lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound / 1000) })} ${cumulative}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: "+Inf" })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${sum}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines.join("\n");
  }
}

/** A gauge whose samples are read when /metrics is scraped. */
export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => { labels?: Labels; value: number }[],
  ) {}

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const { labels, value } of this.read()) lines.push(`${this.name}${labelText(labels ?? {})} ${value}`);
    return lines.join("\n");
  }
}

export class Registry {
  private readonly metrics: (Counter | Histogram | Gauge)[] = [];

  add<M extends Counter | Histogram | Gauge>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  render(): string {
    return `${this.metrics.map((m) => m.render()).join("\n")}\n`;
  }
}
