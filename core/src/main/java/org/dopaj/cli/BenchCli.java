package org.dopaj.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.model.Npy;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.dl.runtime.TensorFlowRuntime;

/**
 * {@code dopaj bench [ID|DIR ...] [--device auto|cpu|gpu] [--repeat N] [--json]}: engine start-up time, then for each
 * model package it can load (all bundled ones by default; external-weight packages whose weights are absent are
 * listed as skipped) the model load time and the single-image latency (median, p95) and throughput over N runs of
 * the package's test input, after 3 warm-up runs. Figures are wall-clock on this machine.
 */
public final class BenchCli implements CliCommand {
    static final int WARMUP = 3;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String usage() {
        return "bench [ID|DIR ...] [--device auto|cpu|gpu] [--repeat N] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("device", "repeat"), Set.of("json"));
        int repeat = a.integer("repeat", 50);
        if (repeat < 1) {
            throw new DopajException("option --repeat must be ≥ 1, got " + repeat);
        }
        ComputeDevice requested = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        List<Path> dirs = new ArrayList<>();
        if (a.positionals().isEmpty()) {
            Path models = ModelRegistry.modelsDir();
            if (models == null) {
                throw new DopajException("no models/ folder found (set -Ddopaj.models=DIR or name package folders)");
            }
            dirs.addAll(ModelRegistry.packageDirs(models));
        } else {
            for (String p : a.positionals()) {
                dirs.add(ModelRegistry.find(p));
            }
        }
        long t0 = System.nanoTime();
        TensorFlowRuntime.Info info = TensorFlowRuntime.init();
        double initMs = (System.nanoTime() - t0) / 1e6;
        ComputeDevice device = TensorFlowRuntime.resolve(requested);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("engine", "TensorFlow " + info.engineVersion());
        report.put("native_build", info.nativeFlavor() + " " + info.nativeVersion());
        report.put("native_dir", info.libraryDir().toString());
        report.put("natives_extracted_now", info.freshlyExtracted());
        report.put("engine_load_ms", round(initMs));
        report.put("device_requested", requested.toString());
        report.put("device", device.toString());
        report.put("repeat", repeat);
        report.put("cpus", Runtime.getRuntime().availableProcessors());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path d : dirs) {
            rows.add(benchOne(d, device, repeat));
        }
        report.put("models", rows);
        if (a.flag("json")) {
            out.println(new GsonBuilder().serializeNulls().create().toJson(report));
        } else {
            out.printf("engine: %s, %s build, natives %s%s; engine load %.0f ms; device %s (requested %s)%n",
                    report.get("engine"), report.get("native_build"), report.get("native_dir"),
                    info.freshlyExtracted() ? " (extracted now)" : " (cached)", initMs, device, requested);
            for (Map<String, Object> r : rows) {
                if (r.containsKey("skipped")) {
                    out.printf("  %-30s skipped: %s%n", r.get("id"), r.get("skipped"));
                } else {
                    out.printf("  %-30s input %s: load %.0f ms, latency median %.2f ms, p95 %.2f ms, %.1f images/s (%d runs)%n",
                            r.get("id"), r.get("input_shape"), (Double) r.get("model_load_ms"),
                            (Double) r.get("latency_median_ms"), (Double) r.get("latency_p95_ms"),
                            (Double) r.get("throughput_per_s"), repeat);
                }
            }
        }
        return 0;
    }

    private static Map<String, Object> benchOne(Path dir, ComputeDevice device, int repeat) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", dir.getFileName().toString());
        ModelPackage p;
        try {
            p = ModelPackage.load(dir);
            r.put("id", p.id());
        } catch (DopajException e) {
            r.put("skipped", e.getMessage());
            return r;
        }
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (TensorSpec t : p.inputs()) {
            if (t.testTensor() != null) {
                feed.put(t.id(), Npy.read(p.dir().resolve(t.testTensor())));
            } else {
                long[] shape = t.fixedShape(1);
                if (shape == null) {
                    r.put("skipped", "input '" + t.id() + "' has no test tensor and no fixed shape");
                    return r;
                }
                feed.put(t.id(), Tensor.zeros(shape));
            }
        }
        r.put("input_shape", Arrays.toString(feed.values().iterator().next().shape()));
        long t0 = System.nanoTime();
        try (DopajModel m = DopajModel.load(p, device)) {
            r.put("model_load_ms", round((System.nanoTime() - t0) / 1e6));
            for (int i = 0; i < WARMUP; i++) {
                m.predict(feed);
            }
            double[] ms = new double[repeat];
            long all0 = System.nanoTime();
            for (int i = 0; i < repeat; i++) {
                long s = System.nanoTime();
                m.predict(feed);
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            double totalS = (System.nanoTime() - all0) / 1e9;
            Arrays.sort(ms);
            r.put("latency_median_ms", round(percentile(ms, 50)));
            r.put("latency_p95_ms", round(percentile(ms, 95)));
            r.put("latency_min_ms", round(ms[0]));
            r.put("throughput_per_s", round(repeat / totalS));
            r.put("device", m.device().toString());
        }
        return r;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double pct) {
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
