package org.dopaj.commands;

import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.filter.Analyzer;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.wmh.WmhModel;
import org.dopaj.wmh.WmhResult;
import org.dopaj.wmh.WmhSegmenter;

/**
 * Plugins›DopaJ›White-Matter Hypointensities: WMH on the current 3D T1 ({@link WmhSegmenter}). Macro-recordable and
 * headless-safe: {@code run("White-Matter Hypointensities", "method=network show=probability colour_map=hot
 * opacity=0.5 frame=0")}. Parameters: {@code method} (network | threshold: the classical baseline), {@code show}
 * (mask | probability: what the overlay paints), {@code colour_map} ({@link ColorMap#NAMES}), {@code opacity}
 * (0…1), {@code frame} (of a 4D image; 0 = the current frame), {@code use_gpu}.
 *
 * <p>The input is never changed. Shown: "&lt;title&gt;_wmh_overlay" (a copy of the T1 with the mask or probability
 * painted in the colour map, alpha = opacity × value), "&lt;title&gt;_wmh_prob" and "&lt;title&gt;_wmh" (0/1, last:
 * the current image for the next macro line), all on the input's grid; the volumes in the results table "DopaJ WMH"
 * (wmh_ml, wmh_pv_ml, periventricular_ml, deep_ml, juxtacortical_ml, lesions, grade, method, model, ...).
 */
public class Wmh implements PlugIn {
    static final String TITLE = "White-Matter Hypointensities";
    static final String TABLE = "DopaJ WMH";
    static final String[] METHODS = {"network", "threshold"};
    static final String[] SHOW = {"mask", "probability"};

    /** What one run produced. */
    public record Output(WmhResult result, ImagePlus mask, ImagePlus probability, ImagePlus overlay, String device) {
    }

    @Override
    public void run(String arg) {
        ImagePlus imp = CommandRunner.currentImage(TITLE);
        if (imp == null) {
            return;
        }
        Params p = new Params("DopaJ " + TITLE)
                .message("White-matter hypointensities on a 3D T1 (3D U-Net trained on synthetic lesions). "
                        + Version.NOTICE)
                .choice("method", METHODS, "network").choice("show", SHOW, "probability")
                .choice("colour_map", ColorMap.NAMES.toArray(new String[0]), "hot").number("opacity", 0.5, 2)
                .number("frame", 0, 0).check("use_gpu", false);
        CommandRunner.run(TITLE, () -> {
            if (!p.read()) {
                return;
            }
            int frame = (int) p.getNumber("frame");
            if (frame == 0) {
                frame = imp.getNFrames() > 1 ? imp.getFrame() : 1;
            }
            Output o = compute(imp, frame, p.getChoice("method"), p.getChoice("show"), p.getChoice("colour_map"),
                    p.getNumber("opacity"), p.getCheck("use_gpu"));
            o.overlay().show();
            o.probability().show();
            o.mask().show();
            ResultsTable rt = table(imp.getTitle(), o);
            Analyzer.setResultsTable(rt);
            rt.show(TABLE);
            for (String n : o.result().notes()) {
                IJ.log("DopaJ " + TITLE + ": " + n);
            }
            IJ.log(String.format(Locale.ROOT, "DopaJ %s: %s WMH %.2f mL (periventricular %.2f, deep %.2f, "
                    + "juxtacortical %.2f mL), %s. %s", TITLE, imp.getTitle(), o.result().wmhMl(),
                    o.result().periventricularMl(), o.result().deepMl(), o.result().juxtacorticalMl(),
                    o.result().model(), Version.NOTICE));
        });
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
        Volume v;
        if (all.nt() > 1) {
            if (frame < 1 || frame > all.nt()) {
                throw new DopajException("frame must be 1.." + all.nt() + " for '" + imp.getTitle() + "', got " + frame);
            }
            v = all.frame(frame - 1);
        } else {
            v = all;
        }
        WmhSegmenter.check(v); // before any model loads
        ComputeDevice device = ComputeDevice.fromUseGpu(useGpu);
        WmhResult r;
        try (WmhSegmenter seg = WmhSegmenter.open(m, m == WmhSegmenter.Method.NETWORK
                ? ModelRegistry.find(WmhModel.ID) : null, ModelRegistry.find(BrainMaskModel.ID), device)) {
            r = seg.run(v, null);
        }
        String base = BrainMask.stripExtension(imp.getTitle());
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
