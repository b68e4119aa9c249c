import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSynthetic, type Interactions } from '@quiver/data';
import { ALS, BPR, BiasedMF, Popularity, type RecommenderBase } from '@quiver/mf';
import { Trainer, latestCheckpoint, readCheckpoint, TrainingDivergedError, dataFingerprint } from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'quiver-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `run-${n++}`);

const { interactions: data } = await generateSynthetic({ numUsers: 120, numItems: 80, numInteractions: 2000, seed: 3 });

function bits(model: { getState(): Record<string, { data: Float32Array }> }): string[] {
  const s = model.getState();
  return Object.keys(s).sort().map((k) => `${k}:${Buffer.from(s[k].data.buffer, s[k].data.byteOffset, s[k].data.byteLength).toString('base64')}`);
}

const models: Array<[string, () => RecommenderBase]> = [
  ['BiasedMF SGD', () => new BiasedMF({ factors: 6 })],
  ['BiasedMF minibatch SparseAdam', () => new BiasedMF({ factors: 6, solver: { kind: 'minibatch', optimizer: 'sparse-adam', batchSize: 64 } })],
  ['BPR (row-wise Adagrad)', () => new BPR({ factors: 6 })],
  ['ALS', () => new ALS({ factors: 6, reg: 0.1 })],
];

describe('resume from a checkpoint gives bit-identical weights', () => {
  for (const [name, make] of models) {
    it(name, () => {
      const straight = make();
      const h0 = new Trainer({ epochs: 6, seed: 9 }).fit(straight, data);
      const dir = fresh();
      const first = make();
      // "Crash" after epoch 4 of 6: stop the run from the callback (checkpoints every 2 epochs).
      new Trainer({ epochs: 6, seed: 9, checkpoint: { dir, every: 2 }, onEpochEnd: (e) => e < 3 }).fit(first, data);
      expect(readdirSync(dir).sort()).toEqual(['epoch-000002', 'epoch-000004']);
      // The stopped run's final checkpoint says it stopped early; resume from the epoch-2 one instead.
      const resumed = make();
      const h1 = new Trainer({ epochs: 6, seed: 9, checkpoint: { dir }, resumeFrom: join(dir, 'epoch-000002') }).fit(resumed, data);
      expect(bits(resumed)).toEqual(bits(straight));
      expect(h1.loss).toEqual(h0.loss);
      expect(h1.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
      // Resuming from the folder picks the newest checkpoint, which is finished: nothing more to train.
      const again = make();
      expect(new Trainer({ epochs: 6, seed: 9, resumeFrom: dir }).fit(again, data).loss).toEqual(h0.loss);
      expect(bits(again)).toEqual(bits(straight));
    });
  }

  it('early stopping with restore-best continues exactly (best weights and patience are saved)', async () => {
    const { randomSplit } = await import('@quiver/data');
    const { train: tr, test: va } = randomSplit(data as Interactions, { testFraction: 0.2, seed: 1 });
    const opts = { epochs: 12, seed: 2, validationData: va, patience: 2, minDelta: 1e-3 };
    const straight = new BiasedMF({ factors: 6, lr: 0.05 });
    const h0 = new Trainer(opts).fit(straight, tr);
    const dir = fresh();
    new Trainer({ ...opts, checkpoint: { dir, keep: 100 }, onEpochEnd: (e) => e < 2 }).fit(new BiasedMF({ factors: 6, lr: 0.05 }), tr);
    const resumed = new BiasedMF({ factors: 6, lr: 0.05 });
    const h1 = new Trainer({ ...opts, resumeFrom: join(dir, 'epoch-000002') }).fit(resumed, tr);
    expect(h1.toJSON().epochs.map((e) => e.metrics)).toEqual(h0.toJSON().epochs.map((e) => e.metrics));
    expect([h1.bestEpoch, h1.stoppedEarly, h1.restoredBest]).toEqual([h0.bestEpoch, h0.stoppedEarly, h0.restoredBest]);
    expect(bits(resumed)).toEqual(bits(straight));
  });
});

describe('checkpoint files', () => {
  function makeRun(): string {
    const dir = fresh();
    new Trainer({ epochs: 3, seed: 1, checkpoint: { dir, keep: 3 } }).fit(new BPR({ factors: 4 }), data);
    return dir;
  }

  it('hold weights, optimizer state, seed, epoch and history', () => {
    const dir = makeRun();
    const c = readCheckpoint(join(dir, 'epoch-000002'));
    expect([c.kind, c.seed, c.epoch, c.epochs, c.finished]).toEqual(['bpr', 1, 2, 3, false]);
    expect(c.history.epochs.length).toBe(2);
    expect(Object.keys(c.state.weights).sort()).toEqual(['item_bias', 'item_embedding.weight', 'user_embedding.weight']);
    expect((c.state.optimizer.adagrad as Float32Array).length).toBe(120 + 2 * 80);
    expect(c.data).toEqual(dataFingerprint(data));
    expect(readCheckpoint(join(dir, 'epoch-000003')).finished).toBe(true);
  });

  it('keep prunes old checkpoints; leftovers of interrupted writes are ignored and cleaned', () => {
    const dir = fresh();
    mkdirSync(join(dir, '.tmp-epoch-000009-1-dead'), { recursive: true });
    writeFileSync(join(dir, '.tmp-epoch-000009-1-dead', 'state.safetensors'), 'partial');
    expect(latestCheckpoint(dir).checkpoint).toBeNull();
    new Trainer({ epochs: 5, seed: 1, checkpoint: { dir, keep: 2 } }).fit(new ALS({ factors: 2 }), data);
    expect(readdirSync(dir).sort()).toEqual(['epoch-000004', 'epoch-000005']);
  });

  it.each([
    ['truncated state file', (d: string) => truncateSync(join(d, 'state.safetensors'), 100), /state.safetensors must be \d+ bytes, got 100; the checkpoint is truncated or corrupted/],
    ['one flipped byte in the weights', (d: string) => flip(join(d, 'state.safetensors'), -5), /state.safetensors does not match its SHA-256; the checkpoint is corrupted/],
    ['an edited epoch in checkpoint.json', (d: string) => edit(join(d, 'checkpoint.json'), '"epoch":2', '"epoch":3'), /checkpoint.json does not match its checksum; the checkpoint is corrupted/],
    ['a truncated checkpoint.json', (d: string) => truncateSync(join(d, 'checkpoint.json'), 50), /checkpoint.json is not valid JSON/],
    ['a missing checkpoint.json', (d: string) => rmSync(join(d, 'checkpoint.json')), /checkpoint.json is missing; not a complete checkpoint/],
    ['a missing state file', (d: string) => rmSync(join(d, 'state.safetensors')), /state.safetensors is missing/],
  ])('detects %s; latestCheckpoint falls back to the previous one', (_what, damage, message) => {
    const dir = makeRun();
    damage(join(dir, 'epoch-000002'));
    expect(() => readCheckpoint(join(dir, 'epoch-000002'))).toThrow(message);
    damage(join(dir, 'epoch-000003'));
    const { checkpoint, skipped } = latestCheckpoint(dir);
    expect(checkpoint!.epoch).toBe(1);
    expect(skipped.map((s) => s.path)).toEqual([join(dir, 'epoch-000003'), join(dir, 'epoch-000002')]);
    // And a trainer resuming from the folder continues from epoch 1, to the same weights as straight training.
    const straight = new BPR({ factors: 4 });
    new Trainer({ epochs: 3, seed: 1 }).fit(straight, data);
    const resumed = new BPR({ factors: 4 });
    new Trainer({ epochs: 3, seed: 1, resumeFrom: dir }).fit(resumed, data);
    expect(bits(resumed)).toEqual(bits(straight));
  });

  it('refuses __proto__ and ignores constructor keys in checkpoint.json (no prototype pollution)', () => {
    const dir = makeRun();
    const p = join(dir, 'epoch-000001', 'checkpoint.json');
    edit(p, '"config":{', '"config":{"__proto__":{"polluted":1},');
    expect(() => readCheckpoint(join(dir, 'epoch-000001'))).toThrow(/checkpoint.json is not valid JSON: a "__proto__" key is not allowed/);
    const q = join(dir, 'epoch-000002', 'checkpoint.json');
    edit(q, '"config":{', '"config":{"constructor":{"prototype":{"polluted":1}},');
    expect(() => readCheckpoint(join(dir, 'epoch-000002'))).toThrow(/does not match its checksum/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads format-1 checkpoints, whose solver options were top-level, and resumes from them', () => {
    const dir = join(root, 'format-1');
    const opts = { epochs: 4, seed: 3 };
    const model = () => new BiasedMF({ factors: 4, solver: { kind: 'minibatch', optimizer: 'adagrad', batchSize: 64 } });
    new Trainer({ ...opts, checkpoint: { dir, keep: 10 }, onEpochEnd: (e) => e < 2 }).fit(model(), data);
    // Rewrite epoch 2 as format 1 wrote it: every BiasedMF option at the top level, resealed.
    const p = join(dir, 'epoch-000002', 'checkpoint.json');
    const { sha256: _, ...body } = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    const { solver, ...rest } = body.config as Record<string, unknown>;
    expect(solver).toEqual({ kind: 'minibatch', optimizer: 'adagrad', batchSize: 64 });
    const old = { ...body, formatVersion: 1, config: { ...rest, solver: 'minibatch', optimizer: 'adagrad', batchSize: 64, schedule: 'shuffle', threads: 1, grid: 0 } };
    writeFileSync(p, JSON.stringify({ ...old, sha256: createHash('sha256').update(JSON.stringify(old)).digest('hex') }));
    expect(readCheckpoint(join(dir, 'epoch-000002')).config).toEqual(body.config);
    const straight = model();
    new Trainer(opts).fit(straight, data);
    const resumed = model();
    new Trainer({ ...opts, resumeFrom: join(dir, 'epoch-000002') }).fit(resumed, data);
    expect(bits(resumed)).toEqual(bits(straight));
  });

  it('refuses to resume with another model, configuration, seed or data', () => {
    const dir = makeRun();
    const at = join(dir, 'epoch-000002');
    expect(() => new Trainer({ epochs: 3, seed: 1, resumeFrom: at }).fit(new ALS({ factors: 4 }), data)).toThrow(/Trainer.fit: checkpoint .* is for a 'bpr' model, got a 'als' model/);
    expect(() => new Trainer({ epochs: 3, seed: 1, resumeFrom: at }).fit(new BPR({ factors: 5 }), data)).toThrow(/was trained with factors = 4, got 5; build the model with the checkpoint's configuration/);
    expect(() => new Trainer({ epochs: 3, seed: 2, resumeFrom: at }).fit(new BPR({ factors: 4 }), data)).toThrow(/was trained with seed 1, got 2/);
    const other = { ...data, userIds: data.userIds.slice(), itemIds: data.itemIds, ratings: data.ratings, numUsers: data.numUsers, numItems: data.numItems };
    other.userIds[0] = (other.userIds[0] + 1) % data.numUsers;
    expect(() => new Trainer({ epochs: 3, seed: 1, resumeFrom: at }).fit(new BPR({ factors: 4 }), other)).toThrow(/was trained on other data \(2000 rows, 120 users × 80 items\), got 2000 rows, 120 × 80/);
    expect(() => new Trainer({ resumeFrom: join(root, 'nothing-here') }).fit(new BPR({ factors: 4 }), data)).toThrow(/resumeFrom must be a checkpoint folder or a folder holding epoch-000001-style checkpoints, got ".*nothing-here" \(none found\)/);
  });

  it('refuses to resume a checkpoint that has done more epochs than asked for (it would return the longer run silently)', () => {
    const dir = makeRun();
    const at = join(dir, 'epoch-000002');
    expect(() => new Trainer({ epochs: 1, seed: 1, resumeFrom: at }).fit(new BPR({ factors: 4 }), data)).toThrow(
      /^Trainer.fit: epochs must be at least the 2 epochs checkpoint .*epoch-000002 has done \(resuming cannot train backwards\), got 1; pass epochs >= 2$/,
    );
    // As many epochs as the checkpoint has: nothing left to train, the checkpoint's weights come back.
    const same = new BPR({ factors: 4 });
    const h = new Trainer({ epochs: 2, seed: 1, resumeFrom: at }).fit(same, data);
    expect(h.epochs).toHaveLength(2);
  });

  it('checks the checkpoint options at construction', () => {
    expect(() => new Trainer({ checkpoint: { dir: '' } })).toThrow(/Trainer: options.checkpoint.dir must be a non-empty string, got ""/);
    expect(() => new Trainer({ checkpoint: { dir: 'x', every: 0 } })).toThrow(/options.checkpoint.every must be a positive integer/);
    expect(() => new Trainer({ checkpoint: { dir: 'x', keep: 1.5 } })).toThrow(/options.checkpoint.keep must be a positive integer/);
    expect(() => new Trainer({ checkpoint: { dir: 'x', evry: 2 } as never })).toThrow(/options.checkpoint.*evry/);
    expect(() => new Trainer({ checkpoint: 'x' as never })).toThrow(/options.checkpoint must be \{ dir, every, keep \}, got/);
    expect(() => new Trainer({ resumeFrom: 3 as never })).toThrow(/options.resumeFrom must be a checkpoint path, got 3/);
    const fake = { ...new Popularity(), kind: 'x', initialize() {}, fitEpoch: () => 0, getState: () => ({}), setState() {}, getConfig: () => ({}), predict: () => new Float32Array(0), scoreAllItems: () => new Float32Array(0), seenItems: () => null, setSeen() {} };
    expect(() => new Trainer({ checkpoint: { dir: fresh() } }).fit(fake as never, data)).toThrow(/checkpoint and resumeFrom need a model with getTrainingState\(\) \/ setTrainingState\(\)/);
  });
});

describe('divergence with checkpoints', () => {
  it('names the epoch and batch, restores the last good weights and points to the last checkpoint', () => {
    const dir = fresh();
    // lr grows 30x per epoch: fine at first, then the mini-batch loss overflows.
    const model = new BiasedMF({ factors: 4, solver: { kind: 'minibatch', optimizer: 'sgd', batchSize: 100 }, lr: 0.005, lrDecay: 30 });
    let err: unknown;
    const seen: string[][] = [];
    try {
      new Trainer({ epochs: 10, seed: 1, checkpoint: { dir }, onEpochEnd: () => { seen.push(bits(model)); } }).fit(model, data);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainingDivergedError);
    const e = err as TrainingDivergedError;
    expect(e.batch).not.toBeNull();
    expect(e.message).toMatch(new RegExp(`^Trainer\\.fit: training diverged at epoch ${e.epoch + 1}, batch ${e.batch! + 1} of 20: the loss is (NaN|Infinity); the weights after epoch ${e.epoch} were restored \\(the last checkpoint is .*epoch-0*${e.epoch}\\); try a lower learning rate \\(lr is 0.005\\)$`));
    expect(bits(model)).toEqual(seen[seen.length - 1]);
    for (const w of Object.values(model.getState())) for (const x of w.data) expect(Number.isFinite(x)).toBe(true);
    expect(latestCheckpoint(dir).checkpoint!.epoch).toBe(e.epoch);
  });
});

function flip(path: string, at: number): void {
  const b = readFileSync(path);
  b[at < 0 ? b.length + at : at] ^= 0x40;
  writeFileSync(path, b);
}

function edit(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  expect(text.includes(from)).toBe(true);
  writeFileSync(path, text.replace(from, to));
}

