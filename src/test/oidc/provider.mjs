// A real OpenID provider (node-oidc-provider, certified) for Gatehouse's upstream sign-in tests, in memory.
// Its sign-in page asks for an email and whether the provider should vouch for it: ticked, the ID token says
// email_verified: true; unticked, it does not carry email_verified at all, as some providers do. Consent is
// given at once. Run by LocalOidcProvider:
//   PORT=N REDIRECT_URI=... node provider.mjs < client.json      (prints "listening" when ready)
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const redirectUri = process.env.REDIRECT_URI;
const stdin = [];
for await (const chunk of process.stdin) stdin.push(chunk);
const { client_id: clientId, client_secret: clientSecret } = JSON.parse(Buffer.concat(stdin).toString('utf8'));
const ISSUER = `http://127.0.0.1:${port}`;

// The account id carries what the sign-in page was given: the email, and whether to vouch for it.
const accountId = (email, verified) => Buffer.from(JSON.stringify({ email, verified })).toString('base64url');
const claimsOf = (id) => {
  const { email, verified } = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  const claims = { sub: `user-${createHash('sha256').update(email).digest('hex').slice(0, 16)}`, email, name: email.split('@')[0] };
  if (verified) claims.email_verified = true;
  return claims;
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const provider = new Provider(ISSUER, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'],
    response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // the email claims in the ID token itself, as Google's are
  features: { devInteractions: { enabled: false } },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => claimsOf(id) }),
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ accountId: ctx.oidc.session.accountId, clientId: ctx.oidc.client.clientId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

const page = (uid) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Local OIDC sign-in</title></head>
<body><main><h1>Local OIDC provider</h1>
<form method="post" action="/interaction/${uid}/login">
<label for="email">Email</label> <input id="email" name="email" type="email" required>
<label><input name="verified" type="checkbox" value="yes"> This provider vouches for the address (email_verified)</label>
<button type="submit">Sign in at the provider</button></form></main></body></html>`;

const app = provider.callback();
createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return app(req, res);
  try {
    if (req.method === 'GET') {
      await provider.interactionDetails(req, res);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return res.end(page(match[1]));
    }
    const body = [];
    for await (const chunk of req) body.push(chunk);
    const form = new URLSearchParams(Buffer.concat(body).toString('utf8'));
    const login = { accountId: accountId(form.get('email'), form.get('verified') === 'yes') };
    await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
  } catch (error) {
    res.statusCode = 400;
    res.end(String(error.message));
  }
}).listen(port, '127.0.0.1', () => console.log('listening'));
