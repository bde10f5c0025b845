package dev.gatehouse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Node programs the tests run (the browser scenarios, the upstream OpenID provider): their sources, from a
 * folder of src/test, copied into a work folder under target/ with the npm packages their package.json pins,
 * installed there once per target/ (npm's own cache makes a clean build's install quick). No lock file, so
 * nothing committed names a registry.
 */
public final class NodePackages {
    private NodePackages() {
    }

    /** Copies {@code sources} into {@code work}, and installs the packages unless {@code installedPackage} is there. */
    public static Path prepare(Path sources, Path work, String installedPackage) throws IOException, InterruptedException {
        Files.createDirectories(work);
        try (Stream<Path> files = Files.list(sources)) {
            for (Path source : files.toList()) {
                Files.copy(source, work.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(work.resolve("node_modules").resolve(installedPackage))) {
            // Never the test JVM's own stdin and stdout: surefire talks to its fork through them, and npm, given
            // the stdin, turned it non-blocking and broke that channel ("std/in stream corrupted").
            Path log = work.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error")
                    .directory(work.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install in " + work + " failed:\n" + Files.readString(log));
            }
        }
        return work;
    }
}
