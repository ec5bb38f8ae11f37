package org.dopaj.dl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowRuntimeTest {
    @TempDir
    Path tmp;

    @Test
    void initIsIdempotentOfflineAndUsesTheCache() {
        TensorFlowRuntime.Info a = TensorFlowRuntime.init();
        assertSame(a, TensorFlowRuntime.init());
        assertEquals("2.16.1", a.engineVersion());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("true", System.getProperty("org.bytedeco.javacpp.pathsFirst"));
        assertEquals(a.libraryDir().toString(), System.getProperty("TENSORFLOW_LIBRARY_PATH"));
        for (String lib : NativeLibraries.LIBRARIES) {
            assertTrue(Files.isRegularFile(a.libraryDir().resolve(lib)), lib);
        }
        // every TF library JavaCPP loaded comes from that one folder
        for (Map.Entry<String, String> e : org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().contains("tensorflow")) {
                assertEquals(a.libraryDir(), Paths.get(e.getValue()).getParent(), e.toString());
            }
        }
    }

    @Test
    void deviceChoiceFollowsBuildAndHardware() {
        assertEquals(ComputeDevice.CPU, TensorFlowRuntime.resolve(ComputeDevice.AUTO, false, true, "v"));
        assertEquals(ComputeDevice.CPU, TensorFlowRuntime.resolve(ComputeDevice.AUTO, true, false, "v"));
        assertEquals(ComputeDevice.GPU, TensorFlowRuntime.resolve(ComputeDevice.AUTO, true, true, "v"));
        assertEquals(ComputeDevice.CPU, TensorFlowRuntime.resolve(ComputeDevice.CPU, true, true, "v"));
        DopajException noBuild = assertThrows(DopajException.class,
                () -> TensorFlowRuntime.resolve(ComputeDevice.GPU, false, true, "v"));
        assertTrue(noBuild.getMessage().contains("no CUDA build of TensorFlow on the classpath"), noBuild.getMessage());
        assertTrue(noBuild.getMessage().contains("mvn -Pgpu"), noBuild.getMessage());
        DopajException noCard = assertThrows(DopajException.class,
                () -> TensorFlowRuntime.resolve(ComputeDevice.GPU, true, false, "no NVIDIA driver: x missing"));
        assertTrue(noCard.getMessage().contains("no NVIDIA GPU visible (no NVIDIA driver"), noCard.getMessage());
        assertEquals(ComputeDevice.GPU, ComputeDevice.parse("GPU"));
        assertEquals(ComputeDevice.AUTO, ComputeDevice.parse(null));
        assertThrows(DopajException.class, () -> ComputeDevice.parse("tpu"));
    }

    @Test
    void gpuOnThisCpuBuildIsRefusedWithTheReason() {
        // The default build carries the CPU native jar: asking for the GPU must say so, whatever the hardware.
        TensorFlowRuntime.Info info = TensorFlowRuntime.init();
        if (info.gpuBuild()) {
            return; // mvn -Pgpu run: covered by deviceChoiceFollowsBuildAndHardware
        }
        DopajException e = assertThrows(DopajException.class, () -> TensorFlowRuntime.resolve(ComputeDevice.GPU));
        assertTrue(e.getMessage().startsWith("device gpu: no CUDA build"), e.getMessage());
    }

    /** A jar with the three library names holding small fake contents, in either layout. */
    private Path fakeNativeJar(String name, String prefix, String properties, String payload) throws Exception {
        Path jar = tmp.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String lib : NativeLibraries.LIBRARIES) {
                out.putNextEntry(new JarEntry(prefix + lib));
                out.write((payload + lib).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            if (properties != null) {
                out.putNextEntry(new JarEntry(prefix + "tensorflow.properties"));
                out.write(properties.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void extractsDjlCudaJarLayoutAtomicallyAndReusesOrRepairsTheCache() throws Exception {
        Path jar = fakeNativeJar("tensorflow-native-cu121-2.16.1-linux-x86_64.jar", "native/lib/",
                "version=2.16.1-20240627\nclassifier=cu121-linux-x86_64\n"
                        + "libraries=LICENSE,libjnitensorflow.so,libtensorflow_cc.so.2,libtensorflow_framework.so.2\n",
                "cuda-");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            NativeLibraries.Source src = NativeLibraries.find(cl);
            assertNotNull(src);
            assertEquals("cu121", src.flavor());
            assertTrue(src.isGpuBuild());
            Path cache = tmp.resolve("cache");
            NativeLibraries.Extracted first = NativeLibraries.extract(src, cache);
            assertTrue(first.freshlyExtracted());
            assertEquals(cache.resolve("tf-2.16.1-20240627-cu121"), first.dir());
            assertEquals("cuda-libtensorflow_cc.so.2", Files.readString(first.dir().resolve("libtensorflow_cc.so.2")));
            NativeLibraries.Extracted again = NativeLibraries.extract(src, cache);
            assertFalse(again.freshlyExtracted(), "whole cache must be reused");
            // a truncated library (crash during a foreign copy, disk trouble) is detected by size and replaced
            Files.writeString(first.dir().resolve("libjnitensorflow.so"), "x");
            NativeLibraries.Extracted repaired = NativeLibraries.extract(src, cache);
            assertTrue(repaired.freshlyExtracted());
            assertEquals("cuda-libjnitensorflow.so", Files.readString(repaired.dir().resolve("libjnitensorflow.so")));
            // same size, different bytes: caught by the full SHA-256 check
            Files.writeString(first.dir().resolve("libjnitensorflow.so"), "CUDA-libjnitensorflow.so");
            System.setProperty("dopaj.natives.verify", "sha256");
            try {
                assertTrue(NativeLibraries.extract(src, cache).freshlyExtracted());
            } finally {
                System.clearProperty("dopaj.natives.verify");
            }
            try (var s = Files.list(cache)) {
                assertEquals(List.of("tf-2.16.1-20240627-cu121"), s.map(p -> p.getFileName().toString()).toList(),
                        "no temporary extraction folder left behind");
            }
        }
    }

    @Test
    void concurrentExtractionsAgreeOnOneFolder() throws Exception {
        Path jar = fakeNativeJar("race.jar", "org/tensorflow/internal/c_api/linux-x86_64/", null, "race-");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            NativeLibraries.Source src = NativeLibraries.find(cl);
            for (int round = 0; round < 10; round++) {
                Path cache = tmp.resolve("race" + round);
                List<Thread> threads = new ArrayList<>();
                List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < 4; t++) {
                    Thread th = new Thread(() -> {
                        try {
                            results.add(NativeLibraries.extract(src, cache));
                        } catch (RuntimeException e) {
                            results.add(e);
                        }
                    });
                    threads.add(th);
                    th.start();
                }
                for (Thread th : threads) {
                    th.join();
                }
                long fresh = 0;
                for (Object r : results) {
                    assertTrue(r instanceof NativeLibraries.Extracted, String.valueOf(r));
                    fresh += ((NativeLibraries.Extracted) r).freshlyExtracted() ? 1 : 0;
                }
                assertTrue(fresh >= 1, "someone extracted");
                try (var s = Files.list(cache)) {
                    assertEquals(List.of("tf-unknown-cpu"), s.map(p -> p.getFileName().toString()).toList());
                }
            }
        }
    }

    @Test
    void findsTfJavaCpuLayoutAndPrefersItsGpuClassifier() throws Exception {
        Path cpu = fakeNativeJar("cpu.jar", "org/tensorflow/internal/c_api/linux-x86_64/", null, "cpu-");
        Path gpu = fakeNativeJar("gpu.jar", "org/tensorflow/internal/c_api/linux-x86_64-gpu/", null, "gpu-");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {cpu.toUri().toURL()}, null)) {
            NativeLibraries.Source s = NativeLibraries.find(cl);
            assertEquals("cpu", s.flavor());
            assertFalse(s.isGpuBuild());
        }
        try (URLClassLoader cl = new URLClassLoader(new URL[] {cpu.toUri().toURL(), gpu.toUri().toURL()}, null)) {
            assertTrue(NativeLibraries.find(cl).isGpuBuild());
        }
        try (URLClassLoader cl = new URLClassLoader(new URL[0], null)) {
            assertEquals(null, NativeLibraries.find(cl));
        }
    }

    private static String runProbe(String order) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                TfOrderProbe.class.getName(), order));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void tfJavaAndDjlWorkInEitherOrderInFreshJvms() throws Exception {
        String first = runProbe("dopaj-first");
        assertTrue(first.contains("PROBE-OK dopaj-first"), first);
        assertFalse(first.contains("reused TF Java"), first);
        NativeLibraries.Source src = NativeLibraries.find(getClass().getClassLoader());
        Assumptions.assumeFalse(src.isGpuBuild(), "CUDA build (mvn -Pgpu): its natives sit where only "
                + "TensorFlowRuntime.init() finds them, so TF Java cannot come first; dopaj-first passed");
        String second = runProbe("tf-first");
        assertTrue(second.contains("PROBE-OK tf-first"), second);
        assertTrue(second.contains("reused TF Java's loaded natives"), second);
        for (String out : List.of(first, second)) {
            assertTrue(out.contains("offline=true pathsFirst=true"), out);
            assertFalse(out.toLowerCase().contains("download"), "nothing may be downloaded:\n" + out);
        }
    }

    @Test
    void writesNothingOutsideItsCacheWhenInitialisedFirst() throws Exception {
        // Sanity for the offline claim: the extracted folder's manifest names the classpath jar it came from.
        TensorFlowRuntime.Info info = TensorFlowRuntime.init();
        if (info.reusedLoadedTfJava()) {
            return;
        }
        String mf = Files.readString(info.libraryDir().resolve(NativeLibraries.MANIFEST));
        assertTrue(mf.contains("source=file\\:") || mf.contains("source=file:"), mf);
        assertTrue(mf.contains("libtensorflow_cc.so.2.sha256="), mf);
    }
}
