package dev.gatehouse.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.Database;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
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
    private static final String SCHEMA = "upgrade_v21";

    @Inject
    AgroalDataSource database;

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(database).schemas(SCHEMA).createSchemas(true)
                .locations("classpath:db/migration").target(target).load();
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection connection = database.getConnection(); Statement drop = connection.createStatement()) {
            drop.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    @Test
    void providerAgentKeysKeepTheirIssuerAndSubjectTyped() throws Exception {
        flyway("20").migrate();
        UUID account = UUID.randomUUID();
        UUID providerKey = UUID.randomUUID();
        UUID anonymousKey = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("set search_path to " + SCHEMA);
            try {
                sql.execute("insert into account (id, email, password_hash) values ('" + account + "', 'm21@example.test', 'x')");
                sql.execute("insert into token (id, kind, account_id, secret_hash, metadata) values"
                        + " ('" + providerKey + "', 'agent', '" + account + "', sha256('a'::bytea),"
                        + " '{\"registration\": \"reg_1\", \"iss\": \"https://agents.example\", \"sub\": \"person-1\"}'),"
                        + " ('" + anonymousKey + "', 'agent', null, sha256('b'::bytea), '{\"registration\": \"reg_2\"}'),"
                        + " ('" + session + "', 'session', '" + account + "', sha256('c'::bytea), '{\"csrf\": \"x\", \"email\": \"m21@example.test\"}')");
            } finally {
                sql.execute("reset search_path");
            }
        }

        flyway("21").migrate();
        assertEquals(1, count("select count(*) from agent_provider_credential where token_id = ? and issuer = 'https://agents.example'"
                + " and subject = 'person-1'", providerKey), "the provider agent's key, with its iss and sub");
        assertEquals(1, count("select count(*) from agent_provider_credential"), "only keys a provider registered");
        assertEquals(3, count("select count(*) from token"), "every token stays");
        assertEquals(0, count("select count(*) from information_schema.columns where table_schema = ? and table_name = 'token'"
                + " and column_name = 'metadata'", SCHEMA), "no jsonb left on the token");
    }

    private long count(String sql, Object... parameters) throws Exception {
        String inSchema = sql.contains("information_schema") ? sql : sql.replace(" from ", " from " + SCHEMA + ".");
        return Database.count(database, inSchema, parameters);
    }
}
