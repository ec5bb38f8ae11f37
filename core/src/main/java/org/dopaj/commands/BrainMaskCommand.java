package org.dopaj.commands;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.LUT;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.brainmask.BrainMaskResult;
import org.dopaj.brainmask.BrainMasker;
import org.dopaj.brainmask.PseudoColour;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.progress.ProgressListener;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›Brain Mask: brain extraction of an image with the bundled DeepLabv3+-style model ({@link BrainMasker}).
 * Macro-recordable and headless-safe: {@code run("Brain Mask", "intervals=49 show_masked show_pseudocolour
 * show_outline")}. Parameters: {@code intervals} (pseudo-colour intervals, Abramov et al. used 49), {@code closing_mm}
 * (optional morphological closing), {@code border_mm} (move the mask surface out, &gt; 0, or in, &lt; 0, by this many
 * mm: other mask conventions), {@code convention} ({@code brain}: the brain surface, as BET, the default;
 * {@code intracranial}: brain + CSF out to the inner skull), {@code frame} (of a 4D image; 0 = the current frame),
 * {@code use_gpu}, {@code show_masked}, {@code show_pseudocolour}, {@code show_outline}. Progress in the status and
 * progress bars; Esc stops it.
 *
 * <p>The input image is never changed. Outputs, shown like the input (reading view, slice), as asked: the masked brain
 * (the input's display range), the pseudo-colour view (8-bit interval index with a 49-colour LUT and a legend), a copy
 * of the input with the mask outline as an overlay, and always "&lt;title&gt;_brainmask" (8-bit 0/255, calibrated value
 * 1 inside; the input's grid and affine; last, so it is the current image for the next macro line); the brain volume in
 * mL in the results table "DopaJ Brain Mask", with the research-use notice (also in the log), and a warning when the
 * image has no voxel size in mm.
 */
@Plugin(type = Command.class, name = "dopaj.brain-mask", label = "Brain Mask", menuPath = "Plugins>DopaJ>Brain Mask",
        headless = true, attrs = @Attr(name = "cli", value = "brain-mask"), description = "Brain extraction (DeepLabv3+-style, trained on synthetic images). "
        + Version.NOTICE)
public class BrainMaskCommand implements Command {
    static final String TITLE = "Brain Mask";
    static final String TABLE = "DopaJ Brain Mask";

    @Parameter(label = "image", attrs = @Attr(name = "cli", value = "positional"))
    private ImagePlus image;

    @Parameter(label = "intervals", min = "2", max = "255", description = "pseudo-colour intervals between the 0.5th"
            + " and 99.5th percentile of the brain (2–255; Abramov et al. used 49)",
            attrs = @Attr(name = "units", value = "colours"))
    private int intervals = 49;

    @Parameter(label = "closing_mm", min = "0", description = "morphological closing radius; 0 = none",
            attrs = {@Attr(name = "units", value = "mm"), @Attr(name = "cli", value = "--closing")})
    private double closing_mm = 0;

    @Parameter(label = "border_mm", min = "-10", max = "10", description = "move the mask surface out (> 0) or in"
            + " (< 0), within ±10 mm", attrs = {@Attr(name = "units", value = "mm"), @Attr(name = "cli", value = "--border")})
    private double border_mm = 0;

    /** The keys of {@link BrainMaskModel.Convention} (checked by CommandDeclarationTest). */
    @Parameter(label = "convention", choices = {"brain", "intracranial"}, description = "brain: the brain surface (BET);"
            + " intracranial: brain + CSF out to the inner skull")
    private String convention = "brain";

    @Parameter(label = "frame", min = "0", description = "frame of a 4D image (1-based); 0 = the current frame")
    private int frame = 0;

    @Parameter(label = "use_gpu", required = false, description = "CUDA GPU when DopaJ was built with -Pgpu, else the"
            + " CPU", attrs = @Attr(name = "cli", value = "--device"))
    private boolean use_gpu = false;

    @Parameter(label = "show_masked", required = false, description = "the masked brain as an image", attrs = @Attr(name = "cli", value = "none"))
    private boolean show_masked = true;

    @Parameter(label = "show_pseudocolour", required = false, description = "the pseudo-colour view as an image", attrs = @Attr(name = "cli", value = "--pseudocolour"))
    private boolean show_pseudocolour = true;

    @Parameter(label = "show_outline", required = false, description = "a copy of the input with the mask outline;"
            + " Esc stops a running brain mask", attrs = @Attr(name = "cli", value = "none"))
    private boolean show_outline = true;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus brain;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus pseudocolour;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus outline;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus mask;

    @Parameter(type = ItemIO.OUTPUT)
    private double volume_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private String notice;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    /** What one run produced. */
    public record Output(BrainMaskResult result, ImagePlus mask, ImagePlus brain, ImagePlus pseudoColour,
            ImagePlus outline, String device, List<String> warnings) {
    }

    @Override
    public void run() {
        // a missing ImagePlus input arrives as an empty, non-null image (DESIGN.md §2)
        if (image == null || image.getWidth() == 0 || image.getStackSize() == 0 || image.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        int f = frame == 0 ? (image.getNFrames() > 1 ? image.getFrame() : 1) : frame;
        Output o = compute(image, f, intervals, closing_mm, border_mm, BrainMaskModel.Convention.parse(convention),
                use_gpu, show_pseudocolour, show_outline, CommandRunner.statusBar("DopaJ " + TITLE));
        brain = show_masked ? o.brain() : null;
        pseudocolour = o.pseudoColour();
        outline = o.outline();
        mask = o.mask();
        volume_ml = o.result().volumeMl();
        notice = Version.NOTICE;
        table = table(image.getTitle(), o);
        for (String n : o.result().notes()) {
            IJ.log("DopaJ " + TITLE + ": " + (o.result().fieldOfViewWarnings().contains(n) ? "WARNING: " : "") + n);
        }
        IJ.log(String.format(Locale.ROOT, "DopaJ %s: %s %s mask volume %.1f mL%s. %s", TITLE, image.getTitle(),
                o.result().convention().key(), o.result().volumeMl(), o.warnings().isEmpty() ? ""
                : " (1 mm voxels assumed: not a real volume)", Version.NOTICE));
    }

    /** {@link #compute(ImagePlus, int, int, double, double, boolean, boolean, boolean, ProgressListener)} without progress. */
    public static Output compute(ImagePlus imp, int frame, int intervals, double closingMm, double borderMm,
            boolean useGpu, boolean pseudoColour, boolean outline) {
        return compute(imp, frame, intervals, closingMm, borderMm, useGpu, pseudoColour, outline, ProgressListener.NONE);
    }

    /**
     * The whole command without windows: masks frame {@code frame} (1-based) of {@code imp} (not changed) and builds
     * the output images, shown like the input (same reading view and slice). {@code intervals} 0 skips the
     * pseudo-colour view. The mask is 8-bit 0/255 (ImageJ's mask convention) calibrated so that its value is 1 inside,
     * as the CLI's mask file; the masked brain keeps the input's display range.
     */
    public static Output compute(ImagePlus imp, int frame, int intervals, double closingMm, double borderMm,
            boolean useGpu, boolean pseudoColour, boolean outline, ProgressListener progress) {
        return compute(imp, frame, intervals, closingMm, borderMm, BrainMaskModel.Convention.BRAIN, useGpu,
                pseudoColour, outline, progress);
    }

    /** As {@link #compute(ImagePlus, int, int, double, double, boolean, boolean, boolean)} in {@code convention}. */
    public static Output compute(ImagePlus imp, int frame, int intervals, double closingMm, double borderMm,
            BrainMaskModel.Convention convention, boolean useGpu, boolean pseudoColour, boolean outline) {
        return compute(imp, frame, intervals, closingMm, borderMm, convention, useGpu, pseudoColour, outline,
                ProgressListener.NONE);
    }

    /** The whole command in {@code convention}, reporting progress to {@code progress}. */
    public static Output compute(ImagePlus imp, int frame, int intervals, double closingMm, double borderMm,
            BrainMaskModel.Convention convention, boolean useGpu, boolean pseudoColour, boolean outline,
            ProgressListener progress) {
        if (imp == null || imp.getWidth() == 0 || imp.getStackSize() == 0 || imp.getProcessor() == null) {
            throw new DopajException("image is missing or empty");
        }
        List<String> warnings = new ArrayList<>();
        Volume all = Inputs.volume(imp, TITLE, false, warnings);
        Volume v = Inputs.frame(all, frame, imp);
        if (pseudoColour && (intervals < 2 || intervals > PseudoColour.MAX_INTERVALS)) {
            throw new DopajException("intervals must be 2.." + PseudoColour.MAX_INTERVALS + ", got " + intervals);
        }
        BrainMasker.check(v); // before the engine starts: a bad image is reported at once
        BrainMaskResult r;
        String device;
        try (BrainMasker m = BrainMasker.open(ModelRegistry.find(BrainMaskModel.ID), ComputeDevice.fromUseGpu(useGpu))) {
            device = m.device().toString();
            r = m.run(v, closingMm, borderMm, convention, progress);
        }
        String base = stripExtension(imp.getTitle());
        ImagePlus mask = maskImage(r.mask(), base + "_brainmask", imp);
        ImagePlus brain = Inputs.output(r.brain(), base + "_brain", imp, null);
        double[] range = inputRange(imp);
        brain.setDisplayRange(range[0], range[1]);
        brain.setSlice(Math.min(brain.getNSlices(), imp.getSlice()));
        ImagePlus pc = pseudoColour ? pseudoColourImage(PseudoColour.of(r.brain(), r.mask(), intervals),
                base + "_pseudocolour", imp) : null;
        ImagePlus ol = outline ? outlineImage(v, r.mask(), base + "_outline", imp) : null;
        return new Output(r, mask, brain, pc, ol, device, warnings);
    }

    /** The input's display range in calibrated values (what the masked brain's float voxels are). */
    static double[] inputRange(ImagePlus imp) {
        ij.measure.Calibration c = imp.getCalibration();
        double lo = c.getCValue(imp.getDisplayRangeMin());
        double hi = c.getCValue(imp.getDisplayRangeMax());
        return hi > lo ? new double[]{lo, hi} : new double[]{0, 1};
    }

    /** The mask as an 8-bit 0/255 stack (value 1 inside through a linear calibration), shown like {@code like}. */
    static ImagePlus maskImage(Volume mask, String title, ImagePlus like) {
        ImageStack st = new ImageStack(mask.nx(), mask.ny());
        for (int z = 0; z < mask.nz(); z++) {
            float[] f = mask.plane(z);
            byte[] b = new byte[f.length];
            for (int i = 0; i < f.length; i++) {
                b[i] = f[i] != 0 ? (byte) 255 : 0;
            }
            st.addSlice(null, new ByteProcessor(mask.nx(), mask.ny(), b));
        }
        ImagePlus imp = new ImagePlus(title, st);
        copyGeometry(ImagePlusBridge.toImagePlus(mask, title), imp);
        imp.getCalibration().setFunction(ij.measure.Calibration.STRAIGHT_LINE, new double[]{0, 1.0 / 255}, "");
        imp.setProp("dopaj.mask", "8-bit 0/255; calibrated value 1 inside the brain");
        Inputs.shownLike(imp, mask.grid(), like, Viewer.Modality.MASK);
        imp.setSlice(Math.min(imp.getNSlices(), like.getSlice()));
        return imp;
    }

    /** The interval-index image (8-bit) with the pseudo-colour LUT and the input's geometry. */
    static ImagePlus pseudoColourImage(PseudoColour pc, String title, ImagePlus like) {
        Volume c = pc.classes();
        ImageStack st = new ImageStack(c.nx(), c.ny());
        for (int z = 0; z < c.nz(); z++) {
            float[] f = c.plane(z);
            byte[] b = new byte[f.length];
            for (int i = 0; i < f.length; i++) {
                b[i] = (byte) (int) f[i];
            }
            st.addSlice(null, new ByteProcessor(c.nx(), c.ny(), b));
        }
        ImagePlus imp = new ImagePlus(title, st);
        copyGeometry(ImagePlusBridge.toImagePlus(c, title), imp);
        LUT lut = new LUT(pc.reds(), pc.greens(), pc.blues());
        imp.getProcessor().setLut(lut);
        imp.getStack().setColorModel(lut);
        imp.setDisplayRange(0, 255);
        imp.setProp("dopaj.intervals", String.valueOf(pc.intervals()));
        imp.setProp("dopaj.interval_range", pc.low() + " " + pc.high());
        Inputs.shownLike(imp, c.grid(), like, null);
        imp.setSlice(Math.min(imp.getNSlices(), like.getSlice()));
        Overlays.replace(imp, Legends.GROUP, Legends.overlay(Legends.intervals(pc, imp.getHeight() / 3),
                imp));
        return imp;
    }

    /** A copy of the analysed volume with the mask's outline (yellow) as an overlay on each slice. */
    static ImagePlus outlineImage(Volume v, Volume fileMask, String title, ImagePlus like) {
        ImagePlus imp = Inputs.output(v.copy(), title, like, null);
        double[] range = inputRange(like);
        imp.setDisplayRange(range[0], range[1]);
        imp.setSlice(Math.min(imp.getNSlices(), like.getSlice()));
        Volume mask = Inputs.asShown(fileMask, imp);
        Overlay ov = new Overlay();
        for (int z = 0; z < mask.nz(); z++) {
            float[] m = mask.plane(z);
            byte[] b = new byte[m.length];
            boolean any = false;
            for (int i = 0; i < m.length; i++) {
                if (m[i] != 0) {
                    b[i] = (byte) 255;
                    any = true;
                }
            }
            if (!any) {
                continue;
            }
            ByteProcessor bp = new ByteProcessor(mask.nx(), mask.ny(), b);
            bp.setThreshold(255, 255, ByteProcessor.NO_LUT_UPDATE);
            Roi roi = ThresholdToSelection.run(new ImagePlus("", bp));
            if (roi != null) {
                roi.setStrokeColor(Color.YELLOW);
                roi.setPosition(z + 1);
                ov.add(roi);
            }
        }
        Overlays.replace(imp, "DopaJ brain outline", ov);
        return imp;
    }

    private static void copyGeometry(ImagePlus from, ImagePlus to) {
        to.setDimensions(1, from.getNSlices(), 1);
        to.setCalibration(from.getCalibration().copy());
        to.setProp(ImagePlusBridge.AFFINE_PROP, from.getProp(ImagePlusBridge.AFFINE_PROP));
        to.setProp(ImagePlusBridge.DIMS_PROP, from.getProp(ImagePlusBridge.DIMS_PROP));
        ImagePlusBridge.rememberCalibration(to);
    }

    static ResultsTable table(String image, Output o) {
        ResultsTable rt = new ResultsTable();
        rt.incrementCounter();
        rt.addValue("image", image);
        rt.addValue("convention", o.result().convention().key());
        rt.addValue("volume_ml", o.result().volumeMl());
        rt.addValue("voxels", o.result().voxels());
        rt.addValue("seconds", o.result().seconds());
        rt.addValue("device", o.device());
        rt.addValue("model", BrainMaskModel.ID);
        List<String> notes = new ArrayList<>(o.result().notes());
        notes.addAll(o.warnings());
        rt.addValue("notes", String.join("; ", notes));
        rt.addValue("warnings", String.join("; ", o.result().fieldOfViewWarnings()));
        rt.addValue("notice", Version.NOTICE);
        return rt;
    }

    static String stripExtension(String title) {
        String t = title == null ? "image" : title;
        for (String ext : new String[] {".nii.gz", ".nii", ".tiff", ".tif"}) {
            if (t.toLowerCase(Locale.ROOT).endsWith(ext)) {
                return t.substring(0, t.length() - ext.length());
            }
        }
        return t;
    }
}
