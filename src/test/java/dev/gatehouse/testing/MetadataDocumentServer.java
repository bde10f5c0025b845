package dev.gatehouse.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server on loopback serving client ID metadata documents, with a certificate that keytool
 * makes for the run and a trust store Gatehouse is configured to use.
 */
public class MetadataDocumentServer implements QuarkusTestResourceLifecycleManager {
    public static final String PASSWORD = "changeit";
    private static volatile String base;
    private HttpsServer server;

    public static String url(String path) {
        return base + path;
    }

    /** The same document by a host name only Gatehouse's resolver knows ({@link TestHosts}). */
    public static String urlByName(String path) {
        return base.replace("127.0.0.1", TestHosts.DOCUMENTS_HOST) + path;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("gatehouse-cimd");
            Path keystore = dir.resolve("server.p12");
            Path cert = dir.resolve("server.crt");
            Path truststore = dir.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,dns:" + TestHosts.DOCUMENTS_HOST + ",ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-rfc",
                    "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-keystore", truststore.toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD);

            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(keystore.toFile())) {
                keys.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(managers.getKeyManagers(), null, null);

            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            base = "https://127.0.0.1:" + server.getAddress().getPort();
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                // The URL the document was fetched at, by whichever name: a document must name its own URL.
                String self = "https://" + exchange.getRequestHeaders().getFirst("Host") + path;
                String body = switch (path) {
                    case "/clients/good.json" -> document(self, self, List.of("http://127.0.0.1/callback"));
                    case "/clients/wrong-id.json" -> document(self, base + "/clients/someone-else.json", List.of("http://127.0.0.1/callback"));
                    case "/clients/http-redirect.json" -> document(self, self, List.of("http://app.example/callback"));
                    case "/clients/huge.json" -> "{\"client_id\":\"" + self + "\",\"padding\":\"" + "x".repeat(20_000) + "\"}";
                    default -> null;
                };
                if (path.equals("/clients/slow.json")) {
                    // Headers at once, then the body a drop at a time: only a deadline on the whole exchange helps.
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int i = 0; i < 30; i++) {
                            out.write(' ');
                            out.flush();
                            Thread.sleep(200);
                        }
                    } catch (InterruptedException | IOException e) {
                        // the client gave up, as it should
                    }
                    exchange.close();
                    return;
                }
                if (path.equals("/clients/moved.json")) {
                    exchange.getResponseHeaders().add("Location", base + "/clients/good.json");
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                    return;
                }
                byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            return Map.of(
                    "gatehouse.oauth.client-metadata.allow-private-addresses", "true",
                    "gatehouse.oauth.client-metadata.timeout", "1s",
                    "gatehouse.oauth.client-metadata.trust-store", truststore.toString(),
                    "gatehouse.oauth.client-metadata.trust-store-password", PASSWORD);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String document(String url, String clientId, List<String> redirects) {
        return "{\"client_id\":\"" + clientId + "\",\"client_name\":\"Metadata document app\",\"redirect_uris\":[\""
                + String.join("\",\"", redirects) + "\"],\"token_endpoint_auth_method\":\"none\"}";
    }

    private static void keytool(String... args) throws IOException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new java.util.ArrayList<>(List.of(keytool));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The profile that starts this server and trusts its certificate. */
    public static class Profile implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MetadataDocumentServer.class));
        }
    }
}
