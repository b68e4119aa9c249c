import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ModelHolder, ReloadOutcome } from '../model/model-holder.js';

/** The server's Prometheus metrics, in a registry of their own (never prom-client's global one). */
export interface ServerMetrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry;
  /** `quiver_http_requests_total{route, method, status}`. */
  readonly requests: Counter<'route' | 'method' | 'status'>;
  /** `quiver_http_request_duration_seconds{route, method, status}`: time from the request's arrival to its response. */
  readonly duration: Histogram<'route' | 'method' | 'status'>;
  /** `quiver_model_reloads_total`: successful reloads. */
  readonly reloads: Counter;
  /** `quiver_model_reload_failures_total`: failed reloads (the old model kept serving). */
  readonly reloadFailures: Counter;
  /** Records a finished request (the route pattern, not the URL, so labels stay few). */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** Records a reload attempt. */
  observeReload(outcome: ReloadOutcome): void;
}

/** Latency buckets in seconds, fine below 5 ms where a recommendation should answer. */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Creates the metrics of one server: request counter and latency histogram per route, method and
 * status; model reloads and reload failures; and gauges read at scrape time (model generation,
 * load time, users, items, resident memory).
 * @example
 * const metrics = createMetrics(holder);
 * metrics.observeRequest('/v1/recommend', 'GET', 200, 0.0012);
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(holder: ModelHolder): ServerMetrics {
  const registry = new Registry();
  const labelNames = ['route', 'method', 'status'] as const;
  const requests = new Counter({ name: 'quiver_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status.', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'quiver_http_request_duration_seconds',
    help: 'Time from the arrival of a request to its response, by route pattern, method and status.',
    labelNames,
    buckets: [...LATENCY_BUCKETS],
    registers: [registry],
  });
  const reloads = new Counter({ name: 'quiver_model_reloads_total', help: 'Successful model reloads.', registers: [registry] });
  const reloadFailures = new Counter({ name: 'quiver_model_reload_failures_total', help: 'Failed model reloads (the previous model kept serving).', registers: [registry] });
  new Gauge({
    name: 'quiver_model_generation',
    help: 'Generation of the serving model: 1 for the first, +1 per successful reload.',
    registers: [registry],
    collect() {
      this.set(holder.generation);
    },
  });
  new Gauge({
    name: 'quiver_model_loaded_timestamp_seconds',
    help: 'When the serving model was loaded (Unix time).',
    registers: [registry],
    collect() {
      this.set(holder.current.loadedAt.getTime() / 1000);
    },
  });
  new Gauge({
    name: 'quiver_model_users',
    help: 'Users the serving model knows.',
    registers: [registry],
    collect() {
      this.set(holder.current.numUsers);
    },
  });
  new Gauge({
    name: 'quiver_model_items',
    help: 'Items the serving model knows.',
    registers: [registry],
    collect() {
      this.set(holder.current.numItems);
    },
  });
  new Gauge({
    name: 'quiver_process_resident_memory_bytes',
    help: 'Resident set size of the server process.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  return {
    registry,
    requests,
    duration,
    reloads,
    reloadFailures,
    observeRequest(route, method, status, seconds) {
      const labels = { route, method, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    observeReload(outcome) {
      if (outcome.ok) reloads.inc();
      else reloadFailures.inc();
    },
  };
}
