package org.dopaj.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.batch.BatchCase;
import org.dopaj.batch.BatchRunner;
import org.dopaj.batch.BatchTask;
import org.dopaj.batch.BatchTasks;
import org.dopaj.io.Nifti;
import org.dopaj.spect.SpectPhantom;

/**
 * {@code dopaj bench-batch [--cases N] [--single K] [--jobs 1,2] [--rss-cases M] [--json]}: what a DaT-SPECT batch
 * costs per case against one {@code dopaj spect-classify} process per file (a fresh JVM, engine and model load each
 * time, measured as real child processes), the batch's overhead over the bare capability (the same cases read,
 * normalised and classified in a plain loop), scaling with {@code --jobs}, and the resident memory of a long batch
 * (sampled at case 100 and then every 1000 cases up to M), and what {@code --report} adds per case. Phantoms on the
 * MNI grid, made here.
 */
final class BatchBenchCli implements CliCommand {
    @Override
    public String name() {
        return "bench-batch";
    }

    @Override
    public String usage() {
        return "bench-batch [--cases N] [--single K] [--jobs 1,2] [--rss-cases M] [--brain HEAD.nii.gz [--brain-cases K]]"
                + " [--json]   (DaT-SPECT batch vs one call per file; brain-mask batch per head)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("cases", "single", "jobs", "rss-cases", "brain", "brain-cases"), Set.of("json"));
        int n = a.integer("cases", 200);
        int single = a.integer("single", 5);
        int rssCases = a.integer("rss-cases", 0);
        int[] jobs = Arrays.stream(a.option("jobs", "1,2").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        if (n < 1 || single < 0 || rssCases < 0) {
            throw new DopajException("--cases ≥ 1, --single ≥ 0 and --rss-cases ≥ 0 please");
        }
        Path tmp = Files.createTempDirectory("dopaj-bench-batch");
        try {
            List<Path> files = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                Path f = tmp.resolve("scan" + k + ".nii.gz");
                Nifti.write(SpectPhantom.generate(SpectPhantom.Params.builder().stage(k % 4).seed(100 + k).build())
                        .image(), f, null);
                files.add(f);
            }
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("cpus", Runtime.getRuntime().availableProcessors());
            rep.put("cases", n);
            // one process per file, as a shell loop over dopaj spect-classify would do
            double[] singleMs = new double[single];
            for (int k = 0; k < single; k++) {
                singleMs[k] = childProcessMs(files.get(k % files.size()));
            }
            double singleMedian = single == 0 ? Double.NaN : median(singleMs);
            rep.put("single_call_ms_median", round(singleMedian));
            // the bare capability: read + normalise + classify in a plain loop, model loaded once (not timed);
            // measured before and after the batch runs, the faster kept (the machine's load and the JIT vary)
            BatchTask task = BatchTasks.create("spect-classify", Map.of());
            double bareMs = bare(task, files, n, tmp);
            List<Map<String, Object>> scaling = new ArrayList<>();
            for (int j : jobs) {
                long t = System.nanoTime();
                BatchRunner.run(task, cases(files, n), new BatchRunner.Settings(tmp.resolve("out-" + j), j, false, false, 1,
                        1, false), BatchRunner.Listener.NONE);
                double wallMs = (System.nanoTime() - t) / 1e6;
                double per = wallMs / n;
                // each case's own time from its row; the slowest `jobs` rows are each predictor's first call
                // (TensorFlow's graph warm-up), a start-up cost like the engine and model load
                double[] rows = org.dopaj.batch.BatchResults.read(tmp.resolve("out-" + j)
                        .resolve(org.dopaj.batch.BatchResults.JOURNAL), false).stream()
                        .mapToDouble(r -> ((Number) r.get("seconds")).doubleValue() * 1000).sorted().toArray();
                double steady = 0;
                for (int i = 0; i < rows.length - j; i++) {
                    steady += rows[i];
                }
                steady /= Math.max(1, rows.length - j);
                double inCases = Arrays.stream(rows).sum();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("jobs", j);
                row.put("batch_ms_per_case", round(per));
                row.put("steady_ms_per_case", round(steady / j));
                row.put("startup_s", round((wallMs - inCases / j) / 1000));
                row.put("single_call_over_batch", round(singleMedian / per));
                scaling.add(row);
            }
            bareMs = Math.min(bareMs, bare(task, files, n, tmp));
            rep.put("bare_ms_per_case", round(bareMs));
            for (Map<String, Object> row : scaling) {
                row.put("overhead_over_bare_pct", round(100 * ((Double) row.get("batch_ms_per_case") / bareMs - 1)));
                row.put("steady_overhead_over_bare_pct", round(100 * ((Double) row.get("steady_ms_per_case") / bareMs
                        - 1)));
            }
            rep.put("batch", scaling);
            // what --report adds per case (HTML + PDF with the pictures), on the same cases with one worker
            int nr = Math.min(n, 50);
            double[] perCase = new double[2];
            for (int withReport = 0; withReport < 2; withReport++) {
                long t = System.nanoTime();
                BatchRunner.run(task, cases(files, nr), new BatchRunner.Settings(tmp.resolve("out-report" + withReport), 1,
                        false, false, 1, 1, withReport == 1), BatchRunner.Listener.NONE);
                perCase[withReport] = (System.nanoTime() - t) / 1e6 / nr;
            }
            rep.put("report_ms_per_case", round(perCase[1] - perCase[0]));
            if (a.has("brain")) {
                // a head through the brain-mask batch, outputs included, at both compressions
                Path head = Path.of(a.option("brain"));
                CliSupport.requireFile(head);
                int k = a.integer("brain-cases", 5);
                BatchTask bm = BatchTasks.create("brain-mask", Map.of());
                List<BatchCase> heads = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    heads.add(BatchCase.of("head" + i, head.toString()));
                }
                Map<String, Object> brain = new LinkedHashMap<>();
                for (int j : jobs) {
                    for (String c : List.of("gzip", "fast")) {
                        long t = System.nanoTime();
                        long cpu = processCpuNanos();
                        BatchRunner.run(bm, heads, new BatchRunner.Settings(tmp.resolve("out-brain-" + c + j), j,
                                false, false, 1, 1, false, c), BatchRunner.Listener.NONE);
                        String key = c + (j == 1 ? "" : "_jobs" + j);
                        brain.put(key + "_s_per_head", round((System.nanoTime() - t) / 1e9 / k));
                        // CPU seconds of this process per head: what the head costs when other work shares the
                        // machine (wall time then depends on the load)
                        brain.put(key + "_cpu_s_per_head", round((processCpuNanos() - cpu) / 1e9 / k));
                    }
                }
                brain.put("input", head.toString());
                brain.put("heads", k);
                rep.put("brain_mask_batch", brain);
            }
            if (rssCases > 0) {
                List<Map<String, Object>> rss = new ArrayList<>();
                int rssJobs = Arrays.stream(jobs).max().orElse(1); // the most workers asked for: the most in flight
                BatchRunner.run(task, cases(files, rssCases), new BatchRunner.Settings(tmp.resolve("out-rss"), rssJobs,
                        false, false, 1, 1, false), (done, total, failed, row) -> {
                            if (done == 100 || done % 1000 == 0 || done == total) {
                                rss.add(org.dopaj.io.Ordered.map("case", done, "rss_mb", rssMb()));
                            }
                        });
                rep.put("rss_jobs", rssJobs);
                rep.put("rss", rss);
            }
            if (a.flag("json")) {
                CliSupport.printJson(out, rep);
            } else {
                out.println(CliSupport.GSON.toJson(rep));
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** ms per case of the capability alone (no journal, no commit), after one warm-up case. */
    private static double bare(BatchTask task, List<Path> files, int n, Path tmp) throws Exception {
        try (BatchTask.Worker w = task.open()) {
            Path scratch = Files.createDirectories(tmp.resolve("scratch"));
            w.process(BatchCase.of("warm", files.get(0).toString()), new BatchTask.CaseFolder(scratch, "warm"), false);
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                w.process(BatchCase.of("c" + i, files.get(i % files.size()).toString()),
                        new BatchTask.CaseFolder(scratch, "c" + i), false);
            }
            return (System.nanoTime() - t) / 1e6 / n;
        }
    }

    private static List<BatchCase> cases(List<Path> files, int n) {
        List<BatchCase> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            c.add(BatchCase.of(String.format(Locale.ROOT, "c%06d", i), files.get(i % files.size()).toString()));
        }
        return c;
    }

    /** Wall time of one {@code dopaj spect-classify FILE --json} in a new JVM (same classpath), ms. */
    private static double childProcessMs(Path file) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Ddopaj.models=" + System.getProperty("dopaj.models",
                        String.valueOf(org.dopaj.dl.model.ModelRegistry.modelsDir())), Main.class.getName(),
                "spect-classify", file.toString(), "--json");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        long t = System.nanoTime();
        Process p = pb.start();
        try {
            if (p.waitFor() != 0) {
                throw new DopajException("the single-call run failed (exit " + p.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DopajException("interrupted", e);
        }
        return (System.nanoTime() - t) / 1e6;
    }

    /** This process's resident memory (VmRSS), MB; NaN where /proc is not there. */
    /** CPU time of this process (all threads), ns; -1 where the JVM cannot say. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
    }

    static double rssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 102.4) / 10.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Two decimals; null (JSON) for a figure not measured, e.g. single calls with {@code --single 0}. */
    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : null;
    }
}
