package org.dopaj.commands;

import ij.IJ;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.batch.BatchCase;
import org.dopaj.batch.BatchInputs;
import org.dopaj.batch.BatchResults;
import org.dopaj.batch.BatchRunner;
import org.dopaj.batch.BatchTask;
import org.dopaj.batch.BatchTasks;
import org.dopaj.cli.Args;

/**
 * Plugins›DopaJ›Batch...: one capability over a folder of scans or a manifest table, as {@code dopaj batch} runs it
 * (one model load, error rows, resumable output folder, reports). Progress on ImageJ's bar and status line; Esc
 * stops after the cases in flight (the folder can be resumed). The results open as the table "DopaJ Batch".
 * Macro: {@code run("Batch...", "input=/data/spect capability=spect-classify output=/data/out options=[--cam]
 * jobs=1 report")}; {@code options} takes the capability's command-line options.
 */
public class BatchAnalysis implements PlugIn {
    public static final String TABLE = "DopaJ Batch";

    @Override
    public void run(String arg) {
        Params p = new Params("DopaJ Batch").message("Research use only, not for diagnosis.\n"
                        + "input: a folder of scans or a manifest .csv; output: a new folder (or one to resume)")
                .string("input", "").choice("capability", BatchTasks.CAPABILITIES.toArray(new String[0]), "spect-sbr")
                .string("output", "").string("options", "").number("jobs", 1, 0).check("report", false)
                .check("resume", false);
        if (!p.read()) {
            return;
        }
        CommandRunner.run("Batch", () -> {
            BatchRunner.Summary s = run(p.getString("input"), p.getChoice("capability"), p.getString("output"),
                    p.getString("options"), (int) p.getNumber("jobs"), p.getCheck("report"), p.getCheck("resume"),
                    new BatchRunner.Listener() {
                        @Override
                        public void caseDone(int done, int total, int failed, Map<String, Object> row) {
                            IJ.showProgress(done, total);
                            IJ.showStatus("DopaJ batch: " + done + "/" + total + " (" + failed + " failed), Esc stops");
                        }

                        @Override
                        public boolean cancelled() {
                            return IJ.escapePressed();
                        }
                    });
            IJ.showProgress(1.0);
            IJ.showStatus("");
            table(Path.of(p.getString("output"))).show(TABLE);
            IJ.log(String.format(java.util.Locale.ROOT, "DopaJ Batch: %d cases, %d run now, %d already done, %d failed%s;"
                    + " results in %s", s.total(), s.ran(), s.skipped(), s.failed(), s.cancelled() > 0 ? ", "
                    + s.cancelled() + " not run (stopped with Esc: tick resume to continue)" : "",
                    Path.of(p.getString("output")).resolve(BatchResults.TABLE)));
        });
    }

    /** The batch itself, for the SciJava twin and scripts. */
    public static BatchRunner.Summary run(String input, String capability, String output, String options, int jobs,
            boolean report, boolean resume, BatchRunner.Listener listener) {
        if (input == null || input.isBlank()) {
            throw new DopajException("parameter input (a folder of scans or a manifest .csv) is empty");
        }
        if (output == null || output.isBlank()) {
            throw new DopajException("parameter output (the batch's output folder) is empty");
        }
        BatchTask task = BatchTasks.create(capability, options(options));
        List<BatchCase> cases = BatchInputs.expand(List.of(input.trim()), task);
        return BatchRunner.run(task, cases, new BatchRunner.Settings(Path.of(output.trim()), jobs, resume, false, 1, 1,
                report), listener);
    }

    /** The capability options of a command-line string such as {@code --cam --device cpu}. */
    static Map<String, String> options(String text) {
        List<String> tokens = text == null || text.isBlank() ? List.of()
                : new ArrayList<>(Arrays.asList(text.trim().split("\\s+")));
        Args a = Args.parse(tokens, BatchTasks.VALUED_OPTIONS, BatchTasks.FLAG_OPTIONS);
        if (!a.positionals().isEmpty()) {
            throw new DopajException("options: unexpected '" + a.positionals().get(0) + "' (give options such as --cam)");
        }
        Map<String, String> m = new LinkedHashMap<>();
        BatchTasks.VALUED_OPTIONS.stream().filter(a::has).forEach(k -> m.put(k, a.option(k)));
        BatchTasks.FLAG_OPTIONS.stream().filter(a::flag).forEach(k -> m.put(k, ""));
        return m;
    }

    /** The batch's results as an ImageJ table (one row per case, the CSV's columns). */
    public static ResultsTable table(Path out) {
        ResultsTable rt = new ResultsTable();
        for (Map<String, Object> r : BatchResults.read(out.resolve(BatchResults.JOURNAL), false)) {
            rt.incrementCounter();
            for (Map.Entry<String, String> e : BatchResults.flatten(r).entrySet()) {
                try {
                    rt.addValue(e.getKey(), Double.parseDouble(e.getValue()));
                } catch (NumberFormatException x) {
                    rt.addValue(e.getKey(), e.getValue());
                }
            }
        }
        return rt;
    }
}
