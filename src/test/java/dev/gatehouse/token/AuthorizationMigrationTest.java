package dev.gatehouse.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.ScratchSchema;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Migration V17 on a database that already holds grants and tokens (issue 11): people's grants become
 * typed authorizations with what their codes and refresh tokens knew; revoked access tokens stay revoked
 * through the revocation list; access rows go. Run in a schema of its own, migrated to V16 first.
 */
@QuarkusTest
class AuthorizationMigrationTest {
    private static final String SCHEMA = "upgrade_v17";

    @Inject
    AgroalDataSource database;

    private ScratchSchema schema;

    @org.junit.jupiter.api.BeforeEach
    void scratch() {
        schema = new ScratchSchema(database, SCHEMA);
    }

    @AfterEach
    void dropSchema() throws Exception {
        schema.close();
    }

    @Test
    void grantsAndTheirTokensCarryOverTyped() throws Exception {
        schema.migrateTo("16");
        UUID account = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        UUID clientGrant = UUID.randomUUID();
        UUID revokedJti = UUID.randomUUID();
        UUID disabled = UUID.randomUUID();
        UUID disabledGrant = UUID.randomUUID();
        schema.insert(sql -> insertRowsOfV16(sql, account, grant, clientGrant, revokedJti, disabled, disabledGrant));

        schema.migrateTo("17");
        assertCarriedOver(grant, account, disabledGrant, revokedJti);
    }

    private static void insertRowsOfV16(Statement sql, UUID account, UUID grant, UUID clientGrant, UUID revokedJti, UUID disabled,
            UUID disabledGrant) throws java.sql.SQLException {
        {
            sql.execute("insert into account (id, email, password_hash) values ('" + account + "', 'm@example.test', 'x')");
            sql.execute("insert into account (id, email, password_hash, disabled_at) values ('" + disabled
                    + "', 'off@example.test', 'x', now() - interval '1 day')");
            // Disabling revoked an account's tokens but not its grants: the trigger V17 adds must not refuse them.
            sql.execute("insert into oauth_grant (id, client_id, account_id) values ('" + grant + "', 'demo-app', '" + account + "'),"
                    + " ('" + clientGrant + "', 'demo-app', null), ('" + disabledGrant + "', 'demo-app', '" + disabled + "')");
            String hash = "decode(md5(random()::text) || md5(random()::text), 'hex')";
            sql.execute("insert into token (id, kind, account_id, client_id, secret_hash, scopes, expires_at, revoked_at, metadata) values"
                    + " (gen_random_uuid(), 'authorization_code', '" + account + "', 'demo-app', " + hash + ", '{openid,profile:read}',"
                    + "  now() - interval '1 hour', now() - interval '1 hour', jsonb_build_object('grant', '" + grant + "',"
                    + "  'redirect_uri', 'http://127.0.0.1/callback', 'redirect_uri_given', 'true', 'code_challenge', 'abc',"
                    + "  'resource', 'http://localhost:8080', 'auth_time', '1700000000', 'nonce', 'n-1', 'redeemed', 'true')),"
                    + " (gen_random_uuid(), 'refresh', '" + account + "', 'demo-app', " + hash + ", '{openid,profile:read}',"
                    + "  now() + interval '10 days', null, jsonb_build_object('grant', '" + grant + "', 'grant_expires', '2027-01-01T00:00:00Z',"
                    + "  'aud', 'http://localhost:8080', 'auth_time', '1700000000')),"
                    + " (gen_random_uuid(), 'access', '" + account + "', 'demo-app', " + hash + ", '{profile:read}',"
                    + "  now() + interval '3 minutes', now(), jsonb_build_object('grant', '" + grant + "', 'jti', '" + revokedJti + "')),"
                    + " (gen_random_uuid(), 'access', null, 'demo-app', " + hash + ", '{profile:read}',"
                    + "  now() + interval '3 minutes', null, jsonb_build_object('grant', '" + clientGrant + "', 'jti', gen_random_uuid()::text))");
        }
    }

    private void assertCarriedOver(UUID grant, UUID account, UUID disabledGrant, UUID revokedJti) throws Exception {
        {
        assertEquals(1, count("select count(*) from oauth_authorization where id = ? and client_id = 'demo-app' and account_id = ?"
                + " and grant_type = 'authorization_code' and scopes = '{openid,profile:read}' and audience = '{http://localhost:8080}'"
                + " and redirect_uri = 'http://127.0.0.1/callback' and redirect_uri_given and code_challenge = 'abc' and nonce = 'n-1'"
                + " and auth_time = to_timestamp(1700000000) and expires_at = '2027-01-01T00:00:00Z' and revoked_at is null", grant, account));
        assertEquals(2, count("select count(*) from oauth_authorization"), "a client's own grant held only access tokens: not kept");
        assertEquals(1, count("select count(*) from oauth_authorization where id = ? and revoked_at is not null", disabledGrant),
                "a disabled account's grant carries over revoked");
        assertEquals(2, count("select count(*) from token where authorization_id = ? and metadata = '{}'::jsonb", grant),
                "the code and the refresh token name it, and keep nothing of it in jsonb");
        assertEquals(1, count("select count(*) from token where authorization_id = ? and kind = 'authorization_code' and used_at is not null", grant),
                "a redeemed code is used up, typed");
        assertEquals(0, count("select count(*) from token where kind = 'access'"), "access rows go: the JWT carries them");
        assertEquals(1, count("select count(*) from revocation where kind = 'access_token' and subject = ?", revokedJti.toString()),
                "a revoked access token stays revoked");
        }
    }

    private long count(String sql, Object... parameters) throws Exception {
        return schema.count(sql, parameters);
    }
}
