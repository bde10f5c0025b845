package dev.gatehouse.client;

import dev.gatehouse.account.AccountConfig;
import dev.gatehouse.admin.Operators;
import dev.gatehouse.oauth.OAuthConfig;
import dev.gatehouse.scope.ScopeCatalogue;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Seeds, at every start, the first-party dashboard (a public client allowed the management scope) from
 * configuration and, in demo mode, a confidential demo client.
 */
@ApplicationScoped
public class SeededClients {
    private static final Logger LOG = Logger.getLogger(SeededClients.class);
    public static final String DEMO_CLIENT_ID = "demo-app";
    /** Demo only (gatehouse.demo.enabled): a known secret so the README's curl examples work. */
    public static final String DEMO_CLIENT_SECRET = "demo-app-secret-change-me";

    void seed(@Observes StartupEvent event, Clients clients, OAuthConfig oauth, ScopeCatalogue catalogue, AccountConfig accounts,
            Operators operators) {
        List<String> userScopes = catalogue.oauthScopes();
        List<String> dashboardScopes = new ArrayList<>(userScopes);
        dashboardScopes.add(oauth.managementScope());
        if (operators.any()) {
            dashboardScopes.add(ScopeCatalogue.ADMIN); // granted to the operators among its users only
        }
        OAuthConfig.Dashboard dashboard = oauth.dashboard();
        if (dashboard.redirectUris().isEmpty()) {
            LOG.warnf("The dashboard client %s is not seeded: set gatehouse.oauth.dashboard.redirect-uris "
                    + "(GATEHOUSE_OAUTH_DASHBOARD_REDIRECT_URIS) to the dashboard's callback URLs", dashboard.clientId());
        }
        QuarkusTransaction.requiringNew().run(() -> {
            dashboard.redirectUris().ifPresent(redirectUris -> clients.save(dashboard.clientId(), "Gatehouse dashboard", null,
                    Client.NONE, redirectUris, List.of("authorization_code", "refresh_token"), dashboardScopes, true,
                    dashboard.skipConsent(), "seeded", Map.of()));
            if (accounts.demo().enabled()) {
                clients.save(DEMO_CLIENT_ID, "Demo app", DEMO_CLIENT_SECRET, Client.SECRET_BASIC,
                        List.of("http://127.0.0.1/callback", "http://localhost:8080/callback"),
                        List.of("authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                        userScopes, false, false, "seeded", Map.of());
            }
        });
        LOG.infof("Clients seeded: %s%s", dashboard.redirectUris().isPresent() ? dashboard.clientId() + " (first-party, public)" : "none",
                accounts.demo().enabled() ? " and " + DEMO_CLIENT_ID + " (confidential, demo)" : "");
    }
}
