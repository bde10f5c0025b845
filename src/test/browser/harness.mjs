// What every browser scenario shares: Debian's Chromium, the conversation with BrowserSuiteTest (which
// reads the test mail server for the scenarios), screenshots and the axe-core check.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = required('GATEHOUSE_URL');
const SCREENSHOTS = required('SCREENSHOTS');
mkdirSync(SCREENSHOTS, { recursive: true });

/** Desktop and phone widths: every page is saved at both. */
export const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: BrowserSuiteTest sets it`);
  return value;
}

// Chromium here has no network but loopback: without these flags it tries Google's hosts at every start.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A person's browser: their language, a time zone that is not UTC (dates must be shown in it), clipboard allowed. */
export async function newPerson(browser, viewport = WIDTHS.desktop) {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Asia/Kolkata', baseURL: BASE });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  return context;
}

// Questions to BrowserSuiteTest go out on stdout as one line, "ASK <question> <argument>"; the answer is one line on stdin.
const answers = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
export async function ask(question, argument) {
  console.log(`ASK ${question} ${argument}`);
  const { value, done } = await answers.next();
  if (done || !value || value.startsWith('NONE')) throw new Error(`no answer to ${question} ${argument}: ${value}`);
  return value.trim();
}

/**
 * Waits until the page is at {@code path} (the path itself: "/login?return_to=/account/apps" is not at
 * "/account/apps", which a pattern on the whole URL would believe).
 */
export async function arrivedAt(page, path) {
  await page.waitForURL((url) => url.pathname === path);
}

export function check(condition, message) {
  if (!condition) throw new Error(`failed: ${message}`);
  console.log(`ok: ${message}`);
}

/** Saves the page at both widths (target/screenshots/<name>-desktop.png, -phone.png) and checks it with axe-core. */
export async function record(page, name) {
  const original = page.viewportSize();
  for (const [width, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
    await accessible(page, `${name} at ${width} width`);
  }
  await page.setViewportSize(original);
}

/** No serious or critical axe-core violation (WCAG 2.2 A and AA rules, and best practices). */
export async function accessible(page, name) {
  const violations = await seriousViolations(page);
  check(violations.length === 0, `${name}: no serious or critical accessibility violations${violations.length ? '\n  ' + violations.join('\n  ') : ''}`);
}

async function seriousViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`));
}

/** The checker itself: a page with an unlabelled field and grey-on-grey text must fail it, or no pass means anything. */
export async function accessibilityCheckerWorks(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent('<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body><main>'
    + '<p style="color:#aaa;background:#bbb">faint</p><input type="text"></main></body></html>');
  const found = await seriousViolations(page);
  check(found.some((v) => v.includes('color-contrast')) && found.some((v) => v.includes('label')),
    `axe-core finds the violations planted in a bad page (${found.length})`);
  await context.close();
}

/** GET /v1/me with an API key, as an integration would: the status. */
export async function useKey(key) {
  const answer = await fetch(`${BASE}/v1/me`, { headers: { Authorization: `Bearer ${key}` } });
  return answer.status;
}
