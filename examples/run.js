// `npm run example -w @quiver/examples -- <name>`: runs examples/<name>.js (list them with no name).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here).filter((f) => f.endsWith('.js') && f !== 'run.js' && f !== 'vitest.config.js' && f !== 'repl.js').map((f) => f.slice(0, -3)).sort();
const name = process.argv[2]?.replace(/\.js$/, '');
if (name === undefined || !names.includes(name)) {
  process.stderr.write(`${name === undefined ? '' : `run: unknown example ${JSON.stringify(name)}; `}examples: ${names.join(', ')}\nusage: npm run example -w @quiver/examples -- <name>\n`);
  process.exit(name === undefined ? 0 : 2);
}
await import(pathToFileURL(join(here, `${name}.js`)).href);
