// Prepares, untimed, the single-use credentials a wrk run of bench/compare.sh consumes (one per request):
// authorization codes, refresh tokens, access tokens to introspect. Node's own modules only.
//
//   node bench/compare/pool.mjs < job.json
//
// The job (JSON on stdin, so no credential is ever on a command line):
//   kind          "codes"             GET authorize with the session cookie, one code per request (PKCE S256);
//                                     writes grant_type=authorization_code&code=..&redirect_uri=..&code_verifier=..
//                 "refresh-by-code"   the same, then exchanges each code; writes grant_type=refresh_token&refresh_token=..
//                 "refresh-by-password"  password grant (its own session per token); the same lines
//                 "access-tokens"     POST token with `form` (client_credentials); writes token=..
//   count, concurrency, out (the file written, mode 600)
//   authorize     the authorization URL without code_challenge (codes, refresh-by-code)
//   cookieJar     a curl cookie jar holding the signed-in session (codes, refresh-by-code); or
//   cookieJars    several, each a session of its own: line i is made with jar i modulo their number
//   token         the token endpoint;  basic  the client's "Basic ..." header;  redirectUri
//   form          the form of "access-tokens" and "refresh-by-password" (grant_type=... &...)
//   attempts      tries per line before it counts as failed (default 3)
//
// Prints one line: what it made and how long it took. Exits 1 if any request failed (after trying all),
// describing failures by HTTP status and OAuth error code only.

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const count = job.count;
const concurrency = Math.min(job.concurrency || 16, count);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function cookieHeader(jarFile) {
  // curl's jar: tab-separated, 7 fields; HttpOnly cookies are written with a "#HttpOnly_" prefix.
  return readFileSync(jarFile, 'utf8').split('\n')
    .map((line) => line.replace(/^#HttpOnly_/, ''))
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length >= 7)
    .map((fields) => `${fields[5]}=${fields[6]}`)
    .join('; ');
}

function send(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent, timeout: 30000 }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (body) req.end(body); else req.end();
  });
}

const FORM = 'application/x-www-form-urlencoded';
const enc = encodeURIComponent;
const b64url = (buf) => buf.toString('base64url');

function describe(answer) {
  let error = '';
  try { error = JSON.parse(answer.body).error || ''; } catch { /* not JSON */ }
  return `HTTP ${answer.status}${error ? ` ${String(error).replace(/[^a-z_]/g, '')}` : ''}`;
}

const cookies = (job.cookieJars || (job.cookieJar ? [job.cookieJar] : [])).map(cookieHeader);

async function code(i) {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const url = `${job.authorize}${job.authorize.includes('?') ? '&' : '?'}code_challenge=${challenge}&code_challenge_method=S256`;
  const answer = await send('GET', url, { Cookie: cookies[i % cookies.length] });
  const location = answer.headers.location;
  if (answer.status < 300 || answer.status > 303 || !location) throw new Error(`authorize answered ${answer.status}, not a redirect`);
  const back = new URL(location, url);
  if (!location.startsWith(job.redirectUri)) throw new Error('authorize redirected elsewhere than the redirect URI (not signed in?)');
  if (back.searchParams.get('error')) throw new Error(`authorize: ${back.searchParams.get('error').replace(/[^a-z_]/g, '')}`);
  const value = back.searchParams.get('code');
  if (!value) throw new Error('authorize: no code');
  return `grant_type=authorization_code&code=${enc(value)}&redirect_uri=${enc(job.redirectUri)}&code_verifier=${verifier}`;
}

async function token(form, field) {
  const answer = await send('POST', job.token, { Authorization: job.basic, 'Content-Type': FORM, Accept: 'application/json' }, form);
  if (answer.status !== 200) throw new Error(`token endpoint: ${describe(answer)}`);
  const value = JSON.parse(answer.body)[field];
  if (!value) throw new Error(`token endpoint: 200 without ${field}`);
  return value;
}

const makers = {
  codes: code,
  'refresh-by-code': async (i) => `grant_type=refresh_token&refresh_token=${enc(await token(await code(i), 'refresh_token'))}`,
  'refresh-by-password': async () => `grant_type=refresh_token&refresh_token=${enc(await token(job.form, 'refresh_token'))}`,
  'access-tokens': async () => `token=${enc(await token(job.form, 'access_token'))}`,
};
const make = makers[job.kind];
if (!make || !Number.isInteger(count) || count < 1 || !job.out) {
  console.error(`pool.mjs: a job needs kind (${Object.keys(makers).join(', ')}), count and out`);
  process.exit(2);
}

const lines = new Array(count);
const failures = new Map();
const attempts = job.attempts || 3;
let retried = 0;
let next = 0;
const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, async () => {
  for (let i = next++; i < count; i = next++) {
    // A failed attempt costs one more (Keycloak sometimes answers 500 when one session authorizes many
    // requests at once); only what still fails after `attempts` counts.
    for (let attempt = 1; attempt <= attempts && !lines[i]; attempt++) {
      try {
        lines[i] = await make(i);
      } catch (error) {
        if (attempt === attempts) failures.set(error.message, (failures.get(error.message) || 0) + 1);
        else retried++;
      }
    }
  }
}));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
writeFileSync(job.out, `${lines.filter(Boolean).join('\n')}\n`, { mode: 0o600 });
agent.destroy();
const made = lines.filter(Boolean).length;
console.log(`pool ${job.kind}: ${made} of ${count} in ${seconds.toFixed(1)} s (${(made / seconds).toFixed(0)}/s)`
  + (retried ? `; ${retried} attempts failed and were made again` : '')
  + (failures.size ? `; failed: ${[...failures].map(([what, n]) => `${n} x ${what}`).join(', ')}` : ''));
process.exit(failures.size ? 1 : 0);
