// The examples import the built packages. Turbo builds only the workspaces listed in
// examples/package.json before `test`, so build any package whose dist is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup() {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  for (const pkg of ['core', 'data', 'mf', 'train']) {
    const dir = fileURLToPath(new URL(`../../packages/${pkg}/`, import.meta.url));
    if (!existsSync(`${dir}dist/index.js`)) execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  }
}
