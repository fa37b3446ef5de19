// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core, a fresh profile per browser, and a watch on every
// page for script errors and Content-Security-Policy violations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from './node_modules/playwright-core/index.mjs';
import { PASSWORD } from '../lib/server.mjs';

export { PASSWORD };

export const OUTPUT = path.join(path.dirname(new URL(import.meta.url).pathname), 'output');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Network statuses the app asks for on purpose (401 before sign-in, 400
// for validation, 404 for another team's person, 409/412 for
// conflicts). Chromium logs them as console errors; nothing else passes.
const EXPECTED_STATUS = /^Failed to load resource: the server responded with a status of (400|401|404|409|412|422|429) /;

// Launches Chromium with a fresh profile. Returns { context, dir, problems,
// newPage(), close() }; problems collects console errors, page errors and
// CSP violations from every page of the context.
export async function launch({ viewport = { width: 1280, height: 860 } } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alongside-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    args: ARGS,
    headless: true,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15000);
  const problems = [];
  const watch = (page) => {
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && !EXPECTED_STATUS.test(text)) problems.push(`console error: ${text}`);
      else if (/Content Security Policy|Refused to (apply|execute|load|connect)/i.test(text)) problems.push(`CSP: ${text}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    context,
    dir,
    problems,
    async newPage() {
      const existing = context.pages().find((p) => p.url() === 'about:blank' && !p.__used);
      const page = existing || await context.newPage();
      page.__used = true;
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Signs in through the form and waits for the signed-in header.
export async function signIn(page, username, password = PASSWORD) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function openApp(page, url, hash = '') {
  await page.goto(`${url}/${hash}`);
}

export function screenshotPath(name) {
  fs.mkdirSync(OUTPUT, { recursive: true });
  return path.join(OUTPUT, name);
}

// Fails with every problem seen so far (and forgets them).
export function assertNoProblems(problems, what = 'page') {
  const seen = problems.splice(0);
  if (seen.length) throw new Error(`${what} reported problems:\n${seen.join('\n')}`);
}

// A date n days from today (UTC, as the browser and server here use).
export function isoDay(n = 0) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// "2026-12-22" -> "22 December 2026", as the app shows dates.
export function plainDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

// Saves a screenshot of every open page of the given browsers, to see
// what a failing test saw (tests/e2e/output/failed-*.png).
export async function failureShots(browsers, name) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60);
  let n = 0;
  for (const b of browsers) {
    for (const page of b.context.pages()) {
      n++;
      await page.screenshot({ path: screenshotPath(`failed-${slug}-${n}.png`), fullPage: true }).catch(() => {});
    }
  }
}

// Registers a test that screenshots its browsers when it fails and closes
// them when it ends (an open browser holds connections to the server,
// which takes only so many from one address).
export function browserTest(test, browsers, name, fn) {
  test(name, async () => {
    const first = browsers.length;
    try {
      await fn();
    } catch (err) {
      await failureShots(browsers.slice(first), name);
      throw err;
    } finally {
      for (const b of browsers.splice(first)) await b.close().catch(() => {});
    }
  });
}
