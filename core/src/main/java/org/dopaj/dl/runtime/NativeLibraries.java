package org.dopaj.dl.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.dopaj.DopajException;

/**
 * Finds the TensorFlow native libraries inside a jar on the classpath and extracts them once into a per-user
 * versioned cache folder, so DJL never downloads anything (DJL refuses native jars it did not publish and
 * would otherwise fetch its own build from the internet).
 *
 * <p>Two jar layouts are understood: TF Java's {@code org.tensorflow:tensorflow-core-native:<v>:linux-x86_64}
 * (files under {@code org/tensorflow/internal/c_api/linux-x86_64/}, CPU; {@code linux-x86_64-gpu} is CUDA) and
 * DJL's {@code ai.djl.tensorflow:tensorflow-native-cu121:2.16.1:linux-x86_64} (files under {@code native/lib/}
 * with a {@code tensorflow.properties} whose {@code classifier} starts with the flavour, e.g. {@code cu121}).
 *
 * <p>Extraction writes into a temporary folder beside the target and renames it atomically, so a crash or a
 * second JVM never sees a half-written library. A cached folder is reused when every library's size matches
 * the jar entry and the jar entry's CRC-32 matches the one recorded at extraction (cheap, from the zip
 * directory); {@code -Ddopaj.natives.verify=sha256} also re-hashes every cached file against the SHA-256
 * recorded at extraction. Any mismatch → the folder is replaced by a fresh extraction.
 */
public final class NativeLibraries {
    /** The three files DJL's TF engine and TF Java need, in load order. */
    public static final List<String> LIBRARIES =
            List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "libjnitensorflow.so");

    static final String MANIFEST = "dopaj-natives.properties";
    private static final String TFJAVA_PREFIX = "org/tensorflow/internal/c_api/";
    private static final String DJL_PREFIX = "native/lib/";

    /** Where the libraries come from. */
    public record Source(URL jar, String prefix, String flavor, String version) {
        /** {@code true} for a CUDA build. */
        public boolean isGpuBuild() {
            return flavor.startsWith("cu") || flavor.equals("gpu");
        }
    }

    /** The outcome: the folder holding the three libraries, and whether they were extracted just now. */
    public record Extracted(Path dir, Source source, boolean freshlyExtracted, long millis) {
    }

    private NativeLibraries() {
    }

    /** The native build on the classpath, or {@code null} when none is there. */
    public static Source find(ClassLoader loader) {
        // DJL-published layout (the GPU profile): native/lib/tensorflow.properties names the flavour.
        URL props = loader.getResource(DJL_PREFIX + "tensorflow.properties");
        URL djlLib = loader.getResource(DJL_PREFIX + "libjnitensorflow.so");
        if (props != null && djlLib != null) {
            Properties p = new Properties();
            try (InputStream in = props.openStream()) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String classifier = p.getProperty("classifier", "cpu-linux-x86_64");
            String flavor = classifier.contains("-") ? classifier.substring(0, classifier.indexOf('-')) : classifier;
            return new Source(jarOf(djlLib), DJL_PREFIX, flavor, p.getProperty("version", "unknown"));
        }
        // TF Java layout: GPU classifier first, so a CUDA jar wins when both are present.
        for (String[] platform : new String[][] {{"linux-x86_64-gpu", "gpu"}, {"linux-x86_64", "cpu"}}) {
            String prefix = TFJAVA_PREFIX + platform[0] + "/";
            URL lib = loader.getResource(prefix + "libjnitensorflow.so");
            if (lib != null) {
                return new Source(jarOf(lib), prefix, platform[1], tfJavaVersion(loader, lib));
            }
        }
        return null;
    }

    private static String tfJavaVersion(ClassLoader loader, URL lib) {
        try (JarFile jar = openJar(jarOf(lib))) {
            ZipEntry e = jar.getEntry("META-INF/maven/org.tensorflow/tensorflow-core-native/pom.properties");
            if (e != null) {
                Properties p = new Properties();
                try (InputStream in = jar.getInputStream(e)) {
                    p.load(in);
                }
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "unknown";
    }

    private static URL jarOf(URL resource) {
        if (!"jar".equals(resource.getProtocol())) {
            throw new DopajException("TensorFlow native library " + resource
                    + " is not inside a jar; put the native jar on the classpath unpacked as a jar");
        }
        try {
            return ((JarURLConnection) resource.openConnection()).getJarFileURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JarFile openJar(URL jarUrl) throws IOException {
        try {
            return new JarFile(Paths.get(jarUrl.toURI()).toFile());
        } catch (URISyntaxException e) {
            throw new IOException("bad jar URL " + jarUrl, e);
        }
    }

    /** The default cache root: {@code -Ddopaj.cache=DIR}, else {@code ~/.dopaj/cache}. */
    public static Path cacheRoot() {
        String p = System.getProperty("dopaj.cache");
        if (p != null && !p.isBlank()) {
            return Paths.get(p);
        }
        return Paths.get(System.getProperty("user.home"), ".dopaj", "cache");
    }

    /** Extracts (or reuses) the libraries of {@code source} under {@code cacheRoot}. */
    public static Extracted extract(Source source, Path cacheRoot) {
        long t0 = System.nanoTime();
        Path dir = cacheRoot.resolve("tf-" + source.version() + "-" + source.flavor());
        try (JarFile jar = openJar(source.jar())) {
            List<ZipEntry> entries = new ArrayList<>();
            for (String lib : LIBRARIES) {
                ZipEntry e = jar.getEntry(source.prefix() + lib);
                if (e == null) {
                    throw new DopajException("TensorFlow native jar " + source.jar() + " lacks " + source.prefix() + lib);
                }
                entries.add(e);
            }
            if (Files.isDirectory(dir)) {
                String why = staleReason(dir, entries);
                if (why == null) {
                    return new Extracted(dir, source, false, (System.nanoTime() - t0) / 1_000_000);
                }
                TensorFlowRuntime.LOG.warning("TensorFlow native cache " + dir + " is stale (" + why + "): re-extracting");
                deleteTree(dir);
            }
            Files.createDirectories(cacheRoot);
            Path tmp = Files.createTempDirectory(cacheRoot, ".extract-tf-");
            try {
                Properties manifest = new Properties();
                for (int i = 0; i < LIBRARIES.size(); i++) {
                    String lib = LIBRARIES.get(i);
                    ZipEntry e = entries.get(i);
                    MessageDigest sha = sha256();
                    try (InputStream in = new DigestInputStream(jar.getInputStream(e), sha);
                         OutputStream out = Files.newOutputStream(tmp.resolve(lib))) {
                        in.transferTo(out);
                    }
                    manifest.setProperty(lib + ".size", Long.toString(e.getSize()));
                    manifest.setProperty(lib + ".crc", Long.toString(e.getCrc()));
                    manifest.setProperty(lib + ".sha256", HexFormat.of().formatHex(sha.digest()));
                }
                manifest.setProperty("source", source.jar().toString());
                try (OutputStream out = Files.newOutputStream(tmp.resolve(MANIFEST))) {
                    manifest.store(out, "DopaJ: TensorFlow natives extracted from the classpath jar");
                }
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new DopajException("cannot atomically create " + dir + " (" + e.getMessage() + ")");
                } catch (IOException moveFailed) {
                    // Another JVM renamed its copy into place first (Linux: "Directory not empty"): use it if whole.
                    if (!Files.isDirectory(dir)) {
                        throw moveFailed;
                    }
                    String why = staleReason(dir, entries);
                    if (why != null) {
                        throw new DopajException("TensorFlow native cache " + dir + " was written concurrently and is "
                                + why + "; delete it and retry");
                    }
                    return new Extracted(dir, source, false, (System.nanoTime() - t0) / 1_000_000);
                }
            } finally {
                if (Files.exists(tmp)) {
                    deleteTree(tmp);
                }
            }
            return new Extracted(dir, source, true, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new DopajException("cannot extract TensorFlow native libraries to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code null} when the cached folder matches the jar; otherwise why not. */
    static String staleReason(Path dir, List<ZipEntry> entries) throws IOException {
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            return "no " + MANIFEST;
        }
        Properties manifest = new Properties();
        try (InputStream in = Files.newInputStream(mf)) {
            manifest.load(in);
        }
        boolean fullCheck = "sha256".equalsIgnoreCase(System.getProperty("dopaj.natives.verify"));
        for (int i = 0; i < LIBRARIES.size(); i++) {
            String lib = LIBRARIES.get(i);
            ZipEntry e = entries.get(i);
            Path f = dir.resolve(lib);
            if (!Files.isRegularFile(f)) {
                return lib + " missing";
            }
            if (Files.size(f) != e.getSize()) {
                return lib + " has " + Files.size(f) + " bytes, jar has " + e.getSize();
            }
            if (!Long.toString(e.getCrc()).equals(manifest.getProperty(lib + ".crc"))) {
                return lib + " came from a different jar (CRC differs)";
            }
            if (fullCheck) {
                String got = org.dopaj.dl.model.ModelPackage.sha256(f);
                if (!got.equals(manifest.getProperty(lib + ".sha256"))) {
                    return lib + " sha256 " + got + " differs from the one recorded at extraction";
                }
            }
        }
        return null;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        org.dopaj.FileTrees.delete(dir);
    }
}
