#!/usr/bin/env node
// Checks the package dependency rules of STYLE.md:
//  - each workspace package lists exactly its allowed @quiver/* dependencies, and @quiver/base
//    none at all,
//  - source files import only the @quiver packages their package.json allows,
//  - no Math.random anywhere under packages/*/src (randomness goes through a seeded Rng).
// Exits non-zero with one line per violation.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// base is the dependency-free layer under everything; data may use base but never core.
const ALLOWED = {
  '@quiver/base': [],
  '@quiver/core': ['@quiver/base'],
  '@quiver/data': ['@quiver/base'],
  '@quiver/mf': ['@quiver/base', '@quiver/core'],
  '@quiver/serve': ['@quiver/base', '@quiver/data', '@quiver/mf'],
  '@quiver/train': ['@quiver/base', '@quiver/core', '@quiver/data', '@quiver/mf', '@quiver/serve'],
};
// base has no runtime dependency at all (devDependencies, such as the reference generator its
// tests compare against, are allowed).
const NO_RUNTIME_DEPS = ['@quiver/base'];
const problems = [];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgPath = join(root, 'packages', dir, 'package.json');
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  } catch {
    continue;
  }
  const allowed = ALLOWED[pkg.name];
  if (!allowed) {
    problems.push(`${pkg.name}: not in the dependency table of scripts/check-boundaries.mjs`);
    continue;
  }
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies }).filter((d) =>
    d.startsWith('@quiver/'),
  );
  const sorted = (a) => [...a].sort().join(', ');
  if (NO_RUNTIME_DEPS.includes(pkg.name) && Object.keys(pkg.dependencies ?? {}).length > 0) {
    problems.push(`${pkg.name}: must have no runtime dependencies, lists [${sorted(Object.keys(pkg.dependencies))}]`);
  }
  if (sorted(deps) !== sorted(allowed)) {
    problems.push(`${pkg.name}: must depend on exactly [${sorted(allowed)}] among @quiver packages, lists [${sorted(deps)}]`);
  }
  const srcDir = join(root, 'packages', dir, 'src');
  let files = [];
  try {
    files = walk(srcDir);
  } catch {
    continue;
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from\s+['"](@quiver\/[a-z-]+)/g)) {
      if (!allowed.includes(m[1])) problems.push(`${relative(root, file)}: imports ${m[1]}, which ${pkg.name} may not use`);
    }
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/Math\s*\.\s*random\b/.test(line) && !/^\s*(\/\/|\*)/.test(line)) {
        problems.push(`${relative(root, file)}:${i + 1}: Math.random is forbidden; use a seeded Rng`);
      }
    });
  }
}

if (problems.length > 0) {
  console.error(`check-boundaries: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('check-boundaries: package dependencies and randomness rules hold');
