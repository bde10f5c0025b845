// Drives the OAuth code + PKCE flow in headless Chromium, as a person would: the login form, the consent
// page (for a third-party client), the redirect to the client, the token exchange, an API call. Catches
// what HTTP-level tests cannot, such as a Content-Security-Policy that blocks the redirect after a form post.
//   node oauth-flow.mjs <client_id> <redirect_uri> [client_secret]
import { chromium } from 'playwright-core';
import http from 'node:http';
import crypto from 'node:crypto';

const [clientId, redirectUri, secret] = process.argv.slice(2);
const base = process.env.GATEHOUSE_URL ?? 'http://localhost:8080';
const target = new URL(redirectUri);
const verifier = crypto.randomBytes(32).toString('base64url');
const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
const state = 'st{1}%41 &x';

let received = null;
const listener = http.createServer((req, res) => {
  const url = new URL(req.url, redirectUri);
  if (url.pathname === target.pathname) received = url;
  res.end('ok');
});
await new Promise(resolve => listener.listen(Number(target.port), target.hostname, resolve));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const failures = [];
const check = (ok, what) => { console.log((ok ? 'ok   ' : 'FAIL ') + what); if (!ok) failures.push(what); };
try {
  const page = await browser.newPage();
  const violations = [];
  page.on('console', m => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri,
    scope: 'openid profile:read', state, code_challenge: challenge, code_challenge_method: 'S256' });
  await page.goto(`${base}/oauth2/authorize?${params}`);
  check(new URL(page.url()).pathname === '/login', 'not signed in: the login page');
  await page.fill('input[name=email]', process.env.DEMO_EMAIL ?? 'demo@gatehouse.local');
  await page.fill('input[name=password]', process.env.DEMO_PASSWORD ?? 'demo-password-123');
  await page.click('button[type=submit]');
  await page.waitForURL(url => url.pathname.startsWith('/oauth2/authorize') || url.origin === target.origin, { timeout: 10000 });
  if (new URL(page.url()).pathname.startsWith('/oauth2/authorize')) {
    check((await page.textContent('h1')).startsWith('Allow'), 'the consent page');
    await page.screenshot({ path: 'consent.png', fullPage: true });
    await Promise.all([page.waitForURL(url => url.origin === target.origin, { timeout: 10000 }), page.click('button[value=allow]')]);
  }
  check(received?.searchParams.get('code'), 'the client received a code');
  check(received?.searchParams.get('state') === state, 'state came back exactly');
  check(received?.searchParams.get('iss') === base, 'iss came back (RFC 9207)');
  check(violations.length === 0, 'no Content-Security-Policy violation: ' + violations.join(' | '));

  const form = new URLSearchParams({ grant_type: 'authorization_code', code: received?.searchParams.get('code') ?? '',
    redirect_uri: redirectUri, code_verifier: verifier });
  const headers = {};
  if (secret) headers.authorization = 'Basic ' + Buffer.from(`${clientId}:${secret}`).toString('base64');
  else form.set('client_id', clientId);
  const tokenAnswer = await fetch(`${base}/oauth2/token`, { method: 'POST', body: form, headers });
  const tokens = await tokenAnswer.json();
  check(tokenAnswer.status === 200 && tokens.access_token && tokens.refresh_token, 'the code buys tokens');
  const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  check(me.status === 200, 'the access token works at /v1/me');
} finally {
  await browser.close();
  listener.close();
}
process.exit(failures.length === 0 ? 0 : 1);
