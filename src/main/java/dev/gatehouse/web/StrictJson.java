package dev.gatehouse.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.outcome.Rejection;
import java.util.Iterator;
import java.util.Set;

/** Operators' request bodies are read strictly: an unknown field is refused, never ignored, so a typo changes nothing. */
public final class StrictJson {
    private StrictJson() {
    }

    /** The body is a JSON object with no field but {@code allowed}. */
    public static void fieldsOnly(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw Rejection.invalid("The request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw Rejection.invalid("Unknown field '" + name + "'");
            }
        }
    }
}
