package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.msa.MsaClassifier;
import org.dopaj.msa.MsaInputs;
import org.dopaj.msa.MsaModality;
import org.dopaj.msa.MsaResult;
import org.dopaj.msa.MsaTask;
import org.dopaj.msa.MsaZScores;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›MSA vs PD: classifies a subject as PD or MSA from a grey-matter density image ({@code gd}), a mean
 * diffusivity image ({@code md}, mm²/s), or both, on the MNI152 2 mm grid ({@link MsaClassifier}; one map alone runs
 * the monomodal model). Results table "DopaJ MSA vs PD" (label, probability, task, model, abnormal clusters when a
 * normal database is given); the class-activation map as an overlay with a colour bar on the first map and as its own
 * image (unless {@code hide_cam_image}); with {@code normal_db} (a folder, docs/msa-pd.md) the z-maps as images with a
 * colour bar (|z| 0…6 in the disease direction: GD atrophy, MD rise). Macro: {@code run("MSA vs PD",
 * "gd=[sub-01_gd.nii.gz] md=[sub-01_md.nii.gz] task=msa opacity=0.5 colour_map=jet")}; in ImageJ the images are chosen
 * by window title, or {@code none}. The maps' pixels are not changed.
 */
@Plugin(type = Command.class, name = "dopaj.msa-pd", label = "MSA vs PD", menuPath = "Plugins>DopaJ>MSA vs PD",
        headless = true, attrs = @Attr(name = "cli", value = "msa-pd"), description = "Research use only, not for diagnosis. Trained on phantoms.")
public class MsaPdCommand implements Command {
    public static final String TABLE = "DopaJ MSA vs PD";
    private static MsaClassifier cached;
    private static Path cachedDir;

    @Parameter(label = "gd", required = false, description = "grey-matter density map on the MNI152 2 mm grid")
    private ImagePlus gd;

    @Parameter(label = "md", required = false, description = "mean diffusivity map (mm²/s) on the MNI152 2 mm grid")
    private ImagePlus md;

    /** The ids of {@link MsaTask} (checked by CommandDeclarationTest). */
    @Parameter(label = "task", choices = {"msa", "msa-p", "msa-c"}, description = "msa: MSA vs PD; msa-p, msa-c: the"
            + " subtype vs PD")
    private String task = "msa";

    @Parameter(label = "opacity", min = "0", max = "1", description = "CAM overlay opacity at the CAM's maximum",
            attrs = {@Attr(name = "units", value = "0–1"), @Attr(name = "cli", value = "none")})
    private double opacity = 0.5;

    @Parameter(label = "colour_map", choices = {"jet", "inferno", "viridis", "hot", "grays"},
            description = "colour map of the CAM overlay and image", attrs = @Attr(name = "cli", value = "none"))
    private String colour_map = "jet";

    @Parameter(label = "normal_db", required = false, style = "directory", description = "normal-database folder"
            + " (docs/msa-pd.md); blank = no z-maps")
    private String normal_db = "";

    @Parameter(label = "model", required = false, description = "model package folder; blank = the bundled model for"
            + " the task and the maps given")
    private String model = "";

    @Parameter(label = "hide_cam_image", required = false, description = "do not open the CAM as its own image", attrs = @Attr(name = "cli", value = "none"))
    private boolean hide_cam_image = false;

    @Parameter(type = ItemIO.OUTPUT)
    private String label;

    @Parameter(type = ItemIO.OUTPUT)
    private double probability_msa;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus cam;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus z_gd;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus z_md;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    /** Everything one run produces. */
    public record Outcome(MsaResult result, MsaZScores.ZMap zGd, MsaZScores.ZMap zMd) {
    }

    @Override
    public void run() {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new DopajException("parameter opacity must be between 0 and 1, got " + opacity);
        }
        // a missing ImagePlus input arrives as an empty image: treat it as absent
        ImagePlus g = present(gd) ? gd : null;
        ImagePlus m = present(md) ? md : null;
        ColorMap map = ColorMap.of(colour_map);
        Outcome o = classify(g, m, task, model, normal_db);
        ImagePlus base = g != null ? g : m;
        base.setOverlay(overlay(base, o.result().cam(), map, opacity, 0, 1));
        label = o.result().label();
        probability_msa = o.result().probabilityMsa();
        table = table(o, g, m);
        cam = hide_cam_image ? null : CamOverlay.camImage(o.result().cam(), map, base, "CAM of " + base.getTitle());
        z_gd = o.zGd() == null ? null : zImage(o.zGd(), base);
        z_md = o.zMd() == null ? null : zImage(o.zMd(), base);
        for (String w : o.result().warnings()) {
            IJ.log("DopaJ MSA vs PD warning: " + w);
        }
        IJ.log(String.format(Locale.ROOT, "DopaJ MSA vs PD: %s (probability %s %.4f, model %s); %s",
                o.result().label(), o.result().task().msaLabel(), o.result().probabilityMsa(),
                o.result().modelId(), MsaResult.NOTICE));
    }

    private static boolean present(ImagePlus imp) {
        return imp != null && imp.getWidth() > 0 && imp.getStackSize() > 0 && imp.getProcessor() != null
                && !(imp.getWidth() == 1 && imp.getHeight() == 1 && imp.getStackSize() == 1 && imp.getTitle().isEmpty());
    }

    /** Checks and classifies; {@code normalDb} may be blank. Thread-safe; the model is cached between calls. */
    public static synchronized Outcome classify(ImagePlus gdImp, ImagePlus mdImp, String task, String model,
                                                String normalDb) {
        MsaTask tk = MsaTask.parse(task == null || task.isBlank() ? "msa" : task.trim());
        Volume gdRaw = volume(gdImp, "gd");
        Volume mdRaw = volume(mdImp, "md");
        MsaModality modality = MsaModality.of(gdRaw != null, mdRaw != null);
        if (gdRaw != null && mdRaw != null) {
            MsaInputs.sameGrid(gdRaw, mdRaw);
        }
        List<String> warnings = new ArrayList<>();
        Volume gd = null;
        Volume md = null;
        if (gdRaw != null) {
            MsaInputs.Checked c = MsaInputs.gd(gdRaw, gdImp.getTitle());
            gd = c.map();
            warnings.addAll(c.warnings());
        }
        if (mdRaw != null) {
            MsaInputs.Checked c = MsaInputs.md(mdRaw, mdImp.getTitle());
            md = c.map();
            warnings.addAll(c.warnings());
        }
        Map<String, MsaZScores.Entry> db = normalDb == null || normalDb.isBlank() ? null
                : MsaZScores.read(Path.of(normalDb.trim()));
        Path dir = model == null || model.isBlank() ? MsaClassifier.bundledModel(tk, modality) : Path.of(model.trim());
        if (cached == null || !dir.equals(cachedDir) || cached.task() != tk || cached.modality() != modality) {
            if (cached != null) {
                cached.close();
            }
            cached = null;
            cached = MsaClassifier.load(dir, tk, modality, ComputeDevice.fromSystemProperty());
            cachedDir = dir;
        }
        MsaResult r = cached.classify(gd, md, warnings);
        MsaZScores.ZMap zg = db != null && gd != null && db.containsKey("gd")
                ? MsaZScores.zmap(db.get("gd"), MsaZScores.prepare("gd", gd)) : null;
        MsaZScores.ZMap zm = db != null && md != null && db.containsKey("md")
                ? MsaZScores.zmap(db.get("md"), MsaZScores.prepare("md", md)) : null;
        return new Outcome(r, zg, zm);
    }

    private static Volume volume(ImagePlus imp, String what) {
        if (imp == null) {
            return null;
        }
        if (imp.getWidth() == 0 || imp.getStackSize() == 0 || imp.getProcessor() == null) {
            throw new DopajException("parameter " + what + " is an empty image");
        }
        return ImagePlusBridge.toVolume(imp);
    }

    static ResultsTable table(Outcome o, ImagePlus gd, ImagePlus md) {
        ResultsTable rt = new ResultsTable();
        rt.incrementCounter();
        rt.addValue("gd", gd == null ? "" : gd.getTitle());
        rt.addValue("md", md == null ? "" : md.getTitle());
        rt.addValue("task", o.result().task().id());
        rt.addValue("label", o.result().label());
        rt.addValue("probability_msa", o.result().probabilityMsa());
        rt.addValue("model", o.result().modelId());
        if (o.zGd() != null) {
            rt.addValue("gd_abnormal_clusters", o.zGd().clusters().size());
            rt.addValue("gd_abnormal_ml", o.zGd().extentMl());
        }
        if (o.zMd() != null) {
            rt.addValue("md_abnormal_clusters", o.zMd().clusters().size());
            rt.addValue("md_abnormal_ml", o.zMd().extentMl());
        }
        return rt;
    }

    /** An overlay of a 0…1 map (alpha following it, scaled by opacity) with a colour bar labelled lo…hi. */
    public static Overlay overlay(ImagePlus imp, Volume map01, ColorMap map, double opacity, double lo, double hi) {
        Overlay o = CamOverlay.overlay(imp, map01, map, opacity, true);
        int barH = Math.max(24, imp.getHeight() / 2);
        ImagePlus bar = CamOverlay.colourBar(map, lo, hi, Math.max(4, imp.getWidth() / 25), barH);
        ImageRoi roi = new ImageRoi(Math.max(0, imp.getWidth() - bar.getWidth() - 2), 2, bar.getProcessor());
        roi.setName("colour bar " + map.name() + " " + lo + ".." + hi);
        o.add(roi);
        return o;
    }

    /**
     * The z-map in the disease direction (GD: −z, MD: +z) clipped to 0…6 as an image with the "hot" LUT and a colour
     * bar 0…6 in an overlay.
     */
    public static ImagePlus zImage(MsaZScores.ZMap z, ImagePlus reference) {
        boolean gd = z.modality().equals("gd");
        Volume v = z.z().copy();
        for (int k = 0; k < v.nz(); k++) {
            float[] p = v.plane(k);
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.max(0f, Math.min(1f, (gd ? -p[i] : p[i]) / 6f));
            }
        }
        ColorMap hot = ColorMap.of("hot");
        ImagePlus imp = CamOverlay.camImage(v, hot, reference, (gd ? "z GD (atrophy, |z| 0-6) of "
                : "z MD (rise, z 0-6) of ") + reference.getTitle());
        Overlay o = new Overlay();
        ImagePlus bar = CamOverlay.colourBar(hot, 0, 6, Math.max(4, imp.getWidth() / 25), Math.max(24, imp.getHeight() / 2));
        ImageRoi roi = new ImageRoi(Math.max(0, imp.getWidth() - bar.getWidth() - 2), 2, bar.getProcessor());
        roi.setName("colour bar hot |z| 0..6");
        o.add(roi);
        imp.setOverlay(o);
        return imp;
    }
}
