/**
 * Reads a model configuration written before the solver options became tagged unions (a
 * `model.json` or checkpoint of format 2 or older): BiasedMF's top-level `schedule`, `threads`,
 * `grid`, `optimizer`, `batchSize` and ALS's `cgSteps`, `threads` move into `solver`; options the
 * old solver ignored (such as `batchSize` of the `'sgd'` solver, which older files record) are
 * dropped. A configuration without them is returned unchanged, so this is safe on any file.
 *
 * @param kind - The model kind the configuration is for.
 * @param config - The configuration as read from the file.
 * @returns The configuration in today's form (a new object when anything moved).
 * @example
 * upgradeModelConfig('biased-mf', { factors: 8, solver: 'sgd', schedule: 'blocks', threads: 2 });
 * // { factors: 8, solver: { kind: 'sgd', schedule: 'blocks', threads: 2 } }
 */
export function upgradeModelConfig(kind: string, config: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'biased-mf') return upgradeBiasedMf(config);
  if (kind === 'als') return upgradeAls(config);
  return config;
}

function upgradeBiasedMf(config: Record<string, unknown>): Record<string, unknown> {
  const { schedule, threads, grid, optimizer, batchSize, ...rest } = config;
  if ([schedule, threads, grid, optimizer, batchSize].every((v) => v === undefined) || typeof (config.solver ?? 'sgd') !== 'string') return config;
  const kind = config.solver ?? 'sgd';
  const solver =
    kind === 'minibatch'
      ? defined({ kind, optimizer, batchSize })
      : schedule === 'blocks'
        ? defined({ kind, schedule, threads, grid })
        : defined({ kind, schedule, threads: threads === 1 ? undefined : threads });
  return { ...rest, solver };
}

function upgradeAls(config: Record<string, unknown>): Record<string, unknown> {
  const { cgSteps, threads, ...rest } = config;
  if ((cgSteps === undefined && threads === undefined) || typeof (config.solver ?? 'cg') !== 'string') return config;
  const kind = config.solver ?? 'cg';
  const solver = kind === 'cg' ? defined({ kind, steps: cgSteps, threads }) : defined({ kind, threads: threads === 1 ? undefined : threads });
  return { ...rest, solver };
}

/** `o` without its undefined entries. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
