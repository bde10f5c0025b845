// node-oidc-provider 9 for bench/compare.sh: in memory, one confidential client, RS256 JWT access tokens,
// introspection on, refresh tokens rotated on every use, and sign-in without a person: the interaction
// URL signs the bench account in at once, and every authorization request of a signed-in session is
// approved (loadExistingGrant), so GET /auth?...&prompt=none with the session cookie answers a code.
//
//   OIDC_PROVIDER_DIR=DIR PORT=N node bench/compare/oidc-provider-server.mjs < client.json
//
// DIR holds node_modules/oidc-provider (bench/compare.sh installs it there with npm). The client comes on
// stdin as {"client_id": "...", "client_secret": "..."}, never on a command line. Listens on 127.0.0.1:PORT;
// the issuer is http://127.0.0.1:PORT. Prints "listening" when ready.
//
// Resources: urn:gatehouse-bench:api (the default, when a request names none) gets RS256 JWT access
// tokens; urn:gatehouse-bench:opaque gets opaque ones. The introspection case uses opaque tokens: this
// provider refuses to introspect its JWTs (they are meant to be checked by their signature).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.OIDC_PROVIDER_DIR;
const port = Number(process.env.PORT);
if (!dir || !Number.isInteger(port) || port <= 0) {
  console.error('usage: OIDC_PROVIDER_DIR=DIR PORT=N node oidc-provider-server.mjs < client.json');
  process.exit(2);
}

const stdin = [];
for await (const chunk of process.stdin) stdin.push(chunk);
const { client_id: clientId, client_secret: clientSecret } = JSON.parse(Buffer.concat(stdin).toString('utf8'));
if (!clientId || !clientSecret) {
  console.error('stdin must hold {"client_id": "...", "client_secret": "..."}');
  process.exit(2);
}

const { default: Provider } = await import(pathToFileURL(join(dir, 'node_modules', 'oidc-provider', 'lib', 'index.js')).href);

const ISSUER = `http://127.0.0.1:${port}`;
const API = 'urn:gatehouse-bench:api';
const OPAQUE = 'urn:gatehouse-bench:opaque';
const SCOPE = 'api:read';
const ACCOUNT = 'bench-user';
// The provider's own memory adapter keeps at most 1,000 entries (an LRU: older codes and refresh tokens of a
// pool would be gone) and rewrites a grant's whole member list at every token. This one keeps everything
// until it expires, in plain Maps.
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
const entries = new Map(); // key -> { payload, expiresAt }
const grantMembers = new Map(); // grantId -> Set of keys
const sessionUids = new Map(); // uid -> session id
class MemoryAdapter {
  constructor(model) { this.model = model; }

  key(id) { return `${this.model}:${id}`; }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    entries.set(key, { payload, expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity });
    if (this.model === 'Session' && payload.uid) sessionUids.set(payload.uid, id);
    if (GRANTABLE.has(this.model) && payload.grantId) {
      let members = grantMembers.get(payload.grantId);
      if (!members) grantMembers.set(payload.grantId, (members = new Set()));
      members.add(key);
    }
  }

  async find(id) {
    const key = this.key(id);
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) { return sessionUids.has(uid) ? this.find(sessionUids.get(uid)) : undefined; }

  async findByUserCode() { return undefined; }

  async consume(id) {
    const entry = entries.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) { entries.delete(this.key(id)); }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) ?? []) entries.delete(key);
    grantMembers.delete(grantId);
  }
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  adapter: MemoryAdapter,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'offline_access'], // api:read is the resource server's (getResourceServerInfo)
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client, oneOf) => oneOf || API,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource) => {
        if (resource !== API && resource !== OPAQUE) {
          throw new Error(`unknown resource ${resource}`);
        }
        return {
          scope: SCOPE,
          audience: resource,
          accessTokenTTL: 3600,
          accessTokenFormat: resource === API ? 'jwt' : 'opaque',
          jwt: resource === API ? { sign: { alg: 'RS256' } } : undefined,
        };
      },
    },
  },
  findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  // Auto-approval: the session's grant for this client, else a new one with every scope and both resources.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({ accountId: ctx.oidc.session.accountId, clientId: ctx.oidc.client.clientId });
    grant.addOIDCScope('openid offline_access');
    grant.addResourceScope(API, SCOPE);
    grant.addResourceScope(OPAQUE, SCOPE);
    await grant.save();
    return grant;
  },
  // A refresh token with every code (no offline_access and consent needed), a new one at every use.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  pkce: { required: () => false },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    ClientCredentials: 3600,
    Grant: 86400,
    Interaction: 600,
    RefreshToken: 86400,
    Session: 86400,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

const app = provider.callback();
createServer(async (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    // No login page: whoever reaches the interaction is the bench account.
    try {
      await provider.interactionFinished(req, res, { login: { accountId: ACCOUNT } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 400;
      res.end(String(error.message));
    }
    return;
  }
  app(req, res);
}).listen(port, '127.0.0.1', () => console.log('listening'));
