// Issue 12 §2: a passkey as a second way in. Chromium's virtual authenticator (DevTools protocol, WebAuthn domain)
// stands in for a phone's or laptop's platform authenticator: it makes real keys and real signatures, and asks
// nobody to touch anything. Added from the security page, it signs in from the sign-in page without an email;
// removed, it signs in no more.
import { request } from 'playwright-core';
import { BASE, check, record, arrivedAt } from './harness.mjs';
import { signUpAndSignIn } from './api-keys.mjs';

async function withAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

export async function passkeySignIn(browser) {
  const email = `passkey-${Date.now()}@example.com`;
  const { context, page } = await signUpAndSignIn(browser, email);
  const { cdp, authenticatorId } = await withAuthenticator(context, page);

  await page.goto('/account/security');
  await page.getByLabel('Name it').fill('Browser test key');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('button', { name: 'Remove Browser test key' }).waitFor();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  check(credentials.length === 1 && credentials[0].isResidentCredential, 'the authenticator holds one discoverable passkey');
  check(await page.getByRole('cell', { name: 'A passkey was added' }).count() === 1, 'the security page lists the new passkey and its event');
  await record(page, 'security-passkey');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.goto('/account/apps');
  await page.waitForURL(/\/login\?return_to=/);
  // What the page posts is kept, cookie and all, to be replayed below.
  let captured;
  page.on('request', async (sent) => {
    if (sent.method() === 'POST' && new URL(sent.url()).pathname === '/login/passkey') {
      captured = { body: sent.postData(), cookie: (await sent.allHeaders()).cookie };
    }
  });
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  const signedIn = arrivedAt(page, '/account/apps');
  const refused = page.locator('[data-passkey-signin] [data-passkey-error]').waitFor({ state: 'visible' })
    .then(async () => { throw new Error('the passkey was refused: ' + await page.locator('[data-passkey-signin] [data-passkey-error]').textContent()); });
  await Promise.race([signedIn, refused]);
  check(true, 'the passkey signed in, with no email typed, and went back where the sign-in began');

  // Review finding: an answer captured with its challenge cookie (a shared HAR file, a logging proxy) signs in once.
  check(captured && /gatehouse_passkey_challenge=/.test(captured.cookie || ''), 'the sign-in carried its challenge cookie');
  const elsewhere = await request.newContext({ baseURL: BASE });
  const replayed = await elsewhere.post('/login/passkey', { headers: { 'Content-Type': 'application/json', Cookie: captured.cookie },
    data: captured.body });
  check(replayed.status() === 400 && !(replayed.headers()['set-cookie'] || '').includes('gatehouse_session='),
    `the same answer replayed signs nobody in (${replayed.status()})`);
  await elsewhere.dispose();

  await page.goto('/account/security');
  check(await page.getByText(/last used/).count() >= 1, 'the passkey shows when it was last used');
  await page.getByRole('button', { name: 'Remove Browser test key' }).click();
  await page.getByRole('button', { name: 'Remove Browser test key' }).waitFor({ state: 'detached' });
  check(await page.getByText('Browser test key').count() === 0, 'the passkey is removed from the account');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  const refusal = page.locator('[data-passkey-signin] [data-passkey-error]');
  await refusal.waitFor({ state: 'visible' });
  check(/could not be verified/.test(await refusal.textContent()), 'a removed passkey signs in no more: ' + await refusal.textContent());
  check(/\/login/.test(page.url()), 'and nobody is signed in');
  await context.close();
}
