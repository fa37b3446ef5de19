// Test runner for the API, command-line and browser layers.
// usage: node tests/run.mjs FILE...
// Each file registers tests with test() from tests/lib/harness.mjs; they
// run one after another. Output is TAP-like: "ok N - name" or
// "not ok N - name" followed by the error, then "# N passed, N failed".
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { runAll } from './lib/harness.mjs';

const files = process.argv.slice(2);
for (const f of files) {
  await import(pathToFileURL(path.resolve(f)).href);
}
const { failed } = await runAll();
process.exit(failed > 0 ? 1 : 0);
