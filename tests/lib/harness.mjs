// A small test harness: test(name, fn) registers; runAll() runs in order.
// Hooks registered with after() run once at the end, even after failures.
import { AsyncLocalStorage } from 'node:async_hooks';

const tests = [];
const finals = [];
const current = new AsyncLocalStorage();

export function test(name, fn) {
  tests.push({ name, fn });
}

// Registers cleanup to run after every test has run.
export function after(fn) {
  finals.push(fn);
}

// Asserts; the message never needs to carry personal data.
export function assert(cond, message) {
  if (!cond) throw new Error(message || 'assertion failed');
}

export function eq(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what || 'value'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export async function runAll() {
  let passed = 0;
  let failed = 0;
  let n = 0;
  for (const t of tests) {
    n++;
    try {
      await current.run(t, () => t.fn());
      passed++;
      console.log(`ok ${n} - ${t.name}`);
    } catch (err) {
      failed++;
      console.log(`not ok ${n} - ${t.name}`);
      console.log(String(err && err.stack ? err.stack : err).split('\n').map((l) => `  # ${l}`).join('\n'));
    }
  }
  for (const f of finals) {
    try {
      await f();
    } catch (err) {
      failed++;
      n++;
      console.log(`not ok ${n} - cleanup`);
      console.log(`  # ${String(err && err.stack ? err.stack : err).split('\n').join('\n  # ')}`);
    }
  }
  console.log(`# ${passed} passed, ${failed} failed`);
  return { passed, failed };
}
