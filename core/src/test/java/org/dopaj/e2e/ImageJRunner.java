package org.dopaj.e2e;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs the BUILT plugin (target/plugins: DopaJ_-v.jar + plugins/jars) into a fresh ImageJ 1.54p folder
 * and runs an ImageJ macro in batch mode under Xvfb, the way a user's script would:
 * {@code xvfb-run -a java -Dplugins.dir=HOME -cp ij.jar ij.ImageJ -batch macro.ijm}. Always under a timeout,
 * since a modal dialog would hang. Callers must check output files, not the exit code (ImageJ exits 0 after
 * a failing plugin; DESIGN.md §2).
 */
final class ImageJRunner {
    final Path home;
    final Path ijJar;

    record Result(int exitCode, String output) {
    }

    private ImageJRunner(Path home, Path ijJar) {
        this.home = home;
        this.ijJar = ijJar;
    }

    /** Builds an ImageJ folder under {@code dir}, or skips the test (with the reason) when it cannot. */
    static ImageJRunner install(Path dir) throws IOException {
        assumeFalse(Boolean.getBoolean("dopaj.skip.e2e"), "end-to-end ImageJ tests skipped (-Dskip.e2e=true)");
        assumeTrue(onPath("xvfb-run"), "xvfb-run not installed (apt-get install xvfb xauth): skipping ImageJ macro tests");
        Path target = Paths.get(System.getProperty("dopaj.target", "core/target"));
        Path plugins = target.resolve("plugins");
        String jarName = "DopaJ_-" + System.getProperty("dopaj.version") + ".jar";
        if (!Files.isRegularFile(plugins.resolve(jarName))) {
            throw new IllegalStateException("built plugin " + plugins.resolve(jarName) + " missing: run mvn verify");
        }
        Path ij;
        try (Stream<Path> s = Files.list(target.resolve("lib"))) {
            ij = s.filter(p -> p.getFileName().toString().startsWith("ij-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("target/lib/ij-*.jar missing"));
        }
        Path home = dir.resolve("ImageJ");
        Path hp = home.resolve("plugins");
        Files.createDirectories(hp.resolve("jars"));
        Files.copy(plugins.resolve(jarName), hp.resolve(jarName));
        try (Stream<Path> s = Files.list(plugins.resolve("jars"))) {
            for (Path j : (Iterable<Path>) s::iterator) {
                // symlinks keep the 150 MB TensorFlow native jar from being copied for every test
                Files.createSymbolicLink(hp.resolve("jars").resolve(j.getFileName()), j.toAbsolutePath());
            }
        }
        Path ijCopy = home.resolve("ij.jar");
        Files.copy(ij, ijCopy, StandardCopyOption.REPLACE_EXISTING);
        return new ImageJRunner(home, ijCopy);
    }

    /**
     * Adds the test-only plugin "DopaJ Test Helper" (Macro Recorder recording in macros, flattened PNGs: see
     * {@code DopaJ_Test_Helper}) to this ImageJ's plugins folder.
     */
    void installHelper() throws IOException {
        Path cls = Paths.get(System.getProperty("dopaj.target", "core/target"), "test-classes", "DopaJ_Test_Helper.class");
        Files.copy(cls, home.resolve("plugins").resolve(cls.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs {@code macro} (ImageJ macro language) in batch mode; returns exit code and stdout+stderr. */
    Result runMacro(String macro, int timeoutSeconds) throws IOException, InterruptedException {
        Path m = Files.createTempFile(home, "test", ".ijm");
        Files.writeString(m, macro, StandardCharsets.UTF_8);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("timeout", String.valueOf(timeoutSeconds), "xvfb-run", "-a",
                java, "-Xmx2g", "-Dslf4j.internal.verbosity=ERROR", "-Dplugins.dir=" + home, "-Duser.home=" + home, "-cp", ijJar.toString(), "ij.ImageJ",
                "-batch", m.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("---- ImageJ output of " + m.getFileName() + " ----\n" + text); // kept in the test report
        return new Result(p.exitValue(), text);
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (Files.isExecutable(Paths.get(d, exe))) {
                return true;
            }
        }
        return false;
    }

    /** A macro string literal for a path. */
    static String q(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
