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

    @Parameter(label = "atlas", required = false)
    private String atlas = "";

    @Parameter(label = "atlas_labels", required = false)
    private String atlas_labels = org.dopaj.spect.AtlasVois.AAL_SPEC;

    @Parameter(label = "hottest_voxels", min = "1")
    private int hottest_voxels = 125;

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

    @Override
    public void run() {
        SpectQuantify.Result q = SpectQuantify.quantify(image, atlas, atlas_labels, hottest_voxels, !no_normalise);
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
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }
}
