/** Prometheus text metrics of the HTTP server: requests by route and status, latency histogram, in flight, memory. */

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, { counts: number[]; sum: number; count: number }>();
  rejected = 0;
  timeouts = 0;
  cancelled = 0;

  /** `load`: the queries running and waiting now (the admission queue's counts). */
  constructor(
    private readonly load: () => { inFlight: number; queued: number } = () => ({ inFlight: 0, queued: 0 }),
  ) {}

  get inFlight(): number {
    return this.load().inFlight;
  }

  get queued(): number {
    return this.load().queued;
  }

  observe(route: string, status: number, seconds: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(route);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(route, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  text(): string {
    const mem = process.memoryUsage();
    const out: string[] = [
      '# HELP hepq_http_requests_total HTTP requests by route and status.',
      '# TYPE hepq_http_requests_total counter',
      ...[...this.requests].map(([k, v]) => `hepq_http_requests_total{${k}} ${v}`),
      '# HELP hepq_http_request_duration_seconds Request latency by route.',
      '# TYPE hepq_http_request_duration_seconds histogram',
    ];
    for (const [route, h] of this.latency) {
      BUCKETS.forEach((b, i) => {
        out.push(`hepq_http_request_duration_seconds_bucket{route="${route}",le="${b}"} ${h.counts[i]}`);
      });
      out.push(`hepq_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      out.push(`hepq_http_request_duration_seconds_sum{route="${route}"} ${h.sum}`);
      out.push(`hepq_http_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    out.push(
      '# HELP hepq_queries_in_flight Queries running now.',
      '# TYPE hepq_queries_in_flight gauge',
      `hepq_queries_in_flight ${this.inFlight}`,
      '# HELP hepq_queries_queued Queries waiting for a slot.',
      '# TYPE hepq_queries_queued gauge',
      `hepq_queries_queued ${this.queued}`,
      '# HELP hepq_queries_rejected_total Queries refused with 429 (the queue was full).',
      '# TYPE hepq_queries_rejected_total counter',
      `hepq_queries_rejected_total ${this.rejected}`,
      '# HELP hepq_queries_timed_out_total Queries stopped by the per-query timeout.',
      '# TYPE hepq_queries_timed_out_total counter',
      `hepq_queries_timed_out_total ${this.timeouts}`,
      '# HELP hepq_queries_cancelled_total Queries cancelled because the client went away.',
      '# TYPE hepq_queries_cancelled_total counter',
      `hepq_queries_cancelled_total ${this.cancelled}`,
      '# HELP process_resident_memory_bytes Resident memory.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
    );
    return `${out.join('\n')}\n`;
  }
}
