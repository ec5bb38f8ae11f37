package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.spect.AtlasVois;
import org.dopaj.spect.DatNormaliser;
import org.dopaj.spect.DatQcPicture;
import org.dopaj.spect.DatTemplate;
import org.dopaj.spect.NormalDatabase;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectVois;
import org.dopaj.spect.VoiSet;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›DaT-SPECT›Quantify SBR: specific binding ratios of a (spatially normalised) DaT-SPECT image in DopaJ's
 * VOIs or an atlas's labels ({@link SbrQuantifier}), in the results table "DopaJ SBR" (one row per region: sbr,
 * hottest_sbr, mean_counts, voxels; then rows for the asymmetries and putamen/caudate ratios in the sbr column), with
 * the VOI outlines as an overlay on the image (unless {@code hide_vois}); the six main SBRs, asymmetry and ratios also
 * as outputs for scripts. Logs the same JSON as {@code dopaj spect-sbr}. Macro:
 * {@code run("Quantify SBR", "atlas=[] atlas_labels=[...] hottest_voxels=125")}. An image not in MNI space (a camera's
 * reconstruction) is spatially normalised to DopaJ's DaT-SPECT template first ({@link DatNormaliser}; the VOIs are
 * drawn back on the image through the inverse transform); {@code no_normalise} takes it as already in MNI space,
 * {@code show_qc} opens the normalisation's QC picture. The image's pixels are not changed.
 */
@Plugin(type = Command.class, name = "dopaj.spect-quantify-sbr", label = "Quantify SBR",
        menuPath = "Plugins>DopaJ>DaT-SPECT>Quantify SBR", headless = true, attrs = @Attr(name = "cli", value = "spect-sbr"),
        description = "Research use only, not for diagnosis.")
public class SpectQuantifyCommand implements Command {
    public static final String TABLE = "DopaJ SBR";
    /** Voxels averaged per region for the hottest-voxel SBR in Fiji (a fixed count, whatever the grid). */
    public static final int HOTTEST_VOXELS = 125;
    static final Map<String, Color> COLOURS = Map.of("caudate", new Color(0, 160, 255), "putamen_ant",
            new Color(0, 220, 0), "putamen_post", new Color(255, 200, 0), "putamen", new Color(0, 220, 0),
            "reference", new Color(255, 0, 255));

    @Parameter(label = "image", attrs = @Attr(name = "cli", value = "positional"))
    private ImagePlus image;

    @Parameter(label = "atlas", required = false, style = "file", description = "atlas NIfTI in MNI space, or the"
            + " title of an open image; blank = DopaJ's VOIs")
    private String atlas = "";

    @Parameter(label = "atlas_labels", required = false, description = "region=label numbers of the atlas"
            + " (default: AAL)", attrs = @Attr(name = "cli", value = "--labels"))
    private String atlas_labels = AtlasVois.AAL_SPEC;

    @Parameter(label = "hottest_voxels", min = "1", description = "hottest-voxel SBR: mean of this many voxels per"
            + " region", attrs = {@Attr(name = "units", value = "voxels"), @Attr(name = "cli", value = "--hottest")})
    private int hottest_voxels = HOTTEST_VOXELS;

    @Parameter(label = "normals", required = false, style = "file", description = "normal-database CSV"
            + " (region,mean,sd[,age_slope,ref_age]); blank = no z-scores")
    private String normals = "";

    @Parameter(label = "age", required = false, min = "0", max = "130", description = "patient's age for"
            + " age-adjusted normals; 0 = unknown", attrs = @Attr(name = "units", value = "years"))
    private double age = 0;

    @Parameter(label = "hide_vois", required = false, description = "leave the VOI outlines off the image", attrs = @Attr(name = "cli", value = "none"))
    private boolean hide_vois = false;

    @Parameter(label = "no_normalise", required = false, description = "tick when the image is already in MNI space")
    private boolean no_normalise = false;

    @Parameter(label = "show_qc", required = false, description = "open the spatial normalisation's QC picture", attrs = @Attr(name = "cli", value = "--qc"))
    private boolean show_qc = false;

    @Parameter(type = ItemIO.OUTPUT)
    private boolean normalised;
    @Parameter(type = ItemIO.OUTPUT)
    private double template_ncc;

    @Parameter(type = ItemIO.OUTPUT)
    private double caudate_l;
    @Parameter(type = ItemIO.OUTPUT)
    private double caudate_r;
    @Parameter(type = ItemIO.OUTPUT)
    private double putamen_l;
    @Parameter(type = ItemIO.OUTPUT)
    private double putamen_r;
    @Parameter(type = ItemIO.OUTPUT)
    private double striatum_l;
    @Parameter(type = ItemIO.OUTPUT)
    private double striatum_r;
    @Parameter(type = ItemIO.OUTPUT)
    private double putamen_asymmetry_pct;
    @Parameter(type = ItemIO.OUTPUT)
    private double putamen_caudate_ratio_l;
    @Parameter(type = ItemIO.OUTPUT)
    private double putamen_caudate_ratio_r;
    /** z-scores against the normal database, "metric=z" separated by spaces ("" without one). */
    @Parameter(type = ItemIO.OUTPUT)
    private String z_scores;

    /** The normalisation's QC picture ({@code show_qc}), else null. */
    @Parameter(type = ItemIO.OUTPUT, label = "QC")
    private ImagePlus qc;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    @Override
    public void run() {
        Result q = quantify(image, atlas, atlas_labels, hottest_voxels, !no_normalise, normals, age > 0 ? age : null);
        SbrResult r = q.sbr();
        normalised = q.normalisation().normalised();
        template_ncc = q.normalisation().ncc();
        caudate_l = r.sbr().get(VoiSet.CAUDATE_L);
        caudate_r = r.sbr().get(VoiSet.CAUDATE_R);
        putamen_l = r.sbr().get(VoiSet.PUTAMEN_L);
        putamen_r = r.sbr().get(VoiSet.PUTAMEN_R);
        striatum_l = r.sbr().get(VoiSet.STRIATUM_L);
        striatum_r = r.sbr().get(VoiSet.STRIATUM_R);
        putamen_asymmetry_pct = nan(r.putamenAsymmetryPct());
        putamen_caudate_ratio_l = nan(r.putamenCaudateRatioL());
        putamen_caudate_ratio_r = nan(r.putamenCaudateRatioR());
        StringBuilder z = new StringBuilder();
        r.zScores().forEach((k, v) -> z.append(z.length() == 0 ? "" : " ").append(k).append('=').append(v));
        z_scores = z.toString();
        table = table(r);
        addNormalisation(table, q.normalisation());
        if (!hide_vois) {
            Overlays.replace(image, Overlays.VOIS, voiOverlay(q.vois(), image, q.normalisation()));
        }
        qc = show_qc ? qcImage(image, q.normalisation()) : null;
        for (String w : q.normalisation().warnings()) {
            IJ.log("DopaJ Quantify SBR: " + w);
        }
        for (String w : r.warnings()) {
            IJ.log("DopaJ Quantify SBR warning: " + w);
        }
        IJ.log("DopaJ SBR " + new com.google.gson.GsonBuilder().serializeNulls().create().toJson(r.toMap(q.normalisation())));
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** The measurement, the VOIs used (in MNI space) and how the image reached MNI space. */
    public record Result(SbrResult sbr, VoiSet vois, DatNormaliser.Normalised normalisation) {
    }

    /**
     * Quantifies {@code imp} (atlas path may be empty: DopaJ's VOIs; an atlas is in MNI space), after spatial
     * normalisation to the DaT-SPECT template unless {@code normalise} is false. Core of both Fiji commands.
     */
    public static Result quantify(ImagePlus imp, String atlasPath, String labels, int hottest, boolean normalise) {
        return quantify(imp, atlasPath, labels, hottest, normalise, null, null);
    }

    /**
     * {@link #quantify(ImagePlus, String, String, int, boolean)} with z-scores against the normal database
     * {@code normals} (a CSV path; blank: none) at the patient's {@code age} in years (null: unknown). The atlas is
     * a file, or the title of an open image. An image without a voxel size in mm is refused: the VOIs are in mm.
     */
    public static Result quantify(ImagePlus imp, String atlasPath, String labels, int hottest, boolean normalise,
            String normals, Double age) {
        if (imp == null || imp.getWidth() == 0 || imp.getStackSize() == 0 || imp.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        Volume input = Inputs.volumeThenRequireMm(imp, "Quantify SBR");
        SbrQuantifier.check(input);
        Inputs.requireMm(imp);
        DatNormaliser.Normalised norm = DatNormaliser.normalise(input, normalise, CommandRunner.statusBar("DopaJ SBR"));
        Volume v = norm.mni();
        SbrQuantifier q = SbrQuantifier.defaults().withHottestVoxels(hottest).withAge(age);
        if (normals != null && !normals.isBlank()) {
            Path n = Path.of(normals.trim());
            if (!Files.isRegularFile(n)) {
                throw new DopajException("normal database " + n + ": file not found");
            }
            q = q.withNormals(NormalDatabase.read(n));
        }
        VoiSet vois;
        if (atlasPath == null || atlasPath.isBlank()) {
            vois = SpectVois.mni2mm();
        } else {
            Path a = Path.of(atlasPath.trim());
            ImagePlus open = Files.isRegularFile(a) ? null : ij.WindowManager.getImage(atlasPath.trim());
            if (!Files.isRegularFile(a) && open == null) {
                throw new DopajException("atlas " + a + ": no such file and no open image of that title");
            }
            Volume atlas = open != null ? ImagePlusBridge.toVolume(open) : ImageFiles.read(a);
            try {
                vois = AtlasVois.fromLabels(atlas, AtlasVois.parseSpec(labels), v.grid());
            } catch (DopajException e) {
                throw new DopajException("atlas " + a + ": " + e.getMessage(), e);
            }
        }
        return new Result(q.quantify(v, vois), vois, norm);
    }

    /** Rows saying how the image reached MNI space: normalised (1/0) and the NCC with the template. */
    static void addNormalisation(ResultsTable rt, DatNormaliser.Normalised n) {
        rt.incrementCounter();
        rt.addValue("region", "normalised_by_dopaj");
        rt.addValue("sbr", n.normalised() ? 1 : 0);
        rt.incrementCounter();
        rt.addValue("region", "template_ncc");
        rt.addValue("sbr", ((Number) n.toMap().get("template_ncc")).doubleValue()); // as in the JSON
    }

    /** The normalisation's QC picture (template outline and VOIs on the normalised image) as an image window. */
    static ImagePlus qcImage(ImagePlus imp, DatNormaliser.Normalised n) {
        return new ImagePlus("QC normalisation of " + imp.getTitle(), DatQcPicture.render(n.mni(), DatTemplate.load(),
                DatQcPicture.caption(imp.getTitle(), n.ncc(), n.normalised())));
    }

    /** Results table: {@link SbrResult#rows()}, the result's own table form. */
    public static ResultsTable table(SbrResult r) {
        ResultsTable rt = new ResultsTable();
        rt.setPrecision(4);
        for (Map<String, Object> row : r.rows()) {
            rt.incrementCounter();
            row.forEach((k, v) -> {
                if (v instanceof String t) {
                    rt.addValue(k, t);
                } else {
                    rt.addValue(k, ((Number) v).doubleValue());
                }
            });
        }
        return rt;
    }

    /**
     * VOI outlines on every slice (caudate blue, putamen green / posterior putamen yellow, reference magenta), from
     * the VOI labels mapped nearest-neighbour onto the image grid (through the inverse of the spatial normalisation
     * {@code n} when DopaJ registered the image; {@code n} may be null).
     */
    public static Overlay voiOverlay(VoiSet vois, ImagePlus imp, DatNormaliser.Normalised n) {
        Grid fg = ImagePlusBridge.gridOf(imp);
        Volume fileLabels = n != null ? n.toInput(vois.labels(), fg, Resample.Interpolation.NEAREST)
                : vois.labels().grid().sameAs(fg, 1e-3) ? vois.labels()
                : Resample.toGrid(vois.labels(), fg, Resample.Interpolation.NEAREST, 0f);
        Volume labels = Inputs.asShown(fileLabels, imp); // drawn where the image shows those voxels
        Grid g = labels.grid();
        Overlay o = new Overlay();
        for (Map.Entry<String, int[]> e : vois.regions().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("striatum") || (name.startsWith("putamen_") && !name.contains("_ant")
                    && !name.contains("_post") && hasSubregions(vois, name))) {
                continue; // drawn through their parts
            }
            Color c = colour(name);
            for (int z = 0; z < g.nz(); z++) {
                float[] pl = labels.plane(z);
                ByteProcessor bp = new ByteProcessor(g.nx(), g.ny());
                boolean any = false;
                for (int i = 0; i < pl.length; i++) {
                    if (VoiSet.contains(e.getValue(), pl[i])) {
                        bp.set(i, 255);
                        any = true;
                    }
                }
                if (!any) {
                    continue;
                }
                bp.setThreshold(255, 255, ByteProcessor.NO_LUT_UPDATE);
                Roi roi = ThresholdToSelection.run(new ImagePlus("", bp));
                if (roi == null) {
                    continue;
                }
                roi.setName(name + " z" + (z + 1));
                roi.setStrokeColor(c);
                if (imp.getStackSize() > 1) {
                    roi.setPosition(z + 1);
                }
                o.add(roi);
            }
        }
        return o;
    }

    private static boolean hasSubregions(VoiSet vois, String putamen) {
        String side = putamen.substring(putamen.length() - 2);
        return vois.regions().containsKey("putamen_ant" + side) && vois.regions().containsKey("putamen_post" + side);
    }

    private static Color colour(String region) {
        for (String k : new String[] {"putamen_post", "putamen_ant", "caudate", "putamen", "reference"}) {
            if (region.startsWith(k)) {
                return COLOURS.get(k);
            }
        }
        return Color.white;
    }
}
