package dev.gatehouse.audit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One security event as the readers see it. {@code detail} is a few words for people; never a secret. */
@RegisterForReflection
public record AuditEvent(long id, Instant occurredAt, String type, Actor actor, UUID accountId, String subject,
        String clientAddress, String userAgent, Map<String, Object> detail) {

    /** What happened. The names are the {@code type} column's values. */
    public enum Type {
        SIGN_IN_SUCCEEDED("sign_in.succeeded"),
        SIGN_IN_FAILED("sign_in.failed"),
        SIGNED_OUT("sign_out"),
        PASSWORD_RESET_REQUESTED("password.reset_requested"),
        PASSWORD_RESET("password.reset"),
        PASSWORD_CHANGED("password.changed"),
        SESSION_ENDED("session.ended"),
        UPSTREAM_LINKED("upstream.linked"),
        UPSTREAM_UNLINKED("upstream.unlinked"),
        UPSTREAM_LINK_REFUSED("upstream.link_refused"),
        UPSTREAM_LINK_MAILED("upstream.link_mailed"),
        PASSKEY_ADDED("passkey.added"),
        PASSKEY_REMOVED("passkey.removed"),
        API_KEY_MINTED("api_key.minted"),
        API_KEY_ROLLED("api_key.rolled"),
        API_KEY_REVOKED("api_key.revoked"),
        API_KEY_LEAKED("api_key.reported_leaked"),
        GRANT_ISSUED("grant.issued"),
        GRANT_REVOKED("grant.revoked"),
        REFRESH_TOKEN_REUSED("refresh_token.reuse_detected"),
        CLIENT_CREATED("client.created"),
        CLIENT_CHANGED("client.changed"),
        CLIENT_SECRET_ROTATED("client.secret_rotated"),
        CLIENT_DELETED("client.deleted"),
        AGENT_REGISTERED("agent.registered"),
        AGENT_CLAIMED("agent.claimed"),
        AGENT_REVOKED("agent.revoked"),
        ACCOUNT_DISABLED("account.disabled"),
        ACCOUNT_ENABLED("account.enabled"),
        ACCOUNT_UNLOCKED("account.unlocked"),
        ADMIN_ACTION("admin.action");

        private final String name;

        Type(String name) {
            this.name = name;
        }

        public String column() {
            return name;
        }

        public static boolean known(String name) {
            for (Type type : values()) {
                if (type.name.equals(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Who acted: a person, an operator, a client, an agent, someone anonymous, or Gatehouse itself. */
    @RegisterForReflection
    public record Actor(String kind, String id) {
        public static final Actor ANONYMOUS = new Actor("anonymous", null);
        public static final Actor SYSTEM = new Actor("system", null);
        /** The holder of gatehouse.admin.token. */
        public static final Actor ADMIN_TOKEN = new Actor("operator", "admin-token");

        public static Actor person(UUID accountId) {
            return new Actor("person", accountId.toString());
        }

        public static Actor operator(UUID accountId) {
            return new Actor("operator", accountId.toString());
        }

        public static Actor client(String clientId) {
            return new Actor("client", clientId);
        }

        public static Actor agent(UUID agentId) {
            return new Actor("agent", agentId.toString());
        }
    }
}
