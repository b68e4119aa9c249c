// Bundles the page: app.js and @quiver/mf's browser entry (the `browser` condition of its
// package.json exports, which pulls @quiver/core's browser entry and @quiver/base) into
// dist/app.bundle.js with esbuild, for the browser. Fails, naming the importer, if anything
// pulls a Node builtin (`node:*`, or a bare `fs`, `path`, …), so the page can never depend on one.
//
//   node examples/browser/build.mjs            # after `npm run build` (it bundles the packages' dist/)
import { builtinModules } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Where index.html loads the bundle from. */
export const BUNDLE = resolve(HERE, 'dist', 'app.bundle.js');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const BUILTIN = new RegExp(`^(node:.*|(${builtinModules.map(escape).join('|')})(/.*)?)$`);

/** An esbuild plugin that turns every import of a Node builtin into a build error naming its importer. */
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: BUILTIN }, (args) => ({
      errors: [{ text: `${args.path} is a Node builtin, imported by ${relative(process.cwd(), args.importer) || args.importer}: the page must not need Node` }],
    }));
  },
};

/**
 * Bundles app.js (or `entry`) into `outfile`.
 * @returns The bundle's path and size, and the files that went into it.
 * @throws When esbuild fails (a Node builtin pulled in, a missing export, a missing dist/ build).
 */
export async function buildPage({ entry = resolve(HERE, 'app.js'), outfile = BUNDLE, minify = true } = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2022'],
    outfile,
    minify,
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  });
  const output = Object.values(result.metafile.outputs)[0];
  const external = output.imports.filter((i) => i.external).map((i) => i.path);
  if (external.length > 0) throw new Error(`build: the bundle still imports ${external.join(', ')}`);
  return { outfile, bytes: output.bytes, inputs: Object.keys(result.metafile.inputs) };
}

async function main() {
  let r;
  try {
    r = await buildPage();
  } catch (err) {
    const lines = err.errors?.map((e) => `  ${e.text}${e.location === null || e.location === undefined ? '' : ` (${e.location.file}:${e.location.line})`}`) ?? [`  ${err.message}`];
    process.stderr.write(`build: esbuild failed:\n${lines.join('\n')}\n`);
    process.exit(1);
  }
  const rel = relative(process.cwd(), r.outfile);
  console.log(`build: ${rel} (${(r.bytes / 1024).toFixed(0)} KiB, ${r.inputs.length} modules, no Node builtin)`);
  console.log(`Serve examples/browser over http://127.0.0.1 or localhost (Web Crypto needs a secure context) and open it:
  npx quiver serve --static examples/browser --model examples/browser/model
or any static file server, such as:
  python3 -m http.server 8080 --bind 127.0.0.1 --directory examples/browser   # then open http://127.0.0.1:8080/`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
