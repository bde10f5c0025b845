// Issue 12, section 4: claim an AI agent's registration from the mailed link. The agent's part (register,
// ask to be claimed, send the code) is plain HTTP, as an agent would do it; the person's is in the browser.
import { BASE, ask, check, record, useKey } from './harness.mjs';
import { signUpAndSignIn } from './api-keys.mjs';

async function post(path, body) {
  const answer = await fetch(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: answer.status, body: await answer.json() };
}

export async function agentClaim(browser) {
  const email = `agent-owner-${Date.now()}@example.com`;
  const { context, page } = await signUpAndSignIn(browser, email);

  const registration = await post('/agent/auth', { type: 'anonymous', requested_credential_type: 'api_key' });
  check(registration.status === 200 && registration.body.claim_token, 'an agent registers anonymously');
  const claim = await post('/agent/auth/claim', { claim_token: registration.body.claim_token, email });
  check(claim.status === 200, 'the agent asks the person to claim it');

  await page.goto('/account/agents');
  check(await page.getByText(registration.body.registration_id).count() === 1, '/account/agents shows the waiting registration');
  await record(page, 'agents-waiting');

  await page.goto(await ask('link-mailed-to', email));
  await record(page, 'claim');
  await page.getByRole('button', { name: 'Show the code for my agent' }).click();
  const code = (await page.locator('#claim-code').textContent()).trim();
  check(code.length > 0, 'the claim page shows the code for the agent');

  const done = await post('/agent/auth/claim/complete', { claim_token: registration.body.claim_token, otp: code });
  check(done.status === 200 && done.body.status === 'claimed', 'the agent sends the code and is claimed');
  check(await useKey(registration.body.credential) === 200, "the agent's key works, now the person's");

  await page.goto('/account/agents');
  check(await page.getByRole('heading', { name: 'Claimed' }).count() === 1
    && await page.locator('ul.keys li.key.active').count() === 1, '/account/agents lists the claimed agent');
  check(await page.getByText('No agent is waiting for you').count() === 1, 'and nothing waits any more');
  await record(page, 'agents');
  await context.close();
}
