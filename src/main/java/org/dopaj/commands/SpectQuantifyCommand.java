package org.dopaj.commands;

import ij.ImagePlus;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.VoiSet;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** SciJava twin of Plugins›DopaJ›DaT-SPECT›Quantify SBR: the six main SBRs, asymmetry and ratios as outputs. */
@Plugin(type = Command.class, name = "dopaj.spect-quantify-sbr", label = "Quantify SBR (DopaJ)", headless = true)
public class SpectQuantifyCommand implements Command {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(label = "atlas", required = false, description = "atlas NIfTI in MNI space (path), or the title of an"
            + " open image; blank = DopaJ's VOIs")
    private String atlas = "";

    @Parameter(label = "atlas_labels", required = false)
    private String atlas_labels = org.dopaj.spect.AtlasVois.AAL_SPEC;

    @Parameter(label = "hottest_voxels", min = "1", description = "voxels averaged for the hottest-voxel SBR")
    private int hottest_voxels = 125;

    @Parameter(label = "normals", required = false, description = "normal-database CSV"
            + " (region,mean,sd[,age_slope,ref_age]); blank = no z-scores")
    private String normals = "";

    @Parameter(label = "age", required = false, min = "0", max = "130", description = "patient's age in years;"
            + " 0 = unknown")
    private double age = 0;

    @Parameter(label = "no_normalise", required = false, description = "the image is already in MNI space:"
            + " do not register it to the DaT-SPECT template")
    private boolean no_normalise = false;

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

    @Override
    public void run() {
        SpectQuantify.Result q = SpectQuantify.quantify(image, atlas, atlas_labels, hottest_voxels, !no_normalise,
                normals, age > 0 ? age : null);
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
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }
}
