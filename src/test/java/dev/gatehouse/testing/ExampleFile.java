package dev.gatehouse.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** One of the deployment files in examples/, loaded as a test profile. */
public abstract class ExampleFile implements QuarkusTestProfile {
    private final String name;

    protected ExampleFile(String name) {
        this.name = name;
    }

    public static Properties load(String name) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("examples", name + ".properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>();
        load(name).forEach((key, value) -> overrides.put((String) key, (String) value));
        overrides.remove("config_ordinal");
        return overrides;
    }

    public static class Jobiflow extends ExampleFile {
        public Jobiflow() {
            super("jobiflow");
        }
    }

    public static class Jobby extends ExampleFile {
        public Jobby() {
            super("jobby");
        }
    }

    public static class JobsPipe extends ExampleFile {
        public JobsPipe() {
            super("jobspipe");
        }
    }

    public static class Jobo extends ExampleFile {
        public Jobo() {
            super("jobo");
        }
    }

    /** JobTactics, with a real SMTP server for its high-usage alert. */
    public static class JobTactics extends ExampleFile {
        public JobTactics() {
            super("jobtactics");
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(MailServer.class));
        }
    }
}
