import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ALS, BPR, Baseline, BiasedMF, Popularity, RandomRecommender, loadModel, saveModel, createModel } from '../../src/index.js';
import { plantedData, resealManifest } from '../fixtures.js';
import { errorClass } from '@quiver/base';

const root = mkdtempSync(join(tmpdir(), 'quiver-mf-rel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Kind = 'pos' | 'nonneg' | 'posint' | 'nonnegint' | 'seed';
// (null is not listed: @quiver/mf treats an explicit null like an absent option, i.e. the default.)
const badValues: Record<Kind, unknown[]> = {
  pos: [0, -1, -1e-9, NaN, Infinity, -Infinity, '0.1', true],
  nonneg: [-1, -1e-9, NaN, Infinity, '0.1', false],
  posint: [0, -1, 1.5, NaN, Infinity, '8'],
  nonnegint: [-1, 2.5, NaN, Infinity, '8'],
  seed: [NaN, Infinity, -Infinity, '42', {}],
};

const models: Array<[string, (o: Record<string, unknown>) => unknown, Record<string, Kind>]> = [
  ['BiasedMF', (o) => new BiasedMF(o), { factors: 'posint', epochs: 'nonnegint', lr: 'pos', lrBias: 'pos', reg: 'nonneg', regBias: 'nonneg', initStd: 'pos', lrDecay: 'pos', seed: 'seed' }],
  ['Baseline', (o) => new Baseline(o), { epochs: 'nonnegint', lr: 'pos', reg: 'nonneg', seed: 'seed' }],
  ['BPR', (o) => new BPR(o), { factors: 'posint', epochs: 'nonnegint', lr: 'pos', reg: 'nonneg', alpha: 'nonneg', foldInEpochs: 'posint', seed: 'seed' }],
  ['ALS', (o) => new ALS(o), { factors: 'posint', epochs: 'nonnegint', reg: 'nonneg', alpha: 'nonneg', seed: 'seed' }],
  ['RandomRecommender', (o) => new RandomRecommender(o), { seed: 'seed' }],
];

describe('model options are checked at construction', () => {
  for (const [name, make, options] of models) {
    it(`${name}: every numeric option out of range or of the wrong kind is refused, naming it`, () => {
      const entries = Object.entries(options).flatMap(([opt, kind]) => badValues[kind].map((v) => [opt, v] as const));
      fc.assert(fc.property(fc.constantFrom(...entries), ([opt, v]) => {
        let err: unknown;
        try {
          make({ [opt]: v });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(typeof v === 'number' ? RangeError : TypeError);
        expect((err as Error).message).toMatch(new RegExp(`^${name}: ${opt} must be .*, got `));
      }), { numRuns: 60, seed: 1 });
    });
    it(`${name}: unknown option names are refused`, () => {
      expect(() => make({ learningRate: 0.1 })).toThrow(new RegExp(`^${name}.*learningRate`));
      expect(() => make({ constructor: 1 })).toThrow(TypeError);
      expect(() => make(JSON.parse('{"__proto__": {"x": 1}}'))).toThrow(TypeError);
    });
  }
  it('Popularity takes no options; enum options are checked', () => {
    expect(() => new Popularity({ k: 1 } as never)).toThrow(/^Popularity.*"?k"?/);
    expect(() => new BiasedMF({ solver: 'adam' as never })).toThrow(/^BiasedMF: solver.kind must be one of/);
    expect(() => new BiasedMF({ solver: { kind: 'minibatch', optimizer: 'adam' as never } })).toThrow(/^BiasedMF: solver.optimizer must be one of/);
    expect(() => new ALS({ solver: 'qr' as never })).toThrow(/^ALS: solver.kind must be one of/);
    expect(() => new BPR({ negativeSampling: 'zipf' as never })).toThrow(/^BPR: negativeSampling must be one of/);
  });
});

describe('model.json fuzzing and prototype pollution', () => {
  const data = plantedData();
  const model = new BiasedMF({ factors: 2, epochs: 2 });
  model.fit(data);
  const dir = join(root, 'model');

  it('mutated and truncated manifests load or throw a documented error; Object.prototype stays clean', async () => {
    await saveModel(model, dir);
    const text = readFileSync(join(dir, 'model.json'));
    const arb = fc.oneof(
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })), { minLength: 1, maxLength: 4 }).map((edits) => {
        const b = Buffer.from(text);
        for (const [at, v] of edits) b[at % b.length] = v;
        return b;
      }),
      fc.nat({ max: text.length - 1 }).map((n) => text.subarray(0, n)),
    );
    let n = 0;
    const outcomes = new Set<string>();
    await fc.assert(fc.asyncProperty(arb, async (bytes) => {
      const d = join(root, `m${n++}`);
      cpSync(dir, d, { recursive: true });
      writeFileSync(join(d, 'model.json'), bytes);
      try {
        const { model: m } = await loadModel(d);
        expect(m.isFitted).toBe(true);
        outcomes.add('ok');
      } catch (err) {
        expect([Error, TypeError, RangeError]).toContain(errorClass(err));
        expect((err as Error).message.length).toBeGreaterThan(10);
        outcomes.add('error');
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
      expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    }), { numRuns: 120, seed: 2 });
    expect(outcomes.has('error')).toBe(true);
  }, 30_000);

  it('__proto__ anywhere is refused; constructor / prototype keys reach nothing', async () => {
    await saveModel(model, dir);
    const original = readFileSync(join(dir, 'model.json'), 'utf8');
    const put = (from: string, to: string) => {
      expect(original.includes(from)).toBe(true);
      writeFileSync(join(dir, 'model.json'), original.replace(from, to));
    };
    put('"config": {', '"config": {"__proto__":{"polluted":true},');
    await expect(loadModel(dir)).rejects.toThrow(/^loadModel: model.json is not valid JSON: a "__proto__" key is not allowed/);
    put('"files": {', '"files": {"__proto__":{"bytes":1,"sha256":"x"},');
    await expect(loadModel(dir)).rejects.toThrow(/a "__proto__" key is not allowed/);
    put('"config": {', '"config": {"constructor":{"prototype":{"polluted":true}},');
    await expect(loadModel(dir)).rejects.toThrow(/^loadModel: model.json checksum mismatch \(the manifest was modified\)/);
    // Resealed (checksum recomputed), the keys reach the checks behind the checksum, and nothing else.
    writeFileSync(join(dir, 'model.json'), resealManifest(original, (m) => {
      Object.assign(m.config as object, { constructor: { prototype: { polluted: true } } });
    }));
    await expect(loadModel(dir)).rejects.toThrow(/^BiasedMF: unknown option "?constructor"?/);
    writeFileSync(join(dir, 'model.json'), resealManifest(original, (m) => {
      Object.assign(m, { constructor: { prototype: { polluted: true } } });
    }));
    const { model: m } = await loadModel(dir); // an extra top-level key is ignored, and harmless
    expect(m.isFitted).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    expect(() => createModel('biased-mf', JSON.parse('{"__proto__":{"polluted":true}}'))).toThrow(TypeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
