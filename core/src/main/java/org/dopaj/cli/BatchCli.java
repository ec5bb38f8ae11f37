package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.batch.BatchCase;
import org.dopaj.batch.BatchInputs;
import org.dopaj.batch.BatchRunner;
import org.dopaj.batch.BatchTask;
import org.dopaj.batch.BatchTasks;

/**
 * {@code dopaj batch CAPABILITY INPUTS... -o OUT [--jobs N] [--resume [--retry-failed]] [--shard K/N] [--report]
 * [capability options] [--json]}: one process for many scans ({@link BatchRunner}); exit 0 when every case is ok,
 * 3 when some failed (their rows say why), 4 when cancelled, 2 when the batch could not start.
 */
final class BatchCli implements CliCommand {
    static final Set<String> VALUED = BatchTasks.VALUED_OPTIONS;
    static final Set<String> FLAGS = BatchTasks.FLAG_OPTIONS;

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String usage() {
        return "batch " + String.join("|", BatchTasks.CAPABILITIES) + " INPUTS... -o OUT [--jobs N] [--resume"
                + " [--retry-failed]] [--shard K/N] [--report] [--compress gzip|fast|none] [options of the capability] [--json]"
                + "   (INPUTS: files, folders, globs, manifest .csv)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Set<String> valued = new java.util.HashSet<>(VALUED);
        valued.addAll(DeclaredOptions.valued(name(), "o", "shard", "compress"));
        Set<String> flags = new java.util.HashSet<>(FLAGS);
        flags.addAll(DeclaredOptions.flags(name(), "retry-failed", "json"));
        Args a = Args.parse(argv, valued, flags);
        String capability = a.positional(0, "CAPABILITY (" + String.join(", ", BatchTasks.CAPABILITIES) + ")");
        List<String> inputs = a.positionals().subList(1, a.positionals().size());
        if (!a.has("o")) {
            throw new DopajException("option -o OUT (the batch's output folder) is required");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String k : VALUED) {
            if (a.has(k)) {
                options.put(k, a.option(k));
            }
        }
        for (String k : FLAGS) {
            if (a.flag(k)) {
                options.put(k, "");
            }
        }
        BatchTask task = BatchTasks.create(capability, options);
        int[] shard = shard(a.option("shard", "1/1"));
        if (a.flag("retry-failed") && !a.flag("resume")) {
            throw new DopajException("--retry-failed continues a batch: use it with --resume");
        }
        BatchRunner.Settings s = new BatchRunner.Settings(Path.of(a.option("o")), a.integer("jobs", BatchRunner.DEFAULT_JOBS), a.flag("resume"),
                a.flag("retry-failed"), shard[0], shard[1], a.flag("report"), a.option("compress", "gzip"));
        List<BatchCase> cases = BatchInputs.expand(inputs, task);
        ProgressLine progress = new ProgressLine(err, "dopaj batch " + capability);
        BatchRunner.Summary r = BatchRunner.run(task, cases, s, progress);
        progress.finish();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capability", capability);
        m.put("cases", r.total());
        m.put("ran", r.ran());
        m.put("skipped_done", r.skipped());
        m.put("failed", r.failed());
        m.put("not_run_cancelled", r.cancelled());
        m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        m.put("results", s.out().resolve(org.dopaj.batch.BatchResults.TABLE).toString());
        m.put("notice", CliSupport.NOTICE);
        if (a.flag("json")) {
            CliSupport.printJson(out, m);
        } else {
            out.printf(Locale.ROOT, "%d cases: %d run now, %d already done, %d failed; %.1f s; results in %s%n", r.total(),
                    r.ran(), r.skipped(), r.failed(), r.seconds(), m.get("results"));
        }
        return r.exitCode();
    }

    static int[] shard(String text) {
        String[] p = text.split("/");
        try {
            if (p.length == 2) {
                return new int[]{Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new DopajException("--shard needs K/N (e.g. 3/10: the third of ten shards), got '" + text + "'");
    }
}
