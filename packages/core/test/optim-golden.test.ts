import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Parameter } from '../src/parameter.js';
import { Adagrad } from '../src/optim/adagrad.js';
import { Adam } from '../src/optim/adam.js';
import { AdamW } from '../src/optim/adamw.js';
import type { Optimizer } from '../src/optim/optimizer.js';
import { RowWiseAdagrad } from '../src/optim/row-wise-adagrad.js';
import { SGD } from '../src/optim/sgd.js';
import { SparseAdam } from '../src/optim/sparse-adam.js';
import { CosineAnnealingLR } from '../src/optim/schedules/cosine-annealing-lr.js';
import { ExponentialLR } from '../src/optim/schedules/exponential-lr.js';
import { LambdaLR } from '../src/optim/schedules/lambda-lr.js';
import { LinearWarmup } from '../src/optim/schedules/linear-warmup.js';
import type { LrScheduler } from '../src/optim/schedules/lr-scheduler.js';
import { StepLR } from '../src/optim/schedules/step-lr.js';

// Golden values produced by real PyTorch 1.13: see test/golden/gen_optim.py.
type GradRecord = { dense: number[] } | { rows: number[]; values: number[] };
interface Case {
  name: string;
  optimizer: 'SGD' | 'Adagrad' | 'RowWiseAdagrad' | 'Adam' | 'AdamW' | 'SparseAdam';
  options: Record<string, unknown>;
  groups: { params: number[]; overrides: Record<string, unknown> }[] | null;
  shapes: number[][];
  init: number[][];
  steps: { grads: GradRecord[]; weights: number[][] }[];
}
interface ScheduleCase {
  name: string;
  options: Record<string, number>;
  baseLrs: number[];
  lrs: number[][];
}

const golden = JSON.parse(readFileSync(new URL('./golden/optim.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
  schedules: ScheduleCase[];
};

const REL = 1e-5;
const ABS = 1e-6;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = Math.max(ABS, REL * Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, torch ${expected[i]} (tolerance ${tol})`);
    }
  }
}

function makeOptimizer(c: Case, params: Parameter[]): Optimizer<any, object> {
  const input = c.groups === null
    ? params
    : c.groups.map((g) => ({ params: g.params.map((i) => params[i]), ...g.overrides }));
  const p = input as any;
  const o = c.options as never;
  switch (c.optimizer) {
    case 'SGD': return new SGD(p, o);
    case 'Adagrad': return new Adagrad(p, o);
    case 'RowWiseAdagrad': return new RowWiseAdagrad(p, o);
    case 'Adam': return new Adam(p, o);
    case 'AdamW': return new AdamW(p, o);
    case 'SparseAdam': return new SparseAdam(p, o);
  }
}

describe(`optimizers match PyTorch ${golden.torch}`, () => {
  it('has the expected cases', () => {
    expect(golden.cases.map((c) => c.name)).toEqual(expect.arrayContaining([
      'sgd_momentum_weight_decay', 'sgd_nesterov', 'sgd_sparse', 'sgd_sparse_momentum', 'adagrad_dense',
      'adagrad_sparse', 'sparse_adam', 'adam_weight_decay', 'adam_amsgrad', 'adamw', 'row_wise_adagrad_sparse',
    ]));
  });

  for (const c of golden.cases) {
    it(`${c.name}: ${c.steps.length} steps`, () => {
      const params = c.shapes.map((s, i) => new Parameter(Float32Array.from(c.init[i]), s, { name: `p${i}` }));
      const opt = makeOptimizer(c, params);
      c.steps.forEach((step, t) => {
        opt.zeroGrad();
        step.grads.forEach((g, i) => {
          if ('dense' in g) params[i].accumulateDense(Float32Array.from(g.dense));
          else params[i].accumulateSparse({ rows: Int32Array.from(g.rows), values: Float32Array.from(g.values), dim: params[i].rowSize });
        });
        opt.step();
        step.weights.forEach((w, i) => expectClose(params[i].data, w, `${c.name} step ${t + 1} param ${i}`));
      });
    });
  }
});

describe(`schedules match PyTorch ${golden.torch}`, () => {
  const make = (name: string, opt: { paramGroups: { lr: number }[] }, o: Record<string, number>): LrScheduler => {
    switch (name) {
      case 'StepLR': return new StepLR(opt, o.stepSize, { gamma: o.gamma });
      case 'ExponentialLR': return new ExponentialLR(opt, o.gamma);
      case 'CosineAnnealingLR': return new CosineAnnealingLR(opt, o.tMax, { etaMin: o.etaMin });
      case 'LinearWarmup': return new LinearWarmup(opt, o);
      case 'LambdaLR': return new LambdaLR(opt, (e) => 1 / (1 + e));
      default: throw new Error(`unknown schedule ${name}`);
    }
  };
  for (const s of golden.schedules) {
    it(`${s.name}: ${s.lrs.length} epochs`, () => {
      const a = new Parameter(new Float32Array(1), [1]);
      const b = new Parameter(new Float32Array(1), [1]);
      const opt = new SGD([{ params: [a], lr: s.baseLrs[0] }, { params: [b], lr: s.baseLrs[1] }], { lr: s.baseLrs[0] });
      const sched = make(s.name, opt, s.options);
      s.lrs.forEach((expected, epoch) => {
        if (epoch > 0) {
          opt.step();
          sched.step();
        }
        expectClose(sched.getLastLr(), expected, `${s.name} epoch ${epoch}`);
        expectClose(opt.paramGroups.map((g) => g.lr), expected, `${s.name} groups epoch ${epoch}`);
      });
    });
  }
});

describe('golden fixture sanity', () => {
  it('sparse cases carry repeated rows (uncoalesced, as nn.Embedding(sparse=True) gives)', () => {
    const c = golden.cases.find((x) => x.name === 'sparse_adam')!;
    const g = c.steps[0].grads[0] as { rows: number[] };
    expect(new Set(g.rows).size).toBeLessThan(g.rows.length);
  });
});
