package org.dopaj.commands;

import ij.ImagePlus;
import ij.Macro;
import ij.io.OpenDialog;
import ij.plugin.PlugIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.dopaj.DopajException;
import org.dopaj.io.DisplayOrientation.Convention;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.Interfile;
import org.dopaj.io.LoadedImage;
import org.dopaj.io.Nifti;

/**
 * File›Import›NIfTI (DopaJ)... and Plugins›DopaJ›Open Volume...: opens a NIfTI-1/2 file (.nii, .nii.gz) or an
 * Interfile reconstruction (.hdr/.h33 starting with !INTERFILE), or with the "any" argument also a DICOM series or
 * TIFF, as an ImageJ image calibrated in mm in the axial reading view
 * (anterior up; {@code display=radiological|neurological|file}, remembered; see docs/io.md), with a display range
 * for its modality ({@code modality=auto|mri|spect}) on its slice of interest; the file's voxel order and affine are
 * kept for saving. Macro: {@code run("NIfTI (DopaJ)...", "open=/data/t1.nii.gz");}
 */
public class ImportNifti implements PlugIn {
    static final String TITLE = "Import NIfTI";

    @Override
    public void run(String arg) {
        String options = Macro.getOptions();
        // The Save As entry's label differs by a trailing space only; a macro that meant "save" is served.
        if (options != null && options.contains("save=") && !options.contains("open=")) {
            new SaveNifti().run("");
            return;
        }
        String path = options == null ? null : Macro.getValue(options, "open", null);
        if (path == null) {
            if (Ij1Adapter.headless() && options != null) {
                CommandRunner.report(TITLE, "missing parameter open=<file>");
                return;
            }
            OpenDialog od = new OpenDialog("Open NIfTI (DopaJ)", arg != null && !arg.equals("any") ? arg : null);
            if (od.getFileName() == null) {
                return;
            }
            path = od.getPath();
        }
        Path file = Paths.get(path);
        boolean any = "any".equals(arg);
        String display = options == null ? null : Macro.getValue(options, "display", null);
        String modality = options == null ? null : Macro.getValue(options, "modality", null);
        record(ij.plugin.frame.Recorder.record ? file.toString() : null, display, modality);
        CommandRunner.run(TITLE, () -> {
            Convention c = display == null ? Viewer.convention() : Convention.parse(display);
            if (display != null) {
                Viewer.setConvention(c); // the reader's choice holds for the next images too
            }
            Viewer.show(open(file, any, c, Viewer.Modality.parse(modality)));
        });
    }

    /** Records {@code open=path} (and the display/modality keys when given) so the macro line replays. */
    private static void record(String path, String display, String modality) {
        if (path == null || ij.plugin.frame.Recorder.getCommand() == null) {
            return;
        }
        ij.plugin.frame.Recorder.resetCommandOptions();
        ij.plugin.frame.Recorder.recordPath("open", path);
        if (display != null) {
            ij.plugin.frame.Recorder.recordOption("display", display);
        }
        if (modality != null) {
            ij.plugin.frame.Recorder.recordOption("modality", modality);
        }
    }

    /**
     * {@link #open(Path, boolean)}, then prepared for a reader ({@link Viewer#prepare}): shown in the reading view of
     * {@code c}, with the display range and LUT of {@code modality} (null: guessed from the file name).
     */
    static ImagePlus open(Path file, boolean anyFormat, Convention c, Viewer.Modality modality) {
        ImagePlus imp = open(file, anyFormat);
        Viewer.Modality m = modality != null ? modality : Viewer.guess(file.getFileName().toString());
        return Viewer.prepare(imp, m, c);
    }

    /**
     * Opens {@code file} as an ImagePlus: NIfTI through DopaJ's reader (bit-exact on save), other formats
     * (DICOM, TIFF, Bio-Formats when Fiji has it) when {@code anyFormat}.
     */
    public static ImagePlus open(Path file, boolean anyFormat) {
        if (!Files.exists(file)) {
            throw new DopajException(file + ": file not found");
        }
        String title = baseName(file);
        // an Interfile pair is named .hdr/.img like a NIfTI pair: the content decides, as in ImageFiles.load
        boolean interfile = Interfile.isInterfile(file);
        if (Nifti.isNiftiName(file) && !interfile) {
            return ImagePlusBridge.toImagePlus(Nifti.read(file), title);
        }
        if (!anyFormat && !interfile) {
            throw new DopajException(file + ": not a NIfTI file name (.nii, .nii.gz, .hdr); use Plugins>DopaJ>Open Volume... for DICOM or TIFF");
        }
        LoadedImage li = ImageFiles.load(file);
        ImagePlus imp = ImagePlusBridge.toImagePlus(li.volume(), title);
        if (li.warning() != null) {
            ij.IJ.log("DopaJ: " + file.getFileName() + ": " + li.warning());
        }
        return imp;
    }

    /** File name without .nii, .nii.gz, .hdr, .img, .h33, .i33, .dcm or .tif(f). */
    static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.replaceFirst("(?i)(\\.nii\\.gz|\\.nii|\\.hdr|\\.img|\\.[hi]33|\\.dcm|\\.tiff?)$", "");
    }
}
