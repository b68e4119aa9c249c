// The quality figures the READMEs quote must be what their commands print: each ranking row of
// the root README's model table and of @quiver/train's quality table is rerun through the CLI
// command named next to it, the README's shell example line is compared with what that command
// prints, and the `npm start` figures with a full run of examples/main.js. (Timings are not
// compared: they vary from run to run; the metrics are seeded.)
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}packages/train/bin/quiver.js`;
const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const trainReadme = readFileSync(`${ROOT}packages/train/README.md`, 'utf8');

function run(args) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${args.join(' ')} failed: ${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

const f4 = (x) => x.toFixed(4);
const cache = new Map();
/** `quiver train --data ml-latest-small --model <kind> --relevant-min 4`: the human line and the JSON metrics. */
function cli(kind) {
  if (!cache.has(kind)) {
    const args = [BIN, 'train', '--data', 'ml-latest-small', '--model', kind, '--relevant-min', '4'];
    cache.set(kind, Promise.all([run(args), run([...args, '--json'])]).then(([human, json]) => ({
      line: human.stderr.split('\n').find((l) => l.startsWith('quiver: test P@10')),
      metrics: JSON.parse(json.stdout).metrics,
    })));
  }
  return cache.get(kind);
}

describe('README figures are what their commands print', () => {
  it("the root README's shell example: quiver train --model als --relevant-min 4", async () => {
    const quoted = /^# (quiver: test P@10 .+)$/m.exec(readme)?.[1];
    expect(quoted).toBeDefined();
    expect(readme).toMatch(/npx quiver train --data ml-latest-small --model als --relevant-min 4 --out runs\/als\n# quiver: test P@10/);
    expect((await cli('als')).line).toBe(quoted);
  }, 120_000);

  it("the root README's model table (ranking rows)", async () => {
    for (const [name, kind] of [['BPR', 'bpr'], ['ALS', 'als']]) {
      const row = new RegExp(`^\\| \`${name}\` \\|.*\\| P@10 (\\d\\.\\d{4}) / NDCG@10 (\\d\\.\\d{4}) \\(implicit's P@10 (\\d\\.\\d{4})\\) \\|$`, 'm').exec(readme);
      expect(row, name).not.toBeNull();
      const m = (await cli(kind)).metrics;
      expect([row[1], row[2], row[3]]).toEqual([f4(m['precision@10']), f4(m['ndcg@10']), f4(m['implicitPrecision@10'])]);
    }
    const pop = /Popularity P@10 (\d\.\d{4}) \/ NDCG@10 (\d\.\d{4})/.exec(readme);
    const m = (await cli('popularity')).metrics;
    expect([pop[1], pop[2]]).toEqual([f4(m['precision@10']), f4(m['ndcg@10'])]);
  }, 120_000);

  it("@quiver/train's quality table: every ranking row equals the CLI command in its last column", async () => {
    const rows = [...trainReadme.matchAll(/^\| (Random|Popularity|BPR \(defaults\)|ALS \(defaults\)) \| (.+) \| `npx quiver train --data ml-latest-small --model (\w+) --relevant-min 4` \|$/gm)];
    expect(rows.map((r) => r[3])).toEqual(['random', 'popularity', 'bpr', 'als']);
    for (const r of rows) {
      const cells = r[2].split(' | ');
      const m = (await cli(r[3])).metrics;
      const keys = ['precision@10', 'implicitPrecision@10', 'recall@10', 'ndcg@10', 'map@10', 'hitRate@10', 'auc', 'coverage@10'];
      expect(cells.slice(0, keys.length), r[1]).toEqual(keys.map((k) => f4(m[k])));
    }
  }, 180_000);

  it('npm start prints the RMSE and MAE the README quotes', async () => {
    const quoted = /prints `Test RMSE: (\d\.\d{4})` and `Test MAE: {2}(\d\.\d{4})`/.exec(readme);
    expect(quoted).not.toBeNull();
    const { stdout } = await run([`${ROOT}examples/main.js`]);
    expect(/Test RMSE: (\d\.\d{4})/.exec(stdout)[1]).toBe(quoted[1]);
    expect(/Test MAE: {2}(\d\.\d{4})/.exec(stdout)[1]).toBe(quoted[2]);
  }, 120_000);
});
