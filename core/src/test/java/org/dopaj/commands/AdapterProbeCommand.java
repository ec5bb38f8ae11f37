package org.dopaj.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** A command with one input of every kind the ImageJ 1 adapter knows, echoing what it got: for {@link Ij1AdapterTest}. */
@Plugin(type = Command.class, label = "Adapter Probe...", headless = true)
public class AdapterProbeCommand implements Command {
    @Parameter
    private ImagePlus image;

    @Parameter(required = false)
    private ImagePlus other;

    @Parameter(min = "1", description = "voxels averaged", attrs = @Attr(name = "aliases", value = "hottest"))
    private int hottest_voxels = 125;

    @Parameter(min = "0", max = "1")
    private double opacity = 0.5;

    @Parameter(choices = {"jet", "hot"})
    private String colour_map = "jet";

    @Parameter(required = false)
    private String note = "";

    @Parameter(required = false, style = "directory")
    private String output_folder = "";

    @Parameter(required = false)
    private boolean show_qc;

    @Parameter(required = false)
    private boolean show_all = true;

    @Parameter(type = ItemIO.OUTPUT, label = "DopaJ Probe")
    private ResultsTable table;

    @Parameter(type = ItemIO.OUTPUT)
    private String echo;

    @Override
    public void run() {
        note = note.isBlank() ? "filled by the command" : note;
        echo = image.getTitle() + " " + (other == null ? "-" : other.getTitle()) + " " + hottest_voxels + " " + opacity
                + " " + colour_map + " " + show_qc + " " + show_all + " " + output_folder;
        table = new ResultsTable();
        table.incrementCounter();
        table.addValue("hottest_voxels", hottest_voxels);
    }
}
