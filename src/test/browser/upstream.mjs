// Issue 12, sections 1 and 4: sign in through an upstream OpenID provider (a real one on loopback:
// node-oidc-provider, LocalOidcProvider), which makes the account on a first sign-in with a verified email.
import { check, newPerson, record, arrivedAt } from './harness.mjs';

export async function upstreamSignIn(browser) {
  const email = `upstream-${Date.now()}@example.com`;
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/login');
  await record(page, 'login-with-providers');
  await page.getByRole('link', { name: 'Sign in with Local OIDC' }).click();

  // At the provider: its own sign-in page.
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel(/vouches for the address/).check();
  await page.getByRole('button', { name: 'Sign in at the provider' }).click();
  await arrivedAt(page, '/account/api-tokens');
  check(true, 'a first sign-in through the provider made the account and signed it in');

  await page.goto('/account/security');
  check(await page.getByText(`as ${email}`).count() === 1, 'the security page lists the linked provider');
  await record(page, 'security-linked');
  await context.close();
}
