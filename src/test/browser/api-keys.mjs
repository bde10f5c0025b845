// Issue 12, section 4: sign up, sign in, create a key, copy it, use it, reload (no second key), roll it,
// revoke it, and see 401. Run by run.mjs.
import { BASE, ask, check, newPerson, record, useKey, arrivedAt } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';

export async function signUpAndSignIn(browser, email) {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/signup');
  await record(page, 'signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

  await page.goto(await ask('link-mailed-to', email));
  await page.getByLabel('The password you chose').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await arrivedAt(page, '/account/api-tokens');
  check(true, 'signed up through the mailed link and landed on the key page');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/account/api-tokens');
  await page.waitForURL(/\/login\?return_to=/);
  await record(page, 'login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await arrivedAt(page, '/account/api-tokens');
  check(true, 'signed out, then signed in again with the password');
  return { context, page };
}

export async function apiKeys(browser) {
  const email = `browser-${Date.now()}@example.com`;
  const { context, page } = await signUpAndSignIn(browser, email);
  await record(page, 'api-tokens-empty');

  // Create, with scopes from two resources, a preset expiry and the test environment's prefix.
  await page.getByLabel('Label', { exact: true }).fill('Nightly export');
  await page.getByRole('checkbox', { name: /profile:read/ }).check();
  await page.getByRole('checkbox', { name: /jobs:read/ }).check();
  await page.getByLabel('Expires').selectOption('30');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.waitForURL(`${BASE}/account/api-tokens`);
  const shown = (await page.locator('#new-token').textContent()).trim();
  check(/^gth_live_[0-9A-Za-z]{38}$/.test(shown), 'the new key is shown once, after a redirect');

  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied === shown, 'Copy puts the key on the clipboard');
  check(await useKey(copied) === 200, 'the copied key works: GET /v1/me answers 200');
  await record(page, 'api-tokens-created');

  await page.reload();
  check(await page.locator('#new-token').count() === 0, 'a reload does not show the key again');
  check(await page.locator('li.key').count() === 1, 'a reload does not mint a second key');

  const created = page.locator('li.key').first().locator('time').first();
  const createdText = (await created.textContent()).trim();
  check(!createdText.includes('UTC') && !/\d{4}-\d\d-\d\dT/.test(createdText), `dates are not raw or UTC: "${createdText}"`);
  check(/(now|second|minute)s?( ago)?/.test(createdText), `the creation time says how long ago: "${createdText}"`);
  const expires = (await page.locator('li.key').first().locator('dd').nth(2).textContent()).trim();
  check(/in (30 days|4 weeks|1 month|next month)/.test(expires), `a 30-day preset expires in 30 days: "${expires}"`);
  check(await page.locator('li.key svg.usage[role=img]').count() === 1, 'each key has its 30-day chart');

  // Roll with an hour's grace: a new key, shown once; the old one still works for now.
  await page.getByLabel('Old token works for').selectOption('1');
  await page.getByRole('button', { name: 'Roll' }).click();
  await page.waitForURL(`${BASE}/account/api-tokens`);
  const rolled = (await page.locator('#new-token').textContent()).trim();
  check(rolled !== shown && rolled.startsWith('gth_live_'), 'rolling shows the successor once');
  check(await useKey(rolled) === 200 && await useKey(shown) === 200, 'both keys work during the grace period');
  await page.reload();
  check(await page.locator('#new-token').count() === 0 && await page.locator('li.key').count() === 2,
    'a reload after a roll shows neither key and rolls nothing');

  // Revoke the successor, after the confirmation page.
  const successor = page.locator('li.key', { has: page.locator('.muted', { hasText: 'replaces an earlier token' }) });
  await successor.getByRole('link', { name: /^Revoke…/ }).click();
  await page.getByRole('heading', { name: /Revoke/ }).waitFor();
  await record(page, 'api-token-revoke');
  check(await useKey(rolled) === 200, 'the confirmation page alone revokes nothing');
  await page.getByRole('button', { name: 'Revoke the token' }).click();
  await page.waitForURL(`${BASE}/account/api-tokens`);
  check(await useKey(rolled) === 401, 'the revoked key gets 401 at once');
  check(await page.locator('li.key .badge.off', { hasText: 'revoked' }).count() === 1, 'the list shows it revoked');
  await context.close();
}
