package org.dopaj.commands;

import ij.ImagePlus;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava twin of Plugins›DopaJ›MSA vs PD: the same parameters (gd and md images, either may be absent; task;
 * opacity; colour_map; normal_db; model), outputs label, probability_msa, the CAM image and the z-map images.
 */
@Plugin(type = Command.class, name = "dopaj.msa-pd", label = "MSA vs PD (DopaJ)",
        headless = true)
public class MsaPdCommand implements Command {
    @Parameter(label = "gd", required = false, description = "grey-matter density map on the MNI152 2 mm grid")
    private ImagePlus gd;

    @Parameter(label = "md", required = false, description = "mean diffusivity map (mm²/s) on the MNI152 2 mm grid")
    private ImagePlus md;

    @Parameter(label = "task", choices = {"msa", "msa-p", "msa-c"})
    private String task = "msa";

    @Parameter(label = "opacity", min = "0", max = "1")
    private double opacity = 0.5;

    @Parameter(label = "colour_map", choices = {"jet", "inferno", "viridis", "hot", "grays"})
    private String colour_map = "jet";

    @Parameter(label = "normal_db", required = false, description = "normal-database folder (docs/msa-pd.md)")
    private String normal_db = "";

    @Parameter(label = "model", required = false)
    private String model = "";

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

    @Override
    public void run() {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new org.dopaj.DopajException("parameter opacity must be between 0 and 1, got " + opacity);
        }
        // a missing ImagePlus input arrives as an empty image: treat it as absent
        ImagePlus g = present(gd) ? gd : null;
        ImagePlus m = present(md) ? md : null;
        MsaPd.Outcome o = MsaPd.classify(g, m, task, model, normal_db);
        ImagePlus base = g != null ? g : m;
        ColorMap map = ColorMap.of(colour_map);
        base.setOverlay(MsaPd.overlay(base, o.result().cam(), map, opacity, 0, 1));
        label = o.result().label();
        probability_msa = o.result().probabilityMsa();
        cam = CamOverlay.camImage(o.result().cam(), map, base, "CAM of " + base.getTitle());
        z_gd = o.zGd() == null ? null : MsaPd.zImage(o.zGd(), base);
        z_md = o.zMd() == null ? null : MsaPd.zImage(o.zMd(), base);
    }

    private static boolean present(ImagePlus imp) {
        return imp != null && imp.getWidth() > 0 && imp.getStackSize() > 0 && imp.getProcessor() != null
                && !(imp.getWidth() == 1 && imp.getHeight() == 1 && imp.getStackSize() == 1 && imp.getTitle().isEmpty());
    }
}
