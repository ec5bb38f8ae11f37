package org.dopaj.commands;

import ij.ImagePlus;
import ij.Macro;
import ij.io.SaveDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.dopaj.DopajException;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.io.Nifti;

/**
 * File›Save As›NIfTI (DopaJ)...: saves the current image as NIfTI (.nii or .nii.gz by the name). An image opened
 * with DopaJ and not edited is written back byte for byte (datatype, scaling, header fields); otherwise the
 * image type decides the datatype and the kept affine (or the mm calibration) the geometry.
 * Macro: {@code run("NIfTI (DopaJ)... ", "save=/data/out.nii.gz");} (the label ends in a space).
 */
public class SaveNifti implements PlugIn {
    static final String TITLE = "Save NIfTI";

    @Override
    public void run(String arg) {
        ImagePlus imp = CommandRunner.currentImage(TITLE);
        if (imp == null) {
            return;
        }
        String options = Macro.getOptions();
        String path = options == null ? null : Macro.getValue(options, "save", null);
        if (path == null) {
            if (Ij1Adapter.headless() && options != null) {
                CommandRunner.report(TITLE, "missing parameter save=<file.nii.gz>");
                return;
            }
            SaveDialog sd = new SaveDialog("Save as NIfTI", ImportNifti.baseName(Paths.get(imp.getTitle())), ".nii.gz");
            if (sd.getFileName() == null) {
                return;
            }
            path = sd.getDirectory() + sd.getFileName();
        }
        Path file = Paths.get(path);
        if (ij.plugin.frame.Recorder.record && ij.plugin.frame.Recorder.getCommand() != null) {
            ij.plugin.frame.Recorder.resetCommandOptions();
            ij.plugin.frame.Recorder.recordPath("save", path); // the line replays without a dialog
        }
        CommandRunner.run(TITLE, () -> save(imp, file));
    }

    /** Writes {@code imp} to {@code file} atomically; the image is not modified. */
    public static void save(ImagePlus imp, Path file) {
        if (!Nifti.isNiftiName(file) || file.getFileName().toString().toLowerCase().endsWith(".hdr")) {
            throw new DopajException(file + ": the file name must end in .nii or .nii.gz");
        }
        Nifti.write(ImagePlusBridge.toNifti(imp), file);
    }
}
