import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../../../', import.meta.url));

function files(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name) && !/\.test\.(ts|js)$/.test(name)) out.push(p);
  }
  return out;
}

/** Lines that could run code taken from data: eval, the Function constructor, import() of anything but a string literal, vm. */
function offenders(path: string): string[] {
  const bad: string[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, k) => {
    const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
    if (/\beval\s*\(/.test(code) || /\bnew\s+Function\s*\(/.test(code) || /(^|[^.\w])Function\s*\(/.test(code) ||
      /\bimport\s*\(\s*[^'"\s)]/.test(code) || /from\s+['"](node:)?vm['"]/.test(code) || /require\s*\(\s*[^'"\s)]/.test(code)) {
      bad.push(`${path}:${k + 1}: ${line.trim()}`);
    }
  });
  return bad;
}

describe('loading a model or a dataset never executes code', () => {
  for (const pkg of ['core', 'data', 'mf', 'train']) {
    it(`@quiver/${pkg}: no eval, Function, vm or import()/require() of a computed name in src/ and the built dist/`, () => {
      const src = files(join(packages, pkg, 'src'), /\.ts$/);
      const dist = files(join(packages, pkg, 'dist'), /\.js$/);
      expect(src.length).toBeGreaterThan(3);
      expect(dist.length).toBeGreaterThan(3); // train builds itself in global setup; the others are built by turbo's ^build
      expect([...src, ...dist].flatMap(offenders)).toEqual([]);
    });
  }

  it('the scanner flags what it is meant to, and not literal imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-scan-'));
    const sample = join(dir, 'sample.js');
    const bad = ['eval(text);', 'const f = new Function("return 1");', 'await import(pathFromFile);', "import vm from 'node:vm';", 'require(name);'];
    writeFileSync(sample, [...bad, "const w = await import('parquet-wasm');", '// eval(x) in a comment'].join('\n'));
    try {
      expect(offenders(sample).map((l) => l.split(': ').slice(1).join(': '))).toEqual(bad);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
