// A stand-in for GitHub's OAuth app endpoints and REST API (github.com is out of reach here), as GitHub
// documents them: /login/oauth/authorize, /login/oauth/access_token (errors as 200 with an "error" field),
// /api/user and /api/user/emails; and, for another provider, an oversized discovery document. Its sign-in page takes a login, an email and whether GitHub has verified it.
//   PORT=N node github.mjs < client.json      (prints "listening" when ready)
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const stdin = [];
for await (const chunk of process.stdin) stdin.push(chunk);
const client = JSON.parse(Buffer.concat(stdin).toString('utf8'));
const codes = new Map(); // code -> { user, challenge, redirectUri }
const tokens = new Map(); // token -> user
const users = new Map(); // login -> { id, login, email, verified }

const html = (body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>GitHub (stand-in)</title></head><body><main>${body}</main></body></html>`;
const json = (res, status, value) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(value)); };
const form = async (req) => { const parts = []; for await (const c of req) parts.push(c); return new URLSearchParams(Buffer.concat(parts).toString('utf8')); };

let oversizedFetches = 0; // for Gatehouse's "oversized" provider: a discovery document of 2 MB, and how often it was asked for

createServer(async (req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  if (url.pathname === '/oversized/.well-known/openid-configuration') {
    oversizedFetches++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    // Valid but for its size: read whole, it would send the browser on to /oversized/authorize.
    const base = `http://127.0.0.1:${port}/oversized`;
    return res.end(JSON.stringify({ issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`, padding: 'x'.repeat(2 * 1024 * 1024) }));
  }
  if (url.pathname === '/oversized/fetches') return json(res, 200, { fetches: oversizedFetches });
  if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
    const q = url.searchParams;
    if (q.get('client_id') !== client.client_id) return json(res, 400, { error: 'unknown client' });
    const hidden = ['redirect_uri', 'state', 'code_challenge', 'code_challenge_method']
      .map((name) => `<input type="hidden" name="${name}" value="${(q.get(name) ?? '').replace(/"/g, '&quot;')}">`).join('');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return res.end(html(`<h1>Sign in to GitHub</h1><form method="post" action="/login/oauth/authorize">${hidden}
      <label for="login">Username</label> <input id="login" name="login" required>
      <label for="email">Primary email</label> <input id="email" name="email" type="email" required>
      <label><input name="verified" type="checkbox" value="yes"> GitHub has verified this address</label>
      <button type="submit">Authorize</button></form>`));
  }
  if (req.method === 'POST' && url.pathname === '/login/oauth/authorize') {
    const f = await form(req);
    const login = f.get('login');
    if (!users.has(login)) users.set(login, { id: 1000 + users.size, login });
    Object.assign(users.get(login), { email: f.get('email'), verified: f.get('verified') === 'yes' });
    const code = randomBytes(10).toString('hex');
    codes.set(code, { login, challenge: f.get('code_challenge'), redirectUri: f.get('redirect_uri') });
    const back = new URL(f.get('redirect_uri'));
    back.searchParams.set('code', code);
    back.searchParams.set('state', f.get('state'));
    res.writeHead(302, { Location: back.toString() });
    return res.end();
  }
  if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
    const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    const f = await form(req);
    if (decodeURIComponent(id ?? '') !== client.client_id || decodeURIComponent(secret ?? '') !== client.client_secret) {
      return json(res, 200, { error: 'incorrect_client_credentials' });
    }
    const grant = codes.get(f.get('code'));
    codes.delete(f.get('code'));
    const verifier = f.get('code_verifier') ?? '';
    if (!grant || grant.redirectUri !== f.get('redirect_uri')
        || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
      return json(res, 200, { error: 'bad_verification_code' });
    }
    const token = `gho_${randomBytes(16).toString('hex')}`;
    tokens.set(token, grant.login);
    return json(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
  }
  if (req.method === 'GET' && (url.pathname === '/api/user' || url.pathname === '/api/user/emails')) {
    const login = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!login || !req.headers['user-agent']) return json(res, 401, { message: 'Requires authentication' });
    const user = users.get(login);
    return url.pathname === '/api/user' ? json(res, 200, { id: user.id, login: user.login })
      : json(res, 200, [{ email: user.email, primary: true, verified: user.verified, visibility: 'private' },
        { email: `${login}@users.noreply.github.com`, primary: false, verified: true, visibility: null }]);
  }
  json(res, 404, { message: 'Not Found' });
}).listen(port, '127.0.0.1', () => console.log('listening'));
