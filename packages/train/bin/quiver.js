#!/usr/bin/env node
// Launcher of the `quiver` command line: the implementation is dist/cli.js (built by `npm run build`).
let runCli;
try {
  ({ runCli } = await import('../dist/cli.js'));
} catch (e) {
  process.stderr.write(`quiver: cannot load the command line (${String(e?.message ?? e).split('\n')[0]}); run npm run build first\n`);
  process.exit(1);
}
process.exitCode = await runCli(process.argv.slice(2));
