import type { ErrorHint } from '@quiver/base';

/** How the flags of `quiver` name the loader options that `@quiver/data` errors suggest. */
const FLAG_OF: Record<string, (value: string) => string> = {
  onInvalid: (v) => `--on-invalid ${v}`,
  columns: () => '--columns user,item[,rating[,timestamp]] (header names or 0-based indices)',
  delimiter: (v) => `--delimiter ${v === '\t' || v === '\\t' ? 'tab' : v === ' ' ? 'space' : v}`,
  idType: (v) => `--id-type ${v}`,
  duplicates: (v) => `--duplicates ${v.split('|').join(' | ')}`,
  maxLineBytes: () => '--max-line-bytes N',
  format: (v) => `--format ${v.split('|').join(' | ')}`,
};

/**
 * The advice of a `@quiver/data` input error in the command line's own words: the flag that
 * sets the suggested option (`; use --on-invalid skip ...`), or '' when no flag sets it. Built
 * from the error's fields, never from its message text.
 * @example
 * cliHint({ option: 'onInvalid', value: 'skip' }); // '; use --on-invalid skip'
 */
export function cliHint(hint: ErrorHint | null): string {
  if (hint === null || !Object.hasOwn(FLAG_OF, hint.option)) return '';
  return `; use ${FLAG_OF[hint.option](hint.value)}`;
}
