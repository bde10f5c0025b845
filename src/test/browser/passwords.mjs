// Issue 12, sections 2 and 4: reset a forgotten password through the mailed link; the security page.
import { check, newPerson, record, ask, arrivedAt } from './harness.mjs';
import { signUpAndSignIn } from './api-keys.mjs';

const NEW_PASSWORD = 'a fresh passphrase for the browser';

export async function passwordReset(browser) {
  const email = `reset-${Date.now()}@example.com`;
  const first = await signUpAndSignIn(browser, email);
  await first.page.goto('/account/security');
  await record(first.page, 'security');

  // Another browser, where the password is forgotten.
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await record(page, 'password-reset');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

  await page.goto(await ask('link-mailed-to', email));
  await record(page, 'password-choose');
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set the password' }).click();
  await arrivedAt(page, '/account/api-tokens');
  check(true, 'the mailed link set a new password and signed the person in');

  await first.page.reload();
  check(/\/login\?return_to=/.test(first.page.url()), 'the reset signed the first browser out');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await arrivedAt(page, '/account/api-tokens');
  check(true, 'the new password signs in');
  await page.goto('/account/security');
  check(await page.getByRole('cell', { name: 'The password was reset' }).count() === 1, 'the security page lists the reset');
  await first.context.close();
  await context.close();
}
