package org.dopaj.commands;

import ij.IJ;
import ij.measure.ResultsTable;
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

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›Batch...: one capability over a folder of scans or a manifest table, as {@code dopaj batch} runs it
 * (one model load, error rows, resumable output folder, reports). Progress on ImageJ's bar and status line; Esc
 * stops after the cases in flight (the folder can be resumed). The results open as the table "DopaJ Batch"; the counts
 * and the results file are outputs for scripts. Macro: {@code run("Batch...", "input=/data/spect
 * capability=spect-classify output=/data/out options=[--cam] jobs=1 report")}; {@code options} takes the capability's
 * command-line options.
 */
@Plugin(type = Command.class, name = "dopaj.batch", label = "Batch...", menuPath = "Plugins>DopaJ>Batch...",
        headless = true, attrs = @Attr(name = "cli", value = "batch spect-sbr"), description = "Research use only, not for diagnosis.\ninput: a folder of scans or a manifest"
        + " .csv; output: a new folder (or one to resume)")
public class BatchAnalysisCommand implements Command {
    public static final String TABLE = "DopaJ Batch";

    @Parameter(label = "input", description = "a folder of scans or a manifest .csv", attrs = @Attr(name = "cli", value = "positional"))
    private String input = "";

    /** {@link BatchTasks#CAPABILITIES} (checked by CommandDeclarationTest). */
    @Parameter(label = "capability", choices = {"spect-sbr", "spect-classify", "brain-mask", "nigrosome-sbr", "msa-pd",
        "wmh"}, description = "what runs on every case", attrs = @Attr(name = "cli", value = "positional"))
    private String capability = "spect-sbr";

    @Parameter(label = "output", description = "a new output folder, or one to resume", attrs = @Attr(name = "cli", value = "-o"))
    private String output = "";

    @Parameter(label = "options", required = false, description = "the capability's command-line options, e.g. --cam", attrs = @Attr(name = "cli", value = "none"))
    private String options = "";

    @Parameter(label = "jobs", min = "1", description = "cases run at the same time (default: two on a machine with"
            + " two cores or more)")
    private int jobs = BatchRunner.DEFAULT_JOBS;

    @Parameter(label = "report", required = false, description = "a PDF/HTML report per case and a cohort page")
    private boolean report;

    @Parameter(label = "resume", required = false, description = "go on with an output folder a stopped batch left")
    private boolean resume;

    @Parameter(type = ItemIO.OUTPUT)
    private int cases;

    @Parameter(type = ItemIO.OUTPUT)
    private int failed;

    @Parameter(type = ItemIO.OUTPUT)
    private String results;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    @Override
    public void run() {
        BatchRunner.Summary s = run(input, capability, output, options, jobs, report, resume,
                BatchRunner.Listener.of(CommandRunner.statusBar("DopaJ batch")));
        cases = s.total();
        failed = s.failed();
        Path out = Path.of(output.trim());
        results = out.resolve(BatchResults.TABLE).toString();
        table = table(out);
        IJ.log(String.format(java.util.Locale.ROOT, "DopaJ Batch: %d cases, %d run now, %d already done, %d failed%s;"
                + " results in %s", s.total(), s.ran(), s.skipped(), s.failed(), s.cancelled() > 0 ? ", "
                + s.cancelled() + " not run (stopped with Esc: tick resume to continue)" : "", results));
    }

    /** The batch itself, for scripts. */
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
