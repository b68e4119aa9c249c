// Checked by `npm test` (tsc --noEmit over test/): each @ts-expect-error line must be a type error,
// so a solver option its kind does not have cannot be written in TypeScript.
import type { AlsOptions, BiasedMfOptions } from '../../src/index.js';

export const valid: BiasedMfOptions[] = [
  { solver: 'sgd' },
  { solver: 'minibatch' },
  { solver: { kind: 'sgd' } },
  { solver: { kind: 'sgd', schedule: 'shuffle' } },
  { solver: { kind: 'sgd', schedule: 'blocks', threads: 2, grid: 4 } },
  { solver: { kind: 'minibatch', optimizer: 'adagrad', batchSize: 64 } },
];
export const validAls: AlsOptions[] = [{ solver: 'cholesky' }, { solver: { kind: 'cg', steps: 2, threads: 2 } }, { solver: { kind: 'cholesky' } }];

export const invalid: BiasedMfOptions[] = [
  // @ts-expect-error threads belong to schedule 'blocks'
  { solver: { kind: 'sgd', threads: 2 } },
  // @ts-expect-error grid belongs to schedule 'blocks'
  { solver: { kind: 'sgd', schedule: 'shuffle', grid: 3 } },
  // @ts-expect-error the mini-batch solver has no schedule
  { solver: { kind: 'minibatch', schedule: 'blocks' } },
  // @ts-expect-error the SGD solver has no optimizer
  { solver: { kind: 'sgd', optimizer: 'adagrad' } },
  // @ts-expect-error solver options are not top-level options
  { schedule: 'blocks' },
  // @ts-expect-error solver options are not top-level options
  { batchSize: 64 },
];
export const invalidAls: AlsOptions[] = [
  // @ts-expect-error the exact solve runs on one thread
  { solver: { kind: 'cholesky', threads: 2 } },
  // @ts-expect-error steps belong to the CG solver
  { solver: { kind: 'cholesky', steps: 3 } },
  // @ts-expect-error solver options are not top-level options
  { cgSteps: 3 },
];
