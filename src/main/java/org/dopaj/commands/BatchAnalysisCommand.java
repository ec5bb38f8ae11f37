package org.dopaj.commands;

import org.dopaj.batch.BatchRunner;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** SciJava twin of Plugins›DopaJ›Batch...: the same batch, its counts and results table path as outputs. */
@Plugin(type = Command.class, name = "dopaj.batch", label = "Batch (DopaJ)", headless = true)
public class BatchAnalysisCommand implements Command {
    @Parameter(label = "input", description = "a folder of scans or a manifest .csv")
    private String input;

    @Parameter(label = "capability", choices = {"spect-sbr", "spect-classify", "brain-mask", "nigrosome-sbr", "msa-pd",
        "wmh"})
    private String capability = "spect-sbr";

    @Parameter(label = "output", description = "a new output folder, or one to resume")
    private String output;

    @Parameter(label = "options", required = false, description = "the capability's command-line options, e.g. --cam")
    private String options = "";

    @Parameter(label = "jobs", min = "1")
    private int jobs = 1;

    @Parameter(label = "report")
    private boolean report;

    @Parameter(label = "resume")
    private boolean resume;

    @Parameter(type = ItemIO.OUTPUT)
    private int cases;

    @Parameter(type = ItemIO.OUTPUT)
    private int failed;

    @Parameter(type = ItemIO.OUTPUT)
    private String results;

    @Override
    public void run() {
        BatchRunner.Summary s = BatchAnalysis.run(input, capability, output, options, jobs, report, resume,
                BatchRunner.Listener.NONE);
        cases = s.total();
        failed = s.failed();
        results = java.nio.file.Path.of(output.trim()).resolve(org.dopaj.batch.BatchResults.TABLE).toString();
    }
}
