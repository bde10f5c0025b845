// Runs every browser scenario in Debian's Chromium; exits non-zero at the first failure. BrowserSuiteTest
// starts Gatehouse and the mail server, installs this folder's packages and runs: node run.mjs
import { accessibilityCheckerWorks, launch } from './harness.mjs';
import { apiKeys } from './api-keys.mjs';
import { passwordReset } from './passwords.mjs';
import { oauthConsent } from './oauth-consent.mjs';
import { agentClaim } from './agents.mjs';
import { upstreamSignIn } from './upstream.mjs';
import { passkeySignIn } from './passkeys.mjs';

const SCENARIOS = { accessibilityCheckerWorks, apiKeys, passwordReset, oauthConsent, agentClaim, upstreamSignIn, passkeySignIn };

const browser = await launch();
let failed = false;
try {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    console.log(`scenario ${name}`);
    await scenario(browser);
  }
} catch (error) {
  failed = true;
  console.error(error.stack || String(error));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
