package org.dopaj.commands;

import ij.IJ;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelInstaller;
import org.dopaj.dl.model.ModelRegistry;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›Models›Install Model... (ImageJ already has a "Install..." label, and labels must be unique): copies a
 * model (a package folder, a .zip, or a published SavedModel DopaJ recognises by its checksum, e.g. the mri_dat
 * {@code net_vgg_left}/{@code net_vgg_right} folders or their parent) into the user's model folder — in Fiji
 * {@code <Fiji.app>/dopaj-models}, next to the plugins folder — as {@code dopaj models install} does
 * ({@link ModelInstaller}). Lists what was installed in the table "DopaJ Models" (id, licence, training data,
 * recognised, folder). An installed pair trained on real patients becomes the default of Predict SBR. A blank source
 * asks for a folder in the GUI. Macro: {@code run("Install Model...", "source=/data/mri_dat force");}
 */
@Plugin(type = Command.class, name = "dopaj.models-install", label = "Install Model...",
        menuPath = "Plugins>DopaJ>Models>Install Model...", headless = true, attrs = @Attr(name = "cli", value = "models install"),
        description = "Model folder, .zip or SavedModel folder (blank: choose a folder).\nNote: "
        + ModelInstaller.EXECUTABLE_NOTICE + ".")
public class ModelsInstallCommand implements Command {
    static final String TITLE = "Install Model";
    static final String TABLE = "DopaJ Models";

    @Parameter(label = "source", required = false, description = "a model package folder, a .zip or a SavedModel"
            + " folder", attrs = @Attr(name = "cli", value = "positional"))
    private String source = "";

    @Parameter(label = "force", required = false, description = "replace an installed model of the same id")
    private boolean force;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    @Override
    public void run() {
        String src = source;
        if ((src == null || src.isBlank()) && Ij1Adapter.mayAsk()) {
            src = new ij.io.DirectoryChooser("Choose the model folder").getDirectory();
            if (src == null) {
                return; // cancelled
            }
            source = src;
        }
        if (src == null || src.isBlank()) {
            throw new DopajException("parameter source is missing: a model folder, a .zip or a SavedModel folder");
        }
        Path user = ModelRegistry.userModelsDir();
        IJ.log("DopaJ " + TITLE + ": " + ModelInstaller.EXECUTABLE_NOTICE);
        List<ModelInstaller.Installed> done = ModelInstaller.install(Path.of(src), user, force);
        table = table(done);
        for (ModelInstaller.Installed i : done) {
            IJ.log("DopaJ " + TITLE + ": installed " + i.id() + " in " + i.dir() + " (licence " + i.license() + ", "
                    + i.trainingData() + (i.recognised() ? ", recognised by its weights' checksum" : "") + ")");
        }
    }

    static ResultsTable table(List<ModelInstaller.Installed> done) {
        ResultsTable rt = new ResultsTable();
        for (ModelInstaller.Installed i : done) {
            rt.incrementCounter();
            rt.addValue("id", i.id());
            rt.addValue("license", i.license());
            rt.addValue("training_data", i.trainingData());
            rt.addValue("recognised", i.recognised() ? "yes" : "no");
            rt.addValue("folder", i.dir().toString());
        }
        return rt;
    }
}
