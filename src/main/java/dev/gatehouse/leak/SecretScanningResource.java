package dev.gatehouse.leak;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.web.ApiProblem;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code POST /secret-scanning/report}: GitHub's secret scanning partner endpoint (specs.md §10.2). The
 * body is read as bytes and its signature checked over exactly those bytes before it is parsed; a report
 * that is unsigned, badly signed or malformed revokes nothing. Off (404) when no signing key is configured.
 */
@Path("/secret-scanning/report")
public class SecretScanningResource {
    private static final Logger LOG = Logger.getLogger(SecretScanningResource.class);
    static final String KEY_ID_HEADER = "Github-Public-Key-Identifier";
    static final String SIGNATURE_HEADER = "Github-Public-Key-Signature";

    /** Lenient about fields GitHub may add, strict about JSON itself: one document, no duplicate keys. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final GitHubSigningKeys keys;
    private final LeakedKeys leakedKeys;
    private final SecretScanningConfig config;

    SecretScanningResource(GitHubSigningKeys keys, LeakedKeys leakedKeys, SecretScanningConfig config) {
        this.keys = keys;
        this.leakedKeys = leakedKeys;
        this.config = config;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public List<LeakFeedback> report(InputStream body, @HeaderParam(KEY_ID_HEADER) String keyId,
            @HeaderParam(SIGNATURE_HEADER) String signature) throws IOException {
        if (!keys.enabled()) {
            throw ApiProblem.notFound("No such resource");
        }
        if (keyId == null || keyId.isBlank() || signature == null || signature.isBlank()) {
            throw new ApiProblem(401, KEY_ID_HEADER + " and " + SIGNATURE_HEADER + " are required");
        }
        // The raw bytes, exactly as signed: parsing and writing the JSON again would change them.
        byte[] raw = body.readNBytes(config.maxBodyBytes() + 1);
        if (raw.length > config.maxBodyBytes()) {
            throw new ApiProblem(413, "The report is larger than " + config.maxBodyBytes() + " bytes");
        }
        switch (keys.verify(keyId.strip(), signature, raw)) {
            case VALID -> {
            }
            case UNKNOWN_KEY -> {
                LOG.info("Secret scanning report refused: unknown signing key");
                throw new ApiProblem(401, "Unknown " + KEY_ID_HEADER);
            }
            case INVALID_SIGNATURE -> {
                LOG.info("Secret scanning report refused: the signature does not match the body");
                throw new ApiProblem(401, "The signature does not match the report");
            }
        }
        return leakedKeys.handle(parse(raw));
    }

    /** Every entry is checked before any is acted on, so a malformed report revokes nothing. */
    private List<LeakReport> parse(byte[] raw) {
        JsonNode root;
        try {
            root = JSON.readTree(raw);
        } catch (JacksonException e) {
            // Jackson's message quotes the input, which holds live keys: never pass it on.
            throw ApiProblem.badRequest("The report is not valid JSON");
        } catch (IOException e) {
            throw ApiProblem.badRequest("The report could not be read");
        }
        if (root == null || !root.isArray()) {
            throw ApiProblem.badRequest("The report must be a JSON array of {token, type, url, source}");
        }
        if (root.size() > config.maxEntries()) {
            throw new ApiProblem(413, "The report has more than " + config.maxEntries() + " entries");
        }
        List<LeakReport> reports = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            if (!entry.isObject()) {
                throw ApiProblem.badRequest("Entry " + i + " must be an object");
            }
            String token = text(entry, "token", i, true);
            if (token.isEmpty()) {
                throw ApiProblem.badRequest("Entry " + i + ": token must not be empty");
            }
            reports.add(new LeakReport(token, text(entry, "type", i, true), text(entry, "url", i, false),
                    text(entry, "source", i, false)));
        }
        return reports;
    }

    private static String text(JsonNode entry, String field, int index, boolean required) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiProblem.badRequest("Entry " + index + ": " + field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiProblem.badRequest("Entry " + index + ": " + field + " must be a string");
        }
        return value.textValue();
    }
}
