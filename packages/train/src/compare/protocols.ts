import { checkTemporalLeakage, leaveLastOut, randomSplit, strongGeneralizationSplit, temporalSplit, type Interactions } from '@quiver/data';
import type { FoldInRecommender } from '@quiver/mf';
import { evaluateHeldOutUsers } from '../evaluate-held-out.js';
import { evaluateRanking } from '../evaluate-ranking.js';
import { evaluateSampled } from '../evaluate-sampled.js';
import type { ItemFeatures } from '../metrics/beyond-accuracy.js';
import type { RankingGroups } from '../ranking-summary.js';

/** The evaluation protocols of `quiver compare` and {@link planProtocol}. */
export const PROTOCOLS = ['full', 'loo-sampled', 'strong-gen', 'temporal'] as const;

/** One evaluation protocol. */
export type Protocol = (typeof PROTOCOLS)[number];

/** What each protocol is and where it comes from (shown in the help and the reports). */
export const PROTOCOL_DESCRIPTIONS: Readonly<Record<Protocol, string>> = {
  full: 'random 80/20 split of the interactions, every unseen item ranked (Krichene & Rendle 2020)',
  'loo-sampled': "each user's latest interaction held out, ranked among sampled negatives (He et al. 2017's NCF protocol; sampled metrics can reorder models, Krichene & Rendle 2020)",
  'strong-gen': "held-out users, 80% of each one's history folded in, the rest predicted (Liang et al. 2018; Steck 2019)",
  temporal: 'global time cut: the latest 20% of interactions are the test part, no test row earlier than its user\'s training rows',
};

/** How a protocol evaluates. */
export interface ProtocolSettings {
  /** Cut-off of the top-k metrics. */
  readonly k: number;
  /** Ratings at or above this are relevant; null: every held-out interaction. */
  readonly relevantMin: number | null;
  /** Sampled negatives per user (loo-sampled). */
  readonly negatives: number;
  /** Seed of the splits and the negative sampling. */
  readonly seed: number;
  /** Item features for intra-list diversity, or null. */
  readonly itemFeatures: ItemFeatures | null;
}

/** One model evaluation under a protocol: the means and each evaluated user's values. */
export interface StageResult {
  /** Means over evaluated users (and the list-level metrics). */
  readonly metrics: Readonly<Record<string, number>>;
  /** The evaluated users (dense ids, ascending): the same for every model of one stage. */
  readonly users: Int32Array;
  /** Per metric that is a mean over users: each user's value. */
  readonly values: Readonly<Record<string, Float64Array>>;
  /** Metrics by user activity and item popularity (full-ranking protocols), or null. */
  readonly groups: RankingGroups | null;
}

/** A training part and how to evaluate a model fitted on it. */
export interface ProtocolStage {
  /** What the model is fitted on. */
  readonly train: Interactions;
  /** Evaluates a model fitted on `train`. */
  evaluate(model: FoldInRecommender): StageResult;
  /** Interactions held out for evaluation (for the summary). */
  readonly heldOutRows: number;
}

/** A protocol applied to one dataset: the test stage and, carved from its training part only, the validation stage. */
export interface ProtocolPlan {
  /** The protocol. */
  readonly protocol: Protocol;
  /** The final evaluation: fitted on the whole training part. */
  readonly test: ProtocolStage;
  /** The tuning evaluation, carved from the test stage's training part (never from the test part). */
  readonly validation: ProtocolStage;
  /** The metric ranking models by default: NDCG@k (sampled under loo-sampled). */
  readonly metric: string;
}

/**
 * Splits `data` for a protocol, and splits the training part again the same way for validation,
 * so that tuning never sees the test part (nested evaluation).
 * - `full`: `randomSplit` 80/20, cold test rows dropped; evaluated by `evaluateRanking`.
 * - `loo-sampled`: `leaveLastOut`; evaluated by `evaluateSampled` with `negatives` negatives.
 * - `strong-gen`: `strongGeneralizationSplit` with 10% test and 10% validation users; evaluated
 *   by `evaluateHeldOutUsers`.
 * - `temporal`: `temporalSplit` at the 80% time quantile; both cuts are checked with
 *   `checkTemporalLeakage`; evaluated by `evaluateRanking`.
 * @returns The two stages and the default metric.
 * @example
 * const plan = planProtocol(data, 'full', { k: 10, relevantMin: null, negatives: 100, seed: 42, itemFeatures: null });
 */
export function planProtocol(data: Interactions, protocol: Protocol, s: ProtocolSettings): ProtocolPlan {
  const rankingOptions = { k: s.k, relevantMin: s.relevantMin, perUser: true, groups: true, ...(s.itemFeatures === null ? {} : { itemFeatures: s.itemFeatures }) };
  const ranked = (train: Interactions, test: Interactions): ProtocolStage => ({
    train,
    heldOutRows: test.length,
    evaluate: (model) => fromRanking(evaluateRanking(model, train, test, rankingOptions)),
  });
  switch (protocol) {
    case 'full': {
      const outer = randomSplit(data, { testFraction: 0.2, seed: s.seed });
      const inner = randomSplit(outer.train, { testFraction: 0.2, seed: s.seed + 1 });
      return { protocol, test: ranked(outer.train, outer.test), validation: ranked(inner.train, inner.test), metric: `ndcg@${s.k}` };
    }
    case 'temporal': {
      const outer = temporalSplit(data, { testFraction: 0.2 });
      checkTemporalLeakage(outer.train, outer.test, { where: 'compare (temporal)' });
      const inner = temporalSplit(outer.train, { testFraction: 0.2 });
      checkTemporalLeakage(inner.train, inner.test, { where: 'compare (temporal validation)' });
      return { protocol, test: ranked(outer.train, outer.test), validation: ranked(inner.train, inner.test), metric: `ndcg@${s.k}` };
    }
    case 'loo-sampled': {
      const sampled = (train: Interactions, test: Interactions, seed: number): ProtocolStage => ({
        train,
        heldOutRows: test.length,
        evaluate: (model) => {
          const r = evaluateSampled(model, train, test, { k: s.k, negatives: s.negatives, seed, relevantMin: s.relevantMin, perUser: true });
          const pu = r.perUser!;
          const values: Record<string, Float64Array> = {};
          for (const name of Object.keys(r.metrics)) {
            if (name.startsWith('hitRate@')) values[name] = pu.hitRate;
            else if (name.startsWith('ndcg@')) values[name] = pu.ndcg;
          }
          return { metrics: r.metrics, users: pu.users, values, groups: null };
        },
      });
      const outer = leaveLastOut(data);
      const inner = leaveLastOut(outer.train);
      return { protocol, test: sampled(outer.train, outer.test, s.seed), validation: sampled(inner.train, inner.test, s.seed + 1), metric: `ndcg@${s.k}(sampled ${s.negatives})` };
    }
    case 'strong-gen': {
      const split = strongGeneralizationSplit(data, { testUsers: 0.1, validationUsers: 0.1, seed: s.seed });
      const heldOut = (part: { foldIn: Interactions; test: Interactions }): ProtocolStage => ({
        train: split.train,
        heldOutRows: part.test.length,
        evaluate: (model) => fromRanking(evaluateHeldOutUsers(model, split.train, part.foldIn, part.test, rankingOptions)),
      });
      // Validation users are held out of the training part too; the final fit also leaves them
      // out, so the test users are scored by exactly the model that was tuned.
      return { protocol, test: heldOut(split.test), validation: heldOut(split.validation!), metric: `ndcg@${s.k}` };
    }
  }
}

function fromRanking(r: ReturnType<typeof evaluateRanking>): StageResult {
  const pu = r.perUser!;
  return { metrics: r.metrics, users: pu.users, values: pu.values, groups: r.groups ?? null };
}
