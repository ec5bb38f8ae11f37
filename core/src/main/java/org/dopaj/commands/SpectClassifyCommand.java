package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;
import java.nio.file.Path;
import org.dopaj.DopajException;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.spect.DatClassification;
import org.dopaj.spect.SpectClassifier;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›DaT-SPECT›Classify: normal vs parkinsonian for a spatially normalised DaT-SPECT image with the bundled
 * CNN ({@link SpectClassifier}). Label and probability in the results table "DopaJ DaT-SPECT Classification" (and as
 * outputs), the Grad-CAM map as a coloured overlay on the image (opacity parameter, transparency following the CAM;
 * overlay group "DopaJ CAM", under the VOI outlines, which stay) with a colour bar titled "Grad-CAM" (0–1) in its
 * top-right corner, and the CAM as its own image with the colour map as LUT, opened on the slice of its maximum (unless
 * {@code hide_cam_image}: in ImageJ macros a checkbox is on only when its key is given, so the switches are phrased so
 * that a plain call shows everything). Macro: {@code run("Classify", "opacity=0.5 colour_map=jet")}. An image not in
 * MNI space is spatially normalised to DopaJ's DaT-SPECT template first ({@code no_normalise} skips that;
 * {@code show_qc} opens the QC picture); the CAM comes back onto the image through the inverse transform. The model is
 * loaded once (per device; {@code use_gpu}) and kept for later calls. The image's pixels are not changed.
 */
@Plugin(type = Command.class, name = "dopaj.spect-classify", label = "Classify",
        menuPath = "Plugins>DopaJ>DaT-SPECT>Classify", headless = true, attrs = @Attr(name = "cli", value = "spect-classify"),
        description = "Research use only, not for diagnosis.")
public class SpectClassifyCommand implements Command {
    public static final String TABLE = "DopaJ DaT-SPECT Classification";
    private static SpectClassifier cached;
    private static Path cachedDir;
    private static ComputeDevice cachedDevice;

    @Parameter(label = "image", attrs = @Attr(name = "cli", value = "positional"))
    private ImagePlus image;

    @Parameter(label = "opacity", min = "0", max = "1", description = "CAM overlay opacity at the CAM's maximum",
            attrs = {@Attr(name = "units", value = "0–1"), @Attr(name = "cli", value = "none")})
    private double opacity = 0.5;

    /** The names of {@link ColorMap#NAMES} (checked by CommandDeclarationTest). */
    @Parameter(label = "colour_map", choices = {"jet", "inferno", "viridis", "hot", "grays"},
            description = "colour map of the CAM overlay, its colour bar and the CAM image", attrs = @Attr(name = "cli", value = "none"))
    private String colour_map = "jet";

    @Parameter(label = "hide_cam_image", required = false, description = "do not open the CAM as its own image", attrs = @Attr(name = "cli", value = "none"))
    private boolean hide_cam_image = false;

    @Parameter(label = "model", required = false, description = "model id or package folder; blank = the bundled"
            + " classifier")
    private String model = "";

    @Parameter(label = "no_normalise", required = false, description = "tick when the image is already in MNI space")
    private boolean no_normalise = false;

    @Parameter(label = "show_qc", required = false, description = "open the spatial normalisation's QC picture", attrs = @Attr(name = "cli", value = "--qc"))
    private boolean show_qc = false;

    @Parameter(label = "use_gpu", required = false, description = "CUDA GPU when DopaJ was built with -Pgpu, else the"
            + " CPU", attrs = @Attr(name = "cli", value = "--device"))
    private boolean use_gpu = false;

    @Parameter(type = ItemIO.OUTPUT)
    private boolean normalised;

    @Parameter(type = ItemIO.OUTPUT)
    private String label;

    @Parameter(type = ItemIO.OUTPUT)
    private double probability_parkinsonian;

    @Parameter(type = ItemIO.OUTPUT, label = "QC")
    private ImagePlus qc;

    /** The CAM with the colour map as LUT (null with {@code hide_cam_image}); last, so it becomes the current image. */
    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus cam;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    @Override
    public void run() {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new DopajException("parameter opacity must be between 0 and 1, got " + opacity);
        }
        ColorMap map = ColorMap.of(colour_map);
        DatClassification r = classify(image, model, !no_normalise, ComputeDevice.fromUseGpu(use_gpu));
        normalised = r.normalisation().normalised();
        label = r.label();
        probability_parkinsonian = r.probabilityParkinsonian();
        table = new ResultsTable();
        table.incrementCounter();
        table.addValue("image", image.getTitle());
        table.addValue("label", r.label());
        table.addValue("probability_parkinsonian", r.probabilityParkinsonian());
        table.addValue("model", r.modelId());
        table.addValue("normalised", r.normalisation().normalised() ? "yes" : "no");
        table.addValue("template_ncc", ((Number) r.normalisation().toMap().get("template_ncc")).doubleValue()); // as in the JSON
        addOverlay(image, r.cam(), map, opacity);
        qc = show_qc ? SpectQuantifyCommand.qcImage(image, r.normalisation()) : null;
        cam = hide_cam_image ? null : camImage(r.cam(), map, image);
        for (String w : r.warnings()) {
            IJ.log("DopaJ Classify warning: " + w);
        }
        IJ.log(String.format(java.util.Locale.ROOT, "DopaJ Classify %s: %s (probability parkinsonian %.4f); %s",
                image.getTitle(), r.label(), r.probabilityParkinsonian(), DatClassification.NOTICE));
    }

    /** {@link #classify(ImagePlus, String, boolean, ComputeDevice)} on the device the system property names. */
    public static DatClassification classify(ImagePlus imp, String model, boolean normalise) {
        return classify(imp, model, normalise, ComputeDevice.fromSystemProperty());
    }

    /**
     * Classifies {@code imp} with the model in {@code model} (id or folder; empty = bundled) on {@code device}, cached
     * between calls, after spatial normalisation to the DaT-SPECT template unless {@code normalise} is false. The CAM
     * comes back on the image's file grid. An image without a voxel size in mm is refused (registration and the
     * network's 2 mm grid need millimetres).
     */
    public static synchronized DatClassification classify(ImagePlus imp, String model, boolean normalise,
            ComputeDevice device) {
        if (imp == null || imp.getWidth() == 0 || imp.getStackSize() == 0 || imp.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        Volume v = Inputs.volumeThenRequireMm(imp, "Classify");
        SpectClassifier.checkImage(v); // a bad image is refused before the (slow) model load
        Inputs.requireMm(imp);
        Path dir = model == null || model.isBlank() ? SpectClassifier.bundledModel() : ModelRegistry.find(model.trim());
        if (cached == null || !dir.equals(cachedDir) || cachedDevice != device) {
            if (cached != null) {
                cached.close();
            }
            cached = null;
            cached = SpectClassifier.load(dir, device);
            cachedDir = dir;
            cachedDevice = device;
        }
        return cached.classify(v, normalise, CommandRunner.statusBar("DopaJ DaT-SPECT"));
    }

    /**
     * Puts the CAM (on the image's file grid) into the image's overlay as the group {@link Overlays#CAM}, under any VOI
     * outlines, with its titled colour bar as the legend; other groups (VOIs, orientation letters) stay.
     */
    static void addOverlay(ImagePlus imp, Volume cam, ColorMap map, double opacity) {
        Overlay o = overlay(imp, cam, map, opacity);
        Overlay camOnly = new Overlay();
        Overlay bar = new Overlay();
        for (ij.gui.Roi roi : o.toArray()) {
            (roi.getName() != null && roi.getName().startsWith(Legends.GROUP) ? bar : camOnly).add(roi);
        }
        Overlays.replace(imp, Overlays.CAM, camOnly);
        Overlays.replace(imp, Legends.GROUP, bar);
    }

    /** The CAM as its own image, shown like the input, with the colour map, on the slice of its maximum. */
    static ImagePlus camImage(Volume cam, ColorMap map, ImagePlus imp) {
        ImagePlus ci = Inputs.output(cam, "CAM of " + imp.getTitle(), imp, null);
        ci.setLut(map.toLut());
        ci.setDisplayRange(0, 1);
        ci.setSlice(Viewer.sliceOfMaximum(ci));
        Overlays.replace(ci, Legends.GROUP, Legends.overlay(camBar(map, ci), ci));
        return ci;
    }

    static ColorProcessor camBar(ColorMap map, ImagePlus imp) {
        return Legends.bar("Grad-CAM", map, 0, 1, imp.getHeight() / 3);
    }

    /** CAM overlay (alpha follows the CAM, scaled by opacity) plus a colour bar in the top-right corner. */
    public static Overlay overlay(ImagePlus imp, Volume cam, ColorMap map, double opacity) {
        Overlay o = CamOverlay.overlay(imp, Inputs.asShown(cam, imp), map, opacity, true);
        for (ij.gui.Roi r : o.toArray()) {
            r.setName(Overlays.CAM + " " + r.getName());
        }
        ImageRoi roi = (ImageRoi) Legends.overlay(camBar(map, imp), imp).get(0);
        roi.setName(Legends.GROUP + " Grad-CAM " + map.name() + " 0..1");
        o.add(roi);
        return o;
    }
}
