package dev.gatehouse.account;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Seeds the demo account when {@code gatehouse.demo.enabled} (on in dev mode), so a newcomer can sign in at once. */
@ApplicationScoped
public class DemoAccount {
    private static final Logger LOG = Logger.getLogger(DemoAccount.class);

    void seed(@Observes StartupEvent event, AccountConfig config, Accounts accounts) {
        AccountConfig.Demo demo = config.demo();
        if (!demo.enabled()) {
            return;
        }
        if (accounts.findByEmail(demo.email()).isEmpty()) {
            accounts.signUp(demo.email(), demo.password());
        }
        LOG.infof("Demo account ready: sign in at /login as %s (password: gatehouse.demo.password)", demo.email());
    }
}
