// The browser entry (src/browser.ts, the `browser` condition of the package's exports):
// 1. its import graph, as a bundler resolves it (relative files; @quiver/* through their
//    package.json exports under the `browser` condition), holds no Node builtin and no use of
//    Node's globals; the same walk from src/index.ts does find them (the walk can see them);
// 2. it exports everything index.ts exports except the named file-system functions;
// 3. loadModelFromUrl, with a fetch backed by a folder written by saveModel, gives the model
//    loadModel gives (and the model that was saved), and refuses a tampered file, naming it.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALS } from '../src/als.js';
import { BiasedMF } from '../src/biased-mf.js';
import type { FoldInRecommender } from '../src/fold-in-recommender.js';
import { loadModelFromUrl, type FetchResponse } from '../src/load-model-url.js';
import { defaultMemoryBudget } from '../src/memory-budget.js';
import { loadModel, saveModel } from '../src/model-files.js';
import { nodeBuiltin, workerThreads } from '../src/node-builtin.js';
import { SLIM } from '../src/slim.js';
import { idMapJson, plantedData, resealManifest } from './fixtures.js';

const MF = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = resolve(MF, '..');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Node's globals that a browser lacks (used as free identifiers). */
const NODE_GLOBALS = new Set(['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate']);
/** Conditions a bundler targeting the browser matches, in its order of preference. */
const BROWSER_CONDITIONS = ['browser', 'import', 'default'];

interface Walk {
  /** Every file reached, relative to packages/. */
  readonly files: string[];
  /** Each Node builtin or unknown package imported, or Node global used, with the chain that reaches it. */
  readonly problems: string[];
}

/** `@quiver/<pkg>[/sub]` → the source file its package.json exports give under `conditions`. */
function resolvePackage(spec: string, conditions: readonly string[]): string | null {
  const m = /^@quiver\/([a-z]+)(\/.*)?$/.exec(spec);
  if (m === null) return null;
  const root = join(PACKAGES, m[1]);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
  const entry = pkg.exports[`.${m[2] ?? ''}`];
  if (entry === undefined) throw new Error(`${spec}: not in ${m[1]}/package.json exports`);
  const target = conditions.map((c) => entry[c]).find((t) => t !== undefined);
  if (target === undefined) throw new Error(`${spec}: no export for conditions ${conditions.join(', ')}`);
  // dist/x.js is compiled from src/x.ts (tsconfig.build.json: rootDir src, outDir dist).
  return join(root, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

/** What one source file imports at run time and which Node globals it uses. */
interface FileUses {
  /** Module specifiers of value imports, re-exports, `import()` and `require()`. */
  readonly imports: string[];
  /** Node globals used as free identifiers outside types. */
  readonly globals: string[];
}

const usesCache = new Map<string, FileUses>();

/** True for an import / export clause that tsc erases (`import type`, or only `type` specifiers). */
function typeOnly(clauseTypeOnly: boolean, elements: readonly { isTypeOnly: boolean }[] | null, hasDefault: boolean): boolean {
  return clauseTypeOnly || (!hasDefault && elements !== null && elements.length > 0 && elements.every((e) => e.isTypeOnly));
}

/**
 * The run-time imports and Node globals of TypeScript (or JavaScript) source, from its syntax
 * tree: what tsc keeps when it emits (an import whose names are all types is erased; one whose
 * names are only used as types is kept here, which can only over-report).
 */
function analyze(source: string, fileName = 'x.ts'): FileUses {
  const imports: string[] = [];
  const globals: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const named = c?.namedBindings !== undefined && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      if (c === undefined || !typeOnly(c.isTypeOnly, named, c.name !== undefined || (c.namedBindings !== undefined && !ts.isNamedImports(c.namedBindings)))) {
        imports.push((node.moduleSpecifier as ts.StringLiteral).text);
      }
      return;
    }
    if (ts.isExportDeclaration(node)) {
      const named = node.exportClause !== undefined && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : null;
      if (node.moduleSpecifier !== undefined && !typeOnly(node.isTypeOnly, named, false)) imports.push((node.moduleSpecifier as ts.StringLiteral).text);
      return;
    }
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return; // erased
    if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const arg = node.arguments[0];
      imports.push(arg !== undefined && ts.isStringLiteralLike(arg) ? arg.text : `<computed ${node.getText()}>`);
    }
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const p = node.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isPropertyAssignment(p) && p.name === node)
        || ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p)
          || ts.isPropertyDeclaration(p) || ts.isClassDeclaration(p)) && p.name === node)
        || (ts.isBindingElement(p) && p.propertyName === node);
      if (!isName) globals.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true));
  return { imports, globals };
}

function usesOf(file: string): FileUses {
  let u = usesCache.get(file);
  if (u === undefined) usesCache.set(file, (u = analyze(readFileSync(file, 'utf8'), file)));
  return u;
}

/** Walks the value imports (static, re-exports, dynamic `import()`, `require`) from `start`. */
function walk(start: string, conditions: readonly string[]): Walk {
  const parent = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  const problems: string[] = [];
  const chain = (file: string): string => {
    const steps: string[] = [];
    for (let f: string | null | undefined = file; f != null; f = parent.get(f)) steps.unshift(relative(PACKAGES, f));
    return steps.join(' → ');
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    const uses = usesOf(file);
    for (const g of uses.globals) problems.push(`the Node global ${g} in ${chain(file)}`);
    for (const spec of uses.imports) {
      let target: string | null;
      if (spec.startsWith('.')) {
        target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (!existsSync(target)) throw new Error(`${relative(PACKAGES, file)}: cannot resolve ${spec}`);
      } else if (NODE_BUILTINS.has(spec)) {
        problems.push(`${spec} ← ${chain(file)}`);
        continue;
      } else {
        target = resolvePackage(spec, conditions);
        if (target === null) {
          problems.push(`the package ${spec} (not walked) ← ${chain(file)}`);
          continue;
        }
      }
      if (!parent.has(target)) {
        parent.set(target, file);
        queue.push(target);
      }
    }
  }
  return { files: [...parent.keys()].map((f) => relative(PACKAGES, f)).sort(), problems };
}

// Parsing ~150 files takes 1–3 s on a loaded 2-core machine: above vitest's 5 s default is possible.
const WALK_TIMEOUT = 30_000;

describe('browser entry: the import graph', { timeout: WALK_TIMEOUT }, () => {
  it('@quiver/mf resolves to src/browser.ts under the browser condition and to src/index.ts otherwise', () => {
    expect(relative(PACKAGES, resolvePackage('@quiver/mf', BROWSER_CONDITIONS)!)).toBe(join('mf', 'src', 'browser.ts'));
    expect(relative(PACKAGES, resolvePackage('@quiver/mf', ['import', 'default'])!)).toBe(join('mf', 'src', 'index.ts'));
    expect(relative(PACKAGES, resolvePackage('@quiver/core', BROWSER_CONDITIONS)!)).toBe(join('core', 'src', 'browser.ts'));
  });

  it('reaches no Node builtin, no other package and no Node global from @quiver/mf in a browser', () => {
    const { files, problems } = walk(resolvePackage('@quiver/mf', BROWSER_CONDITIONS)!, BROWSER_CONDITIONS);
    expect(problems).toEqual([]);
    // The walk went through the models, the loader, core (its browser entry) and base.
    for (const f of ['mf/src/als.ts', 'mf/src/ease.ts', 'mf/src/slim.ts', 'mf/src/load-model-url.ts', 'mf/src/model-format.ts', 'mf/src/create-model.ts',
      'mf/src/parallel/wasm-job-pool.ts', 'mf/src/memory-budget.ts', 'core/src/browser.ts', 'core/src/io/safetensors.ts', 'base/src/index.ts']) {
      expect(files).toContain(join(...f.split('/')));
    }
    for (const f of ['mf/src/model-files.ts', 'mf/src/model-dir-lock.ts', 'mf/src/write-folder-atomic.ts', 'core/src/index.ts', 'core/src/io/weight-files.ts']) {
      expect(files).not.toContain(join(...f.split('/')));
    }
  });

  it('the same walk finds the Node builtins and globals of the Node entry (so it can see them)', () => {
    const { problems } = walk(resolvePackage('@quiver/mf', ['import', 'default'])!, ['import', 'default']);
    const text = problems.join('\n');
    expect(text).toContain(`node:crypto ← ${join('mf', 'src', 'index.ts')} → ${join('mf', 'src', 'model-files.ts')}`);
    expect(text).toMatch(/node:fs\/promises ← .*core.src.io.weight-files\.ts/);
    expect(text).toMatch(/the Node global process in .*model-dir-lock\.ts/);
  });

  it('sees value imports, import(), require() and Node globals, and skips what tsc erases', () => {
    const src = [
      "import type { Worker } from 'node:worker_threads';", "import { type MessagePort } from 'node:worker_threads';",
      "import { totalmem } from 'node:os';", "import * as fs from 'fs';", "import './side-effect.js';",
      "export { a } from './a.js';", "export type { B } from './b.js';", "export * from './c.js';",
      "const m = await import('node:path'); const r = require('url'); const d = import(name);",
      "let t: typeof import('node:crypto'); let b: Buffer;", "interface I { p: NodeJS.Process }",
      "const p = process.pid; const q = globalThis.process; const o = { process: 1 }; Buffer.from([]);",
    ].join('\n');
    const { imports, globals } = analyze(src);
    expect(imports).toEqual(['node:os', 'fs', './side-effect.js', './a.js', './c.js', 'node:path', 'url', '<computed import(name)>']);
    expect(globals).toEqual(['require', 'process', 'Buffer']);
  });
});

describe('browser entry: exports', { timeout: WALK_TIMEOUT }, () => {
  /** index.ts exports these for Node only: each reaches the file system. */
  const NODE_ONLY: Record<string, string> = {
    saveModel: 'model-files.ts', loadModel: 'model-files.ts', checkSaveTarget: 'model-files.ts',
    ModelDirLock: 'model-dir-lock.ts', lockPath: 'model-dir-lock.ts', interruptedSaves: 'write-folder-atomic.ts',
  };
  const CORE_NODE_ONLY: Record<string, string> = {
    readNpy: 'io/weight-files.ts', readNpyInt32: 'io/weight-files.ts', writeNpy: 'io/weight-files.ts', readSafetensors: 'io/weight-files.ts',
    writeSafetensors: 'io/weight-files.ts', writeFileAtomic: 'io/atomic-write.ts', readWordVectors: 'io/word-vectors.ts', parseWordVectors: 'io/word-vectors.ts',
  };

  for (const [pkg, nodeOnly, extra] of [['mf', NODE_ONLY, []], ['core', CORE_NODE_ONLY, []]] as const) {
    it(`@quiver/${pkg}: browser.ts exports every value of index.ts (the same objects) but the file-system ones, each of which reaches node:`, async () => {
      const index = (await import(join(PACKAGES, pkg, 'src', 'index.ts'))) as Record<string, unknown>;
      const browser = (await import(join(PACKAGES, pkg, 'src', 'browser.ts'))) as Record<string, unknown>;
      const missing = Object.keys(index).filter((k) => !(k in browser)).sort();
      expect(missing).toEqual(Object.keys(nodeOnly).sort());
      for (const k of Object.keys(browser)) {
        if (!(extra as readonly string[]).includes(k)) expect(browser[k], k).toBe(index[k]);
      }
      expect(Object.keys(browser).filter((k) => !(k in index))).toEqual(extra);
      for (const file of new Set(Object.values(nodeOnly))) {
        const { problems } = walk(join(PACKAGES, pkg, 'src', file), BROWSER_CONDITIONS);
        expect(problems.some((p) => p.startsWith('node:')), file).toBe(true);
      }
    });
  }
});

describe('Node builtins looked up at run time (node-builtin.ts)', () => {
  const host = process as unknown as { getBuiltinModule?: unknown };
  const original = host.getBuiltinModule;
  /** Runs `f` as in an engine without process.getBuiltinModule (a browser, Node < 20.16). */
  const withoutBuiltins = <T>(f: () => T): T => {
    host.getBuiltinModule = undefined;
    try {
      return f();
    } finally {
      host.getBuiltinModule = original;
    }
  };

  it('gives Node its modules: the memory budget is half of os.totalmem(), worker threads are node:worker_threads', async () => {
    expect(defaultMemoryBudget()).toBe(Math.floor(totalmem() / 2));
    expect(workerThreads('x').Worker).toBe((await import('node:worker_threads')).Worker);
    expect(nodeBuiltin('node:os')).toBe(await import('node:os').then((m) => m.default));
  });

  it('without them: no memory limit, one thread trains, more threads are refused with what to do', () => {
    withoutBuiltins(() => {
      expect(nodeBuiltin('node:os')).toBeNull();
      expect(defaultMemoryBudget()).toBe(Infinity);
      expect(() => workerThreads('SLIM.fit')).toThrow('SLIM.fit: threads > 1 needs worker threads: Node ≥ 20.16 (process.getBuiltinModule), not found in this engine; use threads: 1');
      const data = plantedData();
      const one = new SLIM({ threads: 1, l2: 1 });
      one.fit(data);
      expect(one.recommend(0, 3).ids.length).toBe(3);
      // Workers start only with more than one chunk of SLIM_CHUNK (32) columns: spread the items over 400.
      const many = { ...data, numItems: 400, itemIds: Int32Array.from(data.itemIds, (i, n) => i + 10 * (n % 40)) };
      expect(() => new SLIM({ threads: 2, l2: 1 }).fit(many)).toThrow('SLIM.fit: threads > 1 needs worker threads');
    });
  });
});

/** A fetch over the files of `root` at https://models.test/, with files replaced or missing on request. */
function diskFetch(root: string, replace: Record<string, Uint8Array | null> = {}, log: string[] = []) {
  return async (url: string): Promise<FetchResponse> => {
    log.push(url);
    const u = new URL(url);
    const name = u.pathname.split('/').pop()!;
    const notFound: FetchResponse = { ok: false, status: 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) };
    if (u.origin !== 'https://models.test' || !u.pathname.startsWith('/m/') || replace[name] === null) return notFound;
    let bytes: Uint8Array;
    try {
      bytes = replace[name] ?? (await readFile(join(root, u.pathname.slice(3))));
    } catch {
      return notFound;
    }
    const body = new ArrayBuffer(bytes.length); // a copy: a Buffer's .buffer may be a larger pool
    new Uint8Array(body).set(bytes);
    return { ok: true, status: 200, statusText: 'OK', arrayBuffer: async () => body };
  };
}

describe('loadModelFromUrl', () => {
  let root = '';
  const data = plantedData();
  const als = new ALS({ factors: 4, epochs: 4, solver: 'cholesky' });
  als.fit(data);
  const mf = new BiasedMF({ factors: 3, epochs: 5 });
  mf.fit(data);
  const titles = new TextEncoder().encode(JSON.stringify(Array.from({ length: 10 }, (_, i) => `Film ${i}`)));
  const idMaps = { users: idMapJson('user', Array.from({ length: 12 }, (_, u) => `u${u}`)), items: idMapJson('item', Array.from({ length: 10 }, (_, i) => `m${i}`)) };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'quiver-mf-url-'));
    await saveModel(als, join(root, 'als'), { idMaps, files: { 'titles.json': titles } });
    await saveModel(mf, join(root, 'mf'), { idMaps });
  });
  afterAll(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** Every query of the browser entry gives what the saved model and loadModel's model give. */
  function expectSameModel(got: FoldInRecommender, ref: FoldInRecommender, viaDisk: FoldInRecommender): void {
    const history = Int32Array.of(1, 6, 2);
    const ratings = Float32Array.of(5, 1, 4);
    for (const m of [ref, viaDisk]) {
      expect(got.kind).toBe(m.kind);
      for (const u of [0, 5, 11]) {
        expect(got.recommend(u, 4)).toEqual(m.recommend(u, 4));
        expect(got.scoreAllItems(u)).toEqual(m.scoreAllItems(u));
      }
      expect(got.recommendForNew(history, ratings, 5)).toEqual(m.recommendForNew(history, ratings, 5));
      expect(got.foldIn(history, ratings)).toEqual(m.foldIn(history, ratings));
      expect(got.predict(Int32Array.of(0, 3, 9), Int32Array.of(9, 0, 4))).toEqual(m.predict(Int32Array.of(0, 3, 9), Int32Array.of(9, 0, 4)));
      expect(got.similarItems(2, 3)).toEqual(m.similarItems(2, 3));
      const seen = (x: FoldInRecommender) => ({ indptr: [...x.seenItems()!.indptr], indices: [...x.seenItems()!.indices] });
      expect(seen(got)).toEqual(seen(m));
    }
  }

  it('loads what loadModel loads (ALS with an extra file, BiasedMF), fetching model.json and each listed file once', async () => {
    for (const [name, ref] of [['als', als], ['mf', mf]] as const) {
      const log: string[] = [];
      const got = await loadModelFromUrl(`https://models.test/m/${name}`, { fetch: diskFetch(root, {}, log) });
      const disk = await loadModel(join(root, name));
      expect(got.manifest).toEqual(disk.manifest);
      expect(JSON.parse(JSON.stringify(got.idMaps))).toEqual(idMaps);
      const plain = (files: Readonly<Record<string, Uint8Array>>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [...v]]));
      expect(plain(got.files)).toEqual(plain(disk.files));
      expectSameModel(got.model, ref, disk.model);
      const listed = Object.keys(disk.manifest.files).map((f) => `https://models.test/m/${name}/${f}`);
      expect(log.slice().sort()).toEqual([`https://models.test/m/${name}/model.json`, ...listed].sort());
    }
    const { files } = await loadModelFromUrl(new URL('https://models.test/m/als/'), { fetch: diskFetch(root) });
    expect(new TextDecoder().decode(files['titles.json'])).toBe(new TextDecoder().decode(titles));
  });

  it('resolves a relative folder against the page, and uses the global fetch by default', async () => {
    const log: string[] = [];
    vi.stubGlobal('location', { href: 'https://models.test/m/index.html' });
    vi.stubGlobal('fetch', diskFetch(root, {}, log));
    const { model } = await loadModelFromUrl('./als/');
    expect(model.recommend(3, 4)).toEqual(als.recommend(3, 4));
    expect(log[0]).toBe('https://models.test/m/als/model.json');
  });

  it('refuses a tampered, truncated or missing file, naming it', async () => {
    const dir = join(root, 'als');
    const seen = new Uint8Array(await readFile(join(dir, 'seen_indices.npy')));
    seen[seen.length - 1] ^= 1;
    const load = (replace: Record<string, Uint8Array | null>) => loadModelFromUrl('https://models.test/m/als/', { fetch: diskFetch(root, replace) });
    await expect(load({ 'seen_indices.npy': seen })).rejects.toThrow(/^loadModelFromUrl: seen_indices\.npy checksum mismatch \(the file was modified\): expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}$/);
    const titlesEdited = new TextEncoder().encode(new TextDecoder().decode(titles).replace('Film 0', 'Film O'));
    await expect(load({ 'titles.json': titlesEdited })).rejects.toThrow(/^loadModelFromUrl: titles\.json checksum mismatch/);
    const weights = await readFile(join(dir, 'weights.safetensors'));
    await expect(load({ 'weights.safetensors': weights.subarray(0, weights.length - 4) })).rejects.toThrow(
      new RegExp(`^loadModelFromUrl: weights\\.safetensors must have ${weights.length} bytes as model\\.json records, got ${weights.length - 4} \\(truncated or replaced file\\)$`),
    );
    await expect(load({ 'id_maps.json': null })).rejects.toThrow('loadModelFromUrl: cannot fetch https://models.test/m/als/id_maps.json: HTTP 404 Not Found');
    const manifest = await readFile(join(dir, 'model.json'), 'utf8');
    const edited = new TextEncoder().encode(manifest.replace('"factors": 4', '"factors": 5'));
    await expect(load({ 'model.json': edited })).rejects.toThrow(/^loadModelFromUrl: model\.json checksum mismatch \(the manifest was modified\)/);
    // A resealed manifest that names another kind: the weights record 'als'.
    const otherKind = new TextEncoder().encode(resealManifest(manifest, (m) => { m.kind = 'bpr'; }));
    await expect(load({ 'model.json': otherKind })).rejects.toThrow("loadModelFromUrl: weights.safetensors must hold a 'bpr' model as model.json says, got weights of kind \"als\"");
  });

  it('says why it cannot fetch', async () => {
    const failing = async (): Promise<FetchResponse> => {
      throw new TypeError('network down');
    };
    await expect(loadModelFromUrl('https://models.test/m/als/', { fetch: failing })).rejects.toThrow('loadModelFromUrl: cannot fetch https://models.test/m/als/model.json: network down');
  });

  it('checks its arguments', async () => {
    await expect(loadModelFromUrl(42 as unknown as string)).rejects.toThrow('loadModelFromUrl: baseUrl must be a non-empty string or a URL, got 42');
    await expect(loadModelFromUrl('')).rejects.toThrow(/baseUrl must be a non-empty string or a URL, got ""/);
    await expect(loadModelFromUrl('./model/')).rejects.toThrow('loadModelFromUrl: baseUrl must be an absolute URL, or a URL relative to the page in a browser, got "./model/"');
    await expect(loadModelFromUrl('https://models.test/m/als/', { fetch: 'x' as never })).rejects.toThrow(/^loadModelFromUrl: options\.fetch must be a function \(there is no global fetch here\), got "x"$/);
    await expect(loadModelFromUrl('https://models.test/m/als/', { fech: diskFetch(root) } as never)).rejects.toThrow('loadModelFromUrl: unknown option "fech"; the options are "fetch"');
    vi.stubGlobal('crypto', {});
    await expect(loadModelFromUrl('https://models.test/m/als/', { fetch: diskFetch(root) })).rejects.toThrow(
      'loadModelFromUrl: crypto.subtle (Web Crypto) must be available to check the files against their SHA-256; a page has it only in a secure context: serve it over https or from localhost / 127.0.0.1',
    );
  });
});
