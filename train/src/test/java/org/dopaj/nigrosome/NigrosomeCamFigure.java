package org.dopaj.nigrosome;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;

/**
 * Figure and figures for docs/validation/nigrosome.md: the bundled pair's Grad-CAM on held-out phantoms.
 * {@code java -Djava.awt.headless=true -cp "$(./dopaj --classpath)"
 * org.dopaj.nigrosome.NigrosomeCamFigure PNG N}: writes a PNG (rows: SBR 4, 2.5, 1 on both sides of seed 2 000 000;
 * columns: left crop, left crop + CAM, right crop, right crop + CAM; slice 11 = the centroid's, opacity 0.4, jet) and
 * prints, for N held-out phantoms, how much the CAM concentrates on the nigrosome: mean CAM in the 12×12×6-voxel box
 * around crop voxel (25,25,10) divided by the crop's mean CAM.
 */
public final class NigrosomeCamFigure {
    private NigrosomeCamFigure() {
    }

    public static void main(String[] args) {
        Path png = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        Path[] p = TinyRegressors.bundled();
        try (SbrRegressor reg = SbrRegressor.load(p[0], p[1], ComputeDevice.CPU)) {
            double[] sbrs = {4.0, 2.5, 1.0};
            int tile = 200;
            ColorProcessor sheet = new ColorProcessor(4 * tile, sbrs.length * tile);
            for (int row = 0; row < sbrs.length; row++) {
                SmwiPhantom.Result ph = SmwiPhantom.generate(sbrs[row], sbrs[row], 2_000_000);
                SbrRegressor.Result r = reg.predict(ph.smwi(), clicked(ph));
                int col = 0;
                for (Side s : Side.values()) {
                    SbrRegressor.SideResult sr = r.get(s);
                    for (boolean cam : new boolean[]{false, true}) {
                        ImagePlus imp = ImagePlusBridge.toImagePlus(sr.crop().volume(), "crop");
                        imp.setSlice(11);
                        imp.resetDisplayRange();
                        if (cam) {
                            imp.setOverlay(CamOverlay.overlay(imp, sr.cam(), ColorMap.of("jet"), 0.4, false));
                        }
                        ImagePlus flat = imp.flatten();
                        flat.getProcessor().setInterpolationMethod(ij.process.ImageProcessor.BILINEAR);
                        sheet.insert(flat.getProcessor().resize(tile, tile), col * tile, row * tile);
                        col++;
                    }
                    System.out.printf(Locale.ROOT, "SBR %.1f %s: predicted %.3f%n", sbrs[row], s.label(), sr.sbr());
                }
            }
            new FileSaver(new ImagePlus("cam", sheet)).saveAsPng(png.toString());
            List<Double> ratio = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SmwiPhantom.Result ph = SmwiPhantom.random(SbrEvaluation.HELD_OUT_BASE_SEED + i);
                SbrRegressor.Result r = reg.predict(ph.smwi(), clicked(ph));
                for (Side s : Side.values()) {
                    Volume c = r.get(s).cam();
                    ratio.add(SbrRegressorTestAccess.boxMean(c, 25, 25, 10, 6, 6, 3)
                            / SbrRegressorTestAccess.boxMean(c, 25, 25, 10, 25, 25, 10));
                }
            }
            double[] q = ratio.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
            System.out.printf(Locale.ROOT, "CAM centre-box / crop mean over %d crops (%d finite): min %.2f, median %.2f,"
                    + " max %.2f%n", ratio.size(), q.length, q[0], q[q.length / 2], q[q.length - 1]);
            System.out.println("first values " + Arrays.toString(Arrays.copyOf(q, Math.min(5, q.length))));
        }
    }

    private static Centroids clicked(SmwiPhantom.Result ph) {
        List<double[]> pts = new ArrayList<>();
        for (Side s : Side.values()) {
            int[] v = ph.nigrosomes().get(s).nearestVoxel();
            pts.add(new double[]{v[0], v[1], v[2]});
        }
        return Centroids.fromPoints(pts, ph.smwi().grid());
    }

    /** Access to the test's box mean. */
    static final class SbrRegressorTestAccess {
        static double boxMean(Volume v, int cx, int cy, int cz, int rx, int ry, int rz) {
            return SbrRegressorTest.boxMean(v, cx, cy, cz, rx, ry, rz);
        }
    }
}
