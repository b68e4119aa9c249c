// A vitest globalSetup shared by every package: the test run must leave no temporary folder
// behind. It lists the `quiver*` entries of the OS temp folder before the run and, at teardown,
// fails the run naming any new one (a test that forgot to remove what it created).
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ours = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('quiver')));

export default function setup() {
  const before = ours();
  return () => {
    const left = [...ours()].filter((name) => !before.has(name)).sort();
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits with 0: set the exit code as well.
      process.exitCode = 1;
      throw new Error(`temp-guard: the tests left ${left.length} temporary folder(s) in ${tmpdir()}: ${left.join(', ')}; remove them in an afterAll/afterEach`);
    }
  };
}
