package dev.gatehouse.token;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** Production or sandbox (seed 002): keys of each carry a distinct prefix. */
public enum Environment {
    LIVE("live"),
    TEST("test");

    private final String value;

    Environment(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<Environment> parse(String value) {
        for (Environment environment : values()) {
            if (environment.value.equals(value)) {
                return Optional.of(environment);
            }
        }
        return Optional.empty();
    }
}
