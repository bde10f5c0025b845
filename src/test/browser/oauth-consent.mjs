// The OAuth code flow with PKCE as a person meets it (issue 12 §4): a third-party client sends them to
// /oauth2/authorize, they sign in, allow it on the consent page, and the client gets its code on a loopback
// callback, exchanges it and calls the API. Catches what HTTP-level tests cannot, such as a
// Content-Security-Policy that stops the browser's redirect after the consent form. Then the person revokes
// the app from /account/apps.
import http from 'node:http';
import crypto from 'node:crypto';
import { BASE, check, record } from './harness.mjs';
import { signUpAndSignIn } from './api-keys.mjs';

// The demo client, seeded in the test profile (SeededClients): confidential, loopback redirects on any port.
const CLIENT_ID = 'demo-app';
const CLIENT_SECRET = 'demo-app-secret-change-me';

export async function oauthConsent(browser) {
  let received = null;
  const callback = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname === '/callback') received = url; // not the browser's /favicon.ico after it
    response.end('ok');
  });
  await new Promise((resolve) => callback.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${callback.address().port}/callback`;
  try {
    const { context, page } = await signUpAndSignIn(browser, `oauth-${Date.now()}@example.com`);
    const blocked = [];
    page.on('console', (message) => { if (/Content Security Policy|Refused to/.test(message.text())) blocked.push(message.text()); });

    const verifier = crypto.randomBytes(32).toString('base64url');
    const state = 'st{1}%41 &x';
    const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri,
      scope: 'openid profile:read', state, code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256' });
    await page.goto(`/oauth2/authorize?${query}`);
    await page.getByRole('heading', { name: /^Allow/ }).waitFor();
    await record(page, 'consent');
    await Promise.all([page.waitForURL((url) => url.origin === new URL(redirectUri).origin), page.getByRole('button', { name: 'Allow' }).click()]);

    check(received?.searchParams.get('code'), 'the client received a code on its loopback callback');
    check(received?.searchParams.get('state') === state, 'state came back exactly');
    const { issuer } = await (await fetch(`${BASE}/.well-known/oauth-authorization-server`)).json();
    check(received?.searchParams.get('iss') === issuer, `iss came back as the issuer, ${issuer} (RFC 9207)`);
    check(blocked.length === 0, `no Content-Security-Policy violation ${blocked.join(' | ')}`);

    const answer = await fetch(`${BASE}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64') },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: received.searchParams.get('code'), redirect_uri: redirectUri,
        code_verifier: verifier }),
    });
    const tokens = await answer.json();
    check(answer.status === 200 && tokens.access_token, 'the code buys an access token');
    const me = await fetch(`${BASE}/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    check(me.status === 200, 'the access token works at /v1/me');

    // The person takes the access back from /account/apps: the token stops at once.
    await page.goto('/account/apps');
    await page.getByRole('heading', { name: 'Demo app' }).waitFor();
    await record(page, 'apps');
    await page.getByRole('button', { name: 'Revoke access of Demo app' }).click();
    await page.getByText('No app has access to your account.').waitFor();
    const after = await fetch(`${BASE}/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    check(after.status === 401, 'after the revoke on /account/apps the access token gets 401');
    await context.close();
  } finally {
    callback.close();
  }
}
