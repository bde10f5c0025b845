package dev.gatehouse.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.Database;
import dev.gatehouse.testing.ScratchSchema;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Migration V21 on a database that holds tokens with jsonb metadata: a provider-registered agent's key keeps
 * its (iss, sub) in {@code agent_provider_credential}, so the provider's logout token still revokes it; sessions
 * lose their stored CSRF token and email (both are derived now) and the column goes. Run in a schema of its
 * own, migrated to V20 first.
 */
@QuarkusTest
class TokenMetadataMigrationTest {
    @Inject
    AgroalDataSource database;

    private ScratchSchema schema;

    @org.junit.jupiter.api.BeforeEach
    void scratch() {
        schema = new ScratchSchema(database, "upgrade_v21");
    }

    @AfterEach
    void dropSchema() throws Exception {
        schema.close();
    }

    @Test
    void providerAgentKeysKeepTheirIssuerAndSubjectTyped() throws Exception {
        schema.migrateTo("20");
        UUID account = UUID.randomUUID();
        UUID providerKey = UUID.randomUUID();
        UUID anonymousKey = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        schema.insert(sql -> {
                sql.execute("insert into account (id, email, password_hash) values ('" + account + "', 'm21@example.test', 'x')");
                sql.execute("insert into token (id, kind, account_id, secret_hash, metadata) values"
                        + " ('" + providerKey + "', 'agent', '" + account + "', sha256('a'::bytea),"
                        + " '{\"registration\": \"reg_1\", \"iss\": \"https://agents.example\", \"sub\": \"person-1\"}'),"
                        + " ('" + anonymousKey + "', 'agent', null, sha256('b'::bytea), '{\"registration\": \"reg_2\"}'),"
                        + " ('" + session + "', 'session', '" + account + "', sha256('c'::bytea), '{\"csrf\": \"x\", \"email\": \"m21@example.test\"}')");
        });

        schema.migrateTo("21");
        assertEquals(1, count("select count(*) from agent_provider_credential where token_id = ? and issuer = 'https://agents.example'"
                + " and subject = 'person-1'", providerKey), "the provider agent's key, with its iss and sub");
        assertEquals(1, count("select count(*) from agent_provider_credential"), "only keys a provider registered");
        assertEquals(3, count("select count(*) from token"), "every token stays");
        assertEquals(0, count("select count(*) from information_schema.columns where table_schema = ? and table_name = 'token'"
                + " and column_name = 'metadata'", schema.name()), "no jsonb left on the token");
    }

    private long count(String sql, Object... parameters) throws Exception {
        return sql.contains("information_schema") ? Database.count(database, sql, parameters) : schema.count(sql, parameters);
    }
}
