package org.dopaj.commands;

import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.wmh.WmhModel;
import org.dopaj.wmh.WmhResult;
import org.dopaj.wmh.WmhSegmenter;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›White-Matter Hypointensities: WMH on a 3D T1 ({@link WmhSegmenter}). Macro-recordable and
 * headless-safe: {@code run("White-Matter Hypointensities", "method=network show=probability colour_map=hot
 * opacity=0.5 frame=0")}. Parameters: {@code method} (network | threshold: the classical baseline), {@code show}
 * (mask | probability: what the overlay paints), {@code colour_map} ({@link ColorMap#NAMES}), {@code opacity}
 * (0…1), {@code frame} (of a 4D image; 0 = the current frame), {@code use_gpu}.
 *
 * <p>The input is never changed. Outputs: "&lt;title&gt;_wmh_overlay" (a copy of the T1 with the mask or probability
 * painted in the colour map, alpha = opacity × value), "&lt;title&gt;_wmh_prob" and "&lt;title&gt;_wmh" (0/1, last:
 * the current image for the next macro line), all on the input's grid; the volumes in the results table "DopaJ WMH"
 * (wmh_ml, wmh_pv_ml, periventricular_ml, deep_ml, juxtacortical_ml, lesions, grade, method, model, ...) and as
 * numbers for scripts.
 */
@Plugin(type = Command.class, name = "dopaj.wmh", label = "White-Matter Hypointensities",
        menuPath = "Plugins>DopaJ>White-Matter Hypointensities", headless = true, attrs = @Attr(name = "cli", value = "wmh"),
        description = "White-matter hypointensities on a 3D T1 (3D U-Net trained on synthetic lesions). "
        + Version.NOTICE)
public class WmhCommand implements Command {
    static final String TITLE = "White-Matter Hypointensities";
    static final String TABLE = "DopaJ WMH";

    @Parameter(label = "image", attrs = @Attr(name = "cli", value = "positional"))
    private ImagePlus image;

    /** The keys of {@link WmhSegmenter.Method} (checked by CommandDeclarationTest). */
    @Parameter(label = "method", choices = {"network", "threshold"}, description = "network: the 3D U-Net; threshold:"
            + " the classical baseline")
    private String method = "network";

    @Parameter(label = "show", choices = {"mask", "probability"}, description = "what the overlay paints", attrs = @Attr(name = "cli", value = "none"))
    private String show = "probability";

    @Parameter(label = "colour_map", choices = {"jet", "inferno", "viridis", "hot", "grays"},
            description = "colour map of the overlay", attrs = @Attr(name = "cli", value = "none"))
    private String colour_map = "hot";

    @Parameter(label = "opacity", min = "0", max = "1", description = "overlay opacity at value 1",
            attrs = {@Attr(name = "units", value = "0–1"), @Attr(name = "cli", value = "none")})
    private double opacity = 0.5;

    @Parameter(label = "frame", min = "0", description = "frame of a 4D image (1-based); 0 = the current frame")
    private int frame = 0;

    @Parameter(label = "use_gpu", required = false, description = "CUDA GPU when DopaJ was built with -Pgpu, else the"
            + " CPU", attrs = @Attr(name = "cli", value = "--device"))
    private boolean use_gpu = false;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus overlay;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus probability;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus mask;

    @Parameter(type = ItemIO.OUTPUT)
    private double wmh_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double wmh_pv_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double periventricular_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double deep_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double juxtacortical_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private String notice;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    /** What one run produced. */
    public record Output(WmhResult result, ImagePlus mask, ImagePlus probability, ImagePlus overlay, String device) {
    }

    @Override
    public void run() {
        // a missing ImagePlus input arrives as an empty, non-null image (DESIGN.md §2)
        if (image == null || image.getWidth() == 0 || image.getStackSize() == 0 || image.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        int f = frame == 0 ? (image.getNFrames() > 1 ? image.getFrame() : 1) : frame;
        Output o = compute(image, f, method, show, colour_map, opacity, use_gpu);
        overlay = o.overlay();
        probability = o.probability();
        mask = o.mask();
        WmhResult r = o.result();
        wmh_ml = r.wmhMl();
        wmh_pv_ml = r.wmhPvMl();
        periventricular_ml = r.periventricularMl();
        deep_ml = r.deepMl();
        juxtacortical_ml = r.juxtacorticalMl();
        notice = Version.NOTICE;
        table = table(image.getTitle(), o);
        for (String n : r.notes()) {
            IJ.log("DopaJ " + TITLE + ": " + n);
        }
        IJ.log(String.format(Locale.ROOT, "DopaJ %s: %s WMH %.2f mL (periventricular %.2f, deep %.2f, "
                + "juxtacortical %.2f mL), %s. %s", TITLE, image.getTitle(), r.wmhMl(), r.periventricularMl(),
                r.deepMl(), r.juxtacorticalMl(), r.model(), Version.NOTICE));
    }

    /** The whole command without UI; {@code imp} is not changed. */
    public static Output compute(ImagePlus imp, int frame, String method, String show, String colourMap,
            double opacity, boolean useGpu) {
        if (imp == null || imp.getWidth() == 0 || imp.getStackSize() == 0 || imp.getProcessor() == null) {
            throw new DopajException("image is missing or empty");
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new DopajException("opacity must be 0..1, got " + opacity);
        }
        if (!"mask".equals(show) && !"probability".equals(show)) {
            throw new DopajException("show must be mask or probability, got " + show);
        }
        ColorMap map = ColorMap.of(colourMap);
        WmhSegmenter.Method m = WmhSegmenter.Method.parse(method);
        Volume all = ImagePlusBridge.toVolume(imp);
        Volume v = Inputs.frame(all, frame, imp);
        WmhSegmenter.check(v); // before any model loads
        ComputeDevice device = ComputeDevice.fromUseGpu(useGpu);
        WmhResult r;
        try (WmhSegmenter seg = WmhSegmenter.open(m, m == WmhSegmenter.Method.NETWORK
                ? ModelRegistry.find(WmhModel.ID) : null, ModelRegistry.find(BrainMaskModel.ID), device)) {
            r = seg.run(v, CommandRunner.statusBar("DopaJ WMH"));
        }
        String base = BrainMaskCommand.stripExtension(imp.getTitle());
        ImagePlus mask = ImagePlusBridge.toImagePlus(r.mask(), base + "_wmh");
        mask.setDisplayRange(0, 1);
        ImagePlus prob = ImagePlusBridge.toImagePlus(r.probability(), base + "_wmh_prob");
        prob.setDisplayRange(0, 1);
        ImagePlus ov = ImagePlusBridge.toImagePlus(v.copy(), base + "_wmh_overlay");
        ov.resetDisplayRange();
        ov.setOverlay(CamOverlay.overlay(ov, "mask".equals(show) ? r.mask() : r.probability(), map, opacity, true));
        return new Output(r, mask, prob, ov, device.toString());
    }

    static ResultsTable table(String image, Output o) {
        WmhResult r = o.result();
        ResultsTable rt = new ResultsTable();
        rt.incrementCounter();
        rt.addValue("image", image);
        rt.addValue("wmh_ml", r.wmhMl());
        rt.addValue("wmh_pv_ml", r.wmhPvMl());
        rt.addValue("periventricular_ml", r.periventricularMl());
        rt.addValue("deep_ml", r.deepMl());
        rt.addValue("juxtacortical_ml", r.juxtacorticalMl());
        rt.addValue("lesions", r.lesions());
        rt.addValue("grade", r.grade());
        rt.addValue("grade_rule", WmhSegmenter.GRADE_RULE);
        rt.addValue("method", r.method());
        rt.addValue("model", r.model());
        rt.addValue("registration_ncc", r.registrationNcc());
        rt.addValue("seconds", r.seconds());
        rt.addValue("device", o.device());
        rt.addValue("notes", String.join("; ", r.notes()));
        rt.addValue("notice", Version.NOTICE);
        return rt;
    }
}
