import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { describeValue, quiverError } from '@quiver/base';
import { loadServedModel, type ServedModel } from './served-model.js';
import type { BackendFactory } from './top-k-backend.js';

/** The structured logger a {@link ModelHolder} writes to (pino's and fastify's `log` fit). */
export interface HolderLogger {
  /** Logs an event with its fields. */
  info(fields: object, message: string): void;
  /** Logs a failure with its fields. */
  error(fields: object, message: string): void;
}

/** What a reload did. */
export interface ReloadOutcome {
  /** True when a new model was loaded and made current. */
  readonly ok: boolean;
  /** Why it ran: `'initial'`, `'reload()'`, `'SIGHUP'`, `'watch'`, … */
  readonly reason: string;
  /** The generation serving after the reload (unchanged on failure). */
  readonly generation: number;
  /** The model serving after the reload (the old one on failure). */
  readonly model: ServedModel;
  /** Why the reload failed, or null. */
  readonly error: Error | null;
  /** Milliseconds the load took. */
  readonly ms: number;
}

/** Options of {@link ModelHolder.open}. */
export interface ModelHolderOptions {
  /**
   * Watch the model folder's parent and reload when the folder is replaced (a save renames a
   * complete new folder into place).
   * @defaultValue true
   */
  readonly watch?: boolean;
  /** Reload on this signal; null for none. @defaultValue 'SIGHUP' */
  readonly reloadSignal?: NodeJS.Signals | null;
  /** Quiet time after the last change in the parent folder before a watch-triggered reload, in ms. @defaultValue 100 */
  readonly debounceMs?: number;
  /** Where reloads and their failures are logged. @defaultValue no logging */
  readonly logger?: HolderLogger;
  /** Builds each loaded model's top-k backend. @defaultValue the exact backend */
  readonly backend?: BackendFactory;
  /** Called after every reload attempt (not the initial load), successful or not. @defaultValue none */
  readonly onReload?: (outcome: ReloadOutcome) => void;
}

const SILENT: HolderLogger = { info: () => undefined, error: () => undefined };

/**
 * Holds the model being served and replaces it without stopping: on `reload()`, on a signal
 * (SIGHUP by default) and when the folder is replaced on disk. A new model is loaded beside the
 * serving one, verified (checksums, one query) and only then made current by swapping a single
 * reference, so a request that reads {@link ModelHolder.current} once at its start uses one model
 * throughout. A failed reload (folder missing, a corrupt or half-written file) leaves the old
 * model serving, is logged and counted. Reloads never overlap: one requested while another runs
 * is done once after it.
 * @example
 * const holder = await ModelHolder.open('runs/als', { logger: app.log });
 * const model = holder.current;            // take it once per request
 * const outcome = await holder.reload();   // { ok, generation, error, ... }
 * holder.close();
 */
export class ModelHolder {
  /** The model folder (absolute). */
  readonly dir: string;
  private model: ServedModel;
  private gen = 1;
  private numReloads = 0;
  private numFailures = 0;
  private failure: { readonly at: Date; readonly message: string } | null = null;
  private running: Promise<ReloadOutcome> | null = null;
  private queued: Promise<ReloadOutcome> | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly signalHandler: (() => void) | null = null;
  private closed = false;
  private readonly options: ModelHolderOptions;
  private readonly log: HolderLogger;

  private constructor(dir: string, model: ServedModel, options: ModelHolderOptions) {
    this.dir = dir;
    this.model = model;
    this.options = options;
    this.log = options.logger ?? SILENT;
    if (options.watch ?? true) this.startWatching(options.debounceMs ?? 100);
    const signal = options.reloadSignal === undefined ? 'SIGHUP' : options.reloadSignal;
    if (signal !== null) {
      const handler = (): void => void this.reload(signal);
      process.on(signal, handler);
      this.signalHandler = handler;
    }
  }

  /**
   * Loads the model in `dir` and starts watching it.
   * @throws {Error} when the first load fails (there is no old model to fall back on).
   */
  static async open(dir: string, options: ModelHolderOptions = {}): Promise<ModelHolder> {
    if (typeof dir !== 'string' || dir === '') throw quiverError('TypeError', { where: 'ModelHolder.open', what: 'dir must be a non-empty string', got: describeValue(dir) });
    const full = resolve(dir);
    const t0 = performance.now();
    const model = await loadServedModel(full, { backend: options.backend });
    const holder = new ModelHolder(full, model, options);
    holder.log.info({ dir: full, kind: model.kind, numUsers: model.numUsers, numItems: model.numItems, checksum: model.checksum, generation: 1, ms: Math.round(performance.now() - t0) }, 'model loaded');
    return holder;
  }

  /** The model serving now. Read it once per request and use that object throughout. */
  get current(): ServedModel {
    return this.model;
  }

  /** 1 for the first model, +1 on every successful reload. */
  get generation(): number {
    return this.gen;
  }

  /** Successful reloads so far. */
  get reloads(): number {
    return this.numReloads;
  }

  /** Failed reloads so far. */
  get reloadFailures(): number {
    return this.numFailures;
  }

  /** The last failed reload (time and message), or null when none failed. */
  get lastFailure(): { readonly at: Date; readonly message: string } | null {
    return this.failure;
  }

  /**
   * Loads the folder again and, once it loaded and verified, makes it current. Never rejects:
   * a failure is returned (and logged, and counted) while the old model keeps serving. A call
   * made while a reload runs resolves with the reload that starts after it.
   * @param reason - Recorded in the outcome and the log. @defaultValue 'reload()'
   */
  reload(reason = 'reload()'): Promise<ReloadOutcome> {
    if (this.running === null) return this.start(reason);
    if (this.queued === null) {
      this.queued = this.running.then(() => {
        this.queued = null;
        return this.start(reason);
      });
    }
    return this.queued;
  }

  /** Stops watching and listening for the signal (the current model stays readable). */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
    const signal = this.options.reloadSignal === undefined ? 'SIGHUP' : this.options.reloadSignal;
    if (this.signalHandler !== null && signal !== null) process.off(signal, this.signalHandler);
  }

  private start(reason: string): Promise<ReloadOutcome> {
    const run = this.load(reason).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async load(reason: string): Promise<ReloadOutcome> {
    const t0 = performance.now();
    try {
      const next = await loadServedModel(this.dir, { backend: this.options.backend });
      const ms = performance.now() - t0;
      this.model = next; // the swap: one reference, read once by each request
      this.gen++;
      this.numReloads++;
      this.log.info({ reason, dir: this.dir, kind: next.kind, numUsers: next.numUsers, numItems: next.numItems, checksum: next.checksum, generation: this.gen, ms: Math.round(ms) }, 'model reloaded');
      return this.report({ ok: true, reason, generation: this.gen, model: next, error: null, ms });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const ms = performance.now() - t0;
      this.numFailures++;
      this.failure = { at: new Date(), message: error.message };
      this.log.error({ reason, dir: this.dir, err: error, generation: this.gen }, 'model reload failed; the previous model keeps serving');
      return this.report({ ok: false, reason, generation: this.gen, model: this.model, error, ms });
    }
  }

  private report(outcome: ReloadOutcome): ReloadOutcome {
    try {
      this.options.onReload?.(outcome);
    } catch (e) {
      this.log.error({ err: e }, 'onReload callback failed');
    }
    return outcome;
  }

  private startWatching(debounceMs: number): void {
    const name = basename(this.dir);
    try {
      this.watcher = watch(dirname(this.dir), { persistent: false }, (_event, file) => {
        // A save renames `<name>` aside and a temporary folder onto it; other names are not ours.
        if (file !== null && file.toString() !== name) return;
        if (this.closed) return;
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = null;
          if (!this.closed) void this.reload('watch');
        }, debounceMs);
        this.timer.unref();
      });
      this.watcher.on('error', (err) => {
        this.log.error({ dir: this.dir, err }, 'watching the model folder failed; reload with SIGHUP');
      });
    } catch (err) {
      this.log.error({ dir: this.dir, err }, 'cannot watch the model folder; reload with SIGHUP');
    }
  }
}
