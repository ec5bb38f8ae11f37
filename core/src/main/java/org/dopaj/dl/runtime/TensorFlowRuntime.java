package org.dopaj.dl.runtime;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.logging.Logger;
import org.dopaj.DopajException;

/**
 * The one place that brings TensorFlow up, offline, for both DJL (inference) and plain TF Java (training).
 *
 * <p>{@link #init()} is idempotent and thread-safe. It (1) finds the TensorFlow native jar on the classpath,
 * (2) extracts its three libraries into {@code ~/.dopaj/cache/tf-<version>-<flavor>/} (see
 * {@link NativeLibraries}) — or, when TF Java was already loaded by someone else, reuses the folder JavaCPP
 * loaded it from, (3) sets {@code TENSORFLOW_LIBRARY_PATH} (DJL's {@code LibUtils} reads it as a system property
 * or environment variable), {@code ai.djl.offline=true}, {@code org.bytedeco.javacpp.pathsFirst=true} and
 * JavaCPP's preload path, and (4) calls {@code Engine.getEngine("TensorFlow")}. Nothing is downloaded.
 *
 * <p>Device choice is logged through {@code java.util.logging} (logger {@code org.dopaj.dl.runtime}).
 * Call {@code init()} before the first {@code org.tensorflow.*} use: with the CPU build TF Java also works when
 * touched first (JavaCPP then extracts its own copy), but the CUDA build ({@code mvn -Pgpu}) ships its libraries
 * where only this class finds them.
 */
public final class TensorFlowRuntime {
    static final Logger LOG = Logger.getLogger("org.dopaj.dl.runtime");

    /** What {@link #init()} found and did. */
    public record Info(String engineVersion, String nativeFlavor, String nativeVersion, Path libraryDir,
                       boolean freshlyExtracted, boolean reusedLoadedTfJava, long extractMillis, long engineMillis,
                       boolean gpuBuild, String gpuVisibility) {
        /** One line for logs and {@code dopaj bench}. */
        public String describe() {
            return "TensorFlow " + engineVersion + " (" + nativeFlavor + " build " + nativeVersion + ") from "
                    + libraryDir + (freshlyExtracted ? " [extracted " + extractMillis + " ms]" : " [cached]")
                    + (reusedLoadedTfJava ? " [reused TF Java's loaded natives]" : "")
                    + ", engine up in " + engineMillis + " ms";
        }
    }

    private static volatile Info info;

    private TensorFlowRuntime() {
    }

    /** Brings TensorFlow up once; later calls return the same {@link Info}. */
    public static Info init() {
        Info i = info;
        if (i != null) {
            return i;
        }
        synchronized (TensorFlowRuntime.class) {
            if (info == null) {
                info = withDopajClassLoader(TensorFlowRuntime::bringUp);
            }
            return info;
        }
    }

    /**
     * Runs {@code work} with DopaJ's own class loader as the thread's context loader. DJL finds its engines
     * through the context loader; in ImageJ/Fiji that is the system loader, which cannot see the plugin's jars
     * ("Deep learning engine not found: TensorFlow"), so every DJL entry point goes through here.
     */
    public static <T> T withDopajClassLoader(java.util.function.Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(TensorFlowRuntime.class.getClassLoader());
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /** {@code true} once {@link #init()} has succeeded in this JVM. */
    public static boolean isInitialized() {
        return info != null;
    }

    /** The DJL TensorFlow engine (initialising first if needed). */
    public static Engine engine() {
        init();
        return Engine.getEngine("TensorFlow");
    }

    private static Info bringUp() {
        ClassLoader loader = TensorFlowRuntime.class.getClassLoader();
        NativeLibraries.Source source = NativeLibraries.find(loader);
        if (source == null) {
            throw new DopajException("no TensorFlow native library on the classpath (expected "
                    + "org.tensorflow:tensorflow-core-native:linux-x86_64 or, with mvn -Pgpu, "
                    + "ai.djl.tensorflow:tensorflow-native-cu121)");
        }
        // These must be set before any DJL or JavaCPP class reads them.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");

        Path dir;
        boolean fresh = false;
        boolean reused = false;
        long extractMs = 0;
        Path alreadyLoaded = loadedTfJavaDir();
        if (alreadyLoaded != null) {
            // TF Java came first: JavaCPP has already loaded its copy. Point DJL at the same files; loading a
            // second copy of libtensorflow_cc into one process would give two TF runtimes.
            dir = alreadyLoaded;
            reused = true;
        } else {
            NativeLibraries.Extracted ex = NativeLibraries.extract(source, NativeLibraries.cacheRoot());
            dir = ex.dir();
            fresh = ex.freshlyExtracted();
            extractMs = ex.millis();
            String preload = System.getProperty("org.bytedeco.javacpp.platform.preloadpath");
            if (preload == null || preload.isBlank()) {
                // So TF Java alone (training, before any DJL call) loads from the same folder.
                System.setProperty("org.bytedeco.javacpp.platform.preloadpath", dir.toString());
            }
        }
        System.setProperty("TENSORFLOW_LIBRARY_PATH", dir.toString());

        long t0 = System.nanoTime();
        Engine engine;
        try {
            engine = Engine.getEngine("TensorFlow");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new DopajException("TensorFlow engine failed to start from " + dir + ": " + e, e);
        }
        long engineMs = (System.nanoTime() - t0) / 1_000_000;
        Info i = new Info(engine.getVersion(), source.flavor(), source.version(), dir, fresh, reused, extractMs,
                engineMs, source.isGpuBuild(), GpuProbe.visibility());
        LOG.info(i.describe());
        return i;
    }

    /** The folder JavaCPP loaded {@code libjnitensorflow.so} from, or {@code null} if TF Java is not loaded. */
    private static Path loadedTfJavaDir() {
        Map<String, String> loaded;
        try {
            loaded = org.bytedeco.javacpp.Loader.getLoadedLibraries();
        } catch (LinkageError e) {
            return null;
        }
        for (Map.Entry<String, String> e : loaded.entrySet()) {
            String path = e.getValue();
            if (path != null && path.endsWith("libjnitensorflow.so")) {
                Path p = Paths.get(path).getParent();
                if (p != null && Files.isRegularFile(p.resolve("libjnitensorflow.so"))) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Turns a requested device into the one that will be used: {@code auto} → GPU only when this is a CUDA build
     * and a GPU is visible, else CPU (logged with the reason); {@code gpu} when impossible → {@link DopajException}
     * saying why; {@code cpu} → CPU.
     */
    public static ComputeDevice resolve(ComputeDevice requested) {
        Info i = init();
        return resolve(requested, i.gpuBuild(), GpuProbe.visible(), GpuProbe.visibility());
    }

    /** Pure decision, testable without hardware. */
    static ComputeDevice resolve(ComputeDevice requested, boolean gpuBuild, boolean gpuVisible, String visibility) {
        ComputeDevice r = requested == null ? ComputeDevice.AUTO : requested;
        switch (r) {
            case CPU:
                LOG.info("device: cpu (requested)");
                return ComputeDevice.CPU;
            case GPU:
                if (!gpuBuild) {
                    throw new DopajException("device gpu: no CUDA build of TensorFlow on the classpath (this is the "
                            + "CPU build; build with mvn -Pgpu to get ai.djl.tensorflow:tensorflow-native-cu121)");
                }
                if (!gpuVisible) {
                    throw new DopajException("device gpu: no NVIDIA GPU visible (" + visibility + ")");
                }
                LOG.info("device: gpu (requested; " + visibility + ")");
                return ComputeDevice.GPU;
            default:
                if (gpuBuild && gpuVisible) {
                    LOG.info("device: gpu (auto: CUDA build and " + visibility + ")");
                    return ComputeDevice.GPU;
                }
                LOG.info("device: cpu (auto: " + (gpuBuild ? visibility : "CPU build of TensorFlow on the classpath")
                        + ")");
                return ComputeDevice.CPU;
        }
    }

    /** Detects an NVIDIA GPU through the kernel driver's files, without loading CUDA. */
    static final class GpuProbe {
        private GpuProbe() {
        }

        static boolean visible() {
            if (hiddenByCudaVisibleDevices()) {
                return false;
            }
            return Files.isRegularFile(Paths.get("/proc/driver/nvidia/version")) && Files.exists(Paths.get("/dev/nvidia0"));
        }

        static boolean hiddenByCudaVisibleDevices() {
            String v = System.getenv("CUDA_VISIBLE_DEVICES");
            return v != null && (v.isBlank() || v.trim().equals("-1"));
        }

        static String visibility() {
            if (hiddenByCudaVisibleDevices()) {
                return "CUDA_VISIBLE_DEVICES hides every GPU";
            }
            if (!Files.isRegularFile(Paths.get("/proc/driver/nvidia/version"))) {
                return "no NVIDIA driver: /proc/driver/nvidia/version missing";
            }
            if (!Files.exists(Paths.get("/dev/nvidia0"))) {
                return "NVIDIA driver loaded but no /dev/nvidia0 device node";
            }
            return "NVIDIA GPU visible at /dev/nvidia0";
        }
    }
}
