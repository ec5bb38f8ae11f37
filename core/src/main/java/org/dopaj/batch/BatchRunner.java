package org.dopaj.batch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.progress.ProgressListener;
import org.dopaj.Version;
import org.dopaj.report.CaseReport;
import org.dopaj.report.CohortSummary;

/**
 * Runs one capability over many cases in one process: the models load once and {@code jobs} threads share them;
 * a failed case becomes an error row and never stops the others. Each case writes into {@code OUT/.work/<case>},
 * which is moved to {@code OUT/<case>} when the case is done, and then its row is appended to the journal and
 * forced to disk: that is the case's commit, so a killed batch loses at most the cases in flight and
 * {@link Settings#resume} redoes none of the committed ones. {@code OUT/batch.json} records which capability and
 * options own the folder; another capability's batch is refused there.
 */
public final class BatchRunner {
    public static final String RECORD = "batch.json";
    /**
     * Workers when none is asked for: two where there are two cores or more. A case alternates between stages that use
     * every core (the networks, parallel compression) and single-threaded ones (reading, resampling, post-processing,
     * the commit), so a second worker fills the gaps: a 1 mm brain mask costs 1.8 s per head with two workers against
     * 2.8 s with one; DaT-SPECT cases gain a little (docs/batch.md).
     */
    public static final int DEFAULT_JOBS = Math.min(2, Runtime.getRuntime().availableProcessors());
    static final String WORK = ".work";

    /**
     * @param out         the output folder (created when missing)
     * @param jobs        worker threads sharing the loaded models (1 or more)
     * @param resume      continue a batch in {@code out}: committed cases are skipped
     * @param retryFailed with resume, run again the cases whose row is an error
     * @param shardIndex  1-based shard taken (every {@code shardCount}-th case from it), 1 of 1 for all
     * @param shardCount  number of shards
     * @param report      write each case's report (HTML and PDF) and the cohort summary page
     * @param compression NIfTI outputs: {@code gzip} (.nii.gz, level 6), {@code fast} (.nii.gz, level 1) or
     *                    {@code none} (.nii)
     */
    public record Settings(Path out, int jobs, boolean resume, boolean retryFailed, int shardIndex, int shardCount,
                           boolean report, String compression) {
        public static final List<String> COMPRESSIONS = List.of("gzip", "fast", "none");

        public Settings(Path out, int jobs, boolean resume, boolean retryFailed, int shardIndex, int shardCount,
                boolean report) {
            this(out, jobs, resume, retryFailed, shardIndex, shardCount, report, "gzip");
        }

        public Settings {
            if (!COMPRESSIONS.contains(compression)) {
                throw new DopajException("--compress needs one of " + String.join(", ", COMPRESSIONS) + ", got '"
                        + compression + "'");
            }
            if (jobs < 1 || jobs > 256) {
                throw new DopajException("--jobs needs 1..256 workers, got " + jobs);
            }
            if (shardCount < 1 || shardIndex < 1 || shardIndex > shardCount) {
                throw new DopajException("--shard K/N needs 1 ≤ K ≤ N, got " + shardIndex + "/" + shardCount);
            }
        }

        public static Settings of(Path out) {
            return new Settings(out, 1, false, false, 1, 1, false);
        }
    }

    /** What a run did: cases in the (sharded) batch, run now, skipped as already done, failed overall. */
    public record Summary(int total, int ran, int skipped, int failed, int cancelled, double seconds) {
        /** 0 when every case of the table is ok, 3 when some failed, 4 when the run was cancelled. */
        public int exitCode() {
            return cancelled > 0 ? 4 : failed > 0 ? 3 : 0;
        }
    }

    /**
     * Told of each finished case; may ask the run to stop after the cases in flight. A {@link ProgressListener} with
     * the case's row: any progress adapter (ImageJ's bar and Esc, a terminal line, SciJava's status) can follow a
     * batch through {@link #of}.
     */
    public interface Listener extends ProgressListener {
        Listener NONE = (done, total, failed, row) -> {
        };

        void caseDone(int done, int total, int failed, Map<String, Object> row);

        /** A batch reports per case ({@link #caseDone}); the fraction-and-message form is for adapters. */
        @Override
        default void progress(double fraction, String message) {
        }

        /** A batch listener over any progress listener: fraction of cases done, "done/total cases, n failed". */
        static Listener of(ProgressListener p) {
            return new Listener() {
                @Override
                public void caseDone(int done, int total, int failed, Map<String, Object> row) {
                    p.progress(total == 0 ? 1 : (double) done / total, done + "/" + total + " cases"
                            + (failed > 0 ? ", " + failed + " failed" : ""));
                }

                @Override
                public boolean cancelled() {
                    return p.cancelled();
                }
            };
        }
    }

    private BatchRunner() {
    }

    /** The cases of shard {@code k} of {@code n}: every n-th, from the k-th (1-based), in input order. */
    public static List<BatchCase> shard(List<BatchCase> cases, int k, int n) {
        List<BatchCase> out = new ArrayList<>();
        for (int i = k - 1; i < cases.size(); i += n) {
            out.add(cases.get(i));
        }
        return out;
    }

    public static Summary run(BatchTask task, List<BatchCase> all, Settings s, Listener listener) {
        long t0 = System.nanoTime();
        List<BatchCase> cases = shard(all, s.shardIndex(), s.shardCount());
        Path out = s.out();
        boolean created = prepareFolder(task, out, s);
        String level = System.getProperty(org.dopaj.io.Nifti.GZIP_LEVEL_PROPERTY);
        if ("fast".equals(s.compression())) {
            System.setProperty(org.dopaj.io.Nifti.GZIP_LEVEL_PROPERTY, "1");
        }
        try (FileChannel lockFile = FileChannel.open(out.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new DopajException(out + ": another batch is running in this folder");
            }
            try {
                return runLocked(task, cases, s, listener, t0);
            } catch (DopajException e) {
                if (created && !Files.exists(out.resolve(BatchResults.JOURNAL))) {
                    undoCreate(out); // the models did not load: leave no batch behind that a rerun would refuse
                }
                throw e;
            }
        } catch (IOException e) {
            throw new DopajException(out + ": cannot lock the output folder (" + e.getMessage() + ")", e);
        } finally {
            // a Fiji session goes on after the batch: its own saves keep their level
            if (level == null) {
                System.clearProperty(org.dopaj.io.Nifti.GZIP_LEVEL_PROPERTY);
            } else {
                System.setProperty(org.dopaj.io.Nifti.GZIP_LEVEL_PROPERTY, level);
            }
        }
    }

    private static Summary runLocked(BatchTask task, List<BatchCase> cases, Settings s, Listener listener, long t0)
            throws IOException {
        Path out = s.out();
        Path journal = out.resolve(BatchResults.JOURNAL);
        Set<String> done = new HashSet<>();
        for (Map<String, Object> r : BatchResults.read(journal, true)) {
            if (!(s.retryFailed() && "error".equals(r.get("status")))) {
                done.add((String) r.get("case"));
            }
        }
        List<BatchCase> todo = new ArrayList<>();
        for (BatchCase c : cases) {
            if (!done.contains(c.id())) {
                todo.add(c);
            }
        }
        Path work = out.resolve(WORK);
        deleteTree(work); // what a killed run left in flight
        Files.createDirectories(work);
        int skipped = cases.size() - todo.size();
        AtomicInteger finished = new AtomicInteger(skipped);
        AtomicInteger failedNow = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger notRun = new AtomicInteger();
        if (!todo.isEmpty()) {
            try (BatchTask.Worker worker = task.open(); BatchResults results = BatchResults.open(out)) {
                ExecutorService pool = Executors.newFixedThreadPool(s.jobs(), r -> {
                    Thread t = new Thread(r, "dopaj-batch");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (BatchCase c : todo) {
                        futures.add(pool.submit(() -> {
                            if (listener.cancelled()) {
                                notRun.incrementAndGet();
                                return null;
                            }
                            Map<String, Object> row = runCase(task, worker, c, s, results);
                            ran.incrementAndGet();
                            if ("error".equals(row.get("status"))) {
                                failedNow.incrementAndGet();
                            }
                            listener.caseDone(finished.incrementAndGet(), cases.size(), failedNow.get(), row);
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DopajException("batch interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof DopajException d) {
                        throw d;
                    }
                    throw new DopajException("batch stopped: " + c, c);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
        deleteTree(work);
        List<Map<String, Object>> rows = BatchResults.read(journal, false);
        BatchResults.writeTable(rows, out.resolve(BatchResults.TABLE));
        int failed = 0;
        Set<String> ids = new HashSet<>();
        cases.forEach(c -> ids.add(c.id()));
        for (Map<String, Object> r : rows) {
            if (ids.contains(r.get("case")) && "error".equals(r.get("status"))) {
                failed++;
            }
        }
        if (s.report()) {
            CohortSummary.write(out.resolve("summary.html"), task.capability(), rows);
        }
        return new Summary(cases.size(), ran.get(), skipped, failed, notRun.get(), (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Object> runCase(BatchTask task, BatchTask.Worker worker, BatchCase c, Settings s,
            BatchResults results) throws IOException {
        Map<String, Object> row = runOne(task.capability(), worker, c, s.out(), s.report(), !"none".equals(s.compression()));
        results.append(row);
        return row;
    }

    /**
     * One case, start to files in place: its outputs in {@code out/<case>} (through {@code out/.work/<case>} and a
     * move), its row returned for the caller to commit. Never throws for the case's own failure (that is its error
     * row). Public for distributed runners, which commit rows their own way.
     */
    public static Map<String, Object> runOne(String capability, BatchTask.Worker worker, BatchCase c, Path out,
            boolean report, boolean gzip) throws IOException {
        long t = System.nanoTime();
        Path work = out.resolve(WORK).resolve(c.id());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("case", c.id());
        row.put("input", c.input());
        row.put("status", "ok");
        row.put("error", null);
        row.put("model", worker.model());
        row.put("warnings", List.of());
        row.put("seconds", null);
        boolean ok = false;
        try {
            if (c.problem() != null) {
                throw new DopajException(c.problem());
            }
            Files.createDirectories(work);
            BatchTask.CaseResult r = worker.process(c, new BatchTask.CaseFolder(work, c.id(), gzip), report);
            Map<String, Object> f = new LinkedHashMap<>(r.fields());
            Object w = f.remove("warnings");
            row.put("warnings", w == null ? List.of() : w);
            f.remove("input");
            f.remove("model"); // the worker's model column, the same on ok and error rows
            row.putAll(f);
            if (report) {
                row.put("report", c.id() + "/report.pdf");
                CaseReport.write(work, capability, row, r.figures(), worker.trainingData());
            }
            ok = true;
        } catch (DopajException e) {
            row.put("status", "error");
            row.put("error", oneLine(e.getMessage()));
        } catch (OutOfMemoryError e) {
            row.put("status", "error");
            row.put("error", "out of memory on this case (raise -Xmx or lower --jobs)");
        } catch (IOException | java.io.UncheckedIOException e) {
            row.put("status", "error"); // e.g. a full disk: this case fails, the batch goes on
            row.put("error", oneLine("cannot write this case's files (" + e.getMessage() + ")"));
        } catch (Exception e) {
            row.put("status", "error");
            row.put("error", oneLine("internal error: " + e));
        }
        Path fin = out.resolve(c.id());
        deleteTree(fin); // a case folder without a row is a leftover of a killed run
        if (ok && Files.isDirectory(work) && !isEmpty(work)) {
            Files.move(work, fin, StandardCopyOption.ATOMIC_MOVE);
        } else {
            deleteTree(work);
        }
        row.put("seconds", Math.round((System.nanoTime() - t) / 1e6) / 1e3);
        return row;
    }

    static String oneLine(String m) {
        return m == null ? "(no message)" : m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** Creates the folder (and its batch record) or checks that it holds a batch of this capability to resume. */
    public static boolean prepareFolder(BatchTask task, Path out, Settings s) {
        Path record = out.resolve(RECORD);
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new DopajException(out + ": is a file; the batch output must be a folder");
            }
            if (Files.exists(record)) {
                Map<String, Object> r = BatchResults.GSON.fromJson(Files.readString(record), LinkedHashMap.class);
                Object cap = r == null ? null : r.get("capability");
                if (!task.capability().equals(cap)) {
                    throw new DopajException(out + ": holds a " + cap + " batch, not " + task.capability()
                            + "; choose another output folder");
                }
                if (!s.resume()) {
                    throw new DopajException(out + ": holds a " + cap + " batch already: add --resume to continue it,"
                            + " or choose another output folder");
                }
                return false;
            }
            if (Files.isDirectory(out)) {
                try (Stream<Path> l = Files.list(out)) {
                    if (l.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
                        throw new DopajException(out + ": folder is not empty and holds no DopaJ batch; choose a new or"
                                + " empty output folder");
                    }
                }
            }
            Files.createDirectories(out);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("capability", task.capability());
            r.put("options", task.options());
            r.put("shard", s.shardIndex() + "/" + s.shardCount());
            r.put("dopaj_version", Version.get());
            r.put("created", Instant.now().toString());
            r.put("notice", Version.NOTICE);
            BatchResults.writeAtomically(record, BatchResults.GSON.toJson(r) + "\n");
            return true;
        } catch (IOException e) {
            throw new DopajException(out + ": cannot prepare the output folder (" + e.getMessage() + ")", e);
        } catch (com.google.gson.JsonSyntaxException e) {
            throw new DopajException(record + ": damaged batch record (" + oneLine(e.getMessage()) + ")", e);
        }
    }

    /** Removes what {@link #prepareFolder} made for a batch that never ran a case. */
    private static void undoCreate(Path out) {
        try {
            deleteTree(out.resolve(WORK));
            Files.deleteIfExists(out.resolve(RECORD));
            Files.deleteIfExists(out.resolve(".lock"));
        } catch (IOException e) {
            // the original error is the one to report
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** Reads a journal as text lines (for tests and merge tools). */
    static List<String> journalLines(Path out) throws IOException {
        return Files.readAllLines(out.resolve(BatchResults.JOURNAL), StandardCharsets.UTF_8);
    }
}
