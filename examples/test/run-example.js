// Runs one example as a child process (as `node examples/<name>.js` would) and collects its output.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function runExample(name, env = {}, args = []) {
  const file = fileURLToPath(new URL(`../${name}.js`, import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : error.code, stdout, stderr });
    });
  });
}

/** The first number captured by `re` in `text`. */
export function num(re, text) {
  const m = re.exec(text);
  if (m === null) throw new Error(`no match for ${re} in:\n${text}`);
  return Number(m[1]);
}
