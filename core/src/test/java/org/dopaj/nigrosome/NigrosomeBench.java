package org.dopaj.nigrosome;

import java.util.Arrays;
import java.util.Locale;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Figures for docs/nigrosome.md (not a unit test: run by hand):
 * {@code java -cp "$(./dopaj --classpath)" org.dopaj.nigrosome.NigrosomeBench [seeds]}.
 * Per seed: nigrosome/SN contrast of the phantom at SBR 1, 2.5 and 4; where the nigrosome hyperintensity
 * (healthy minus PD phantom, same seed) lands in the crops, on the native 0.5×0.5×1 mm grid and on a
 * 0.25×0.25×2 mm grid (resampled crop); timings. With {@code png <file>} instead: writes the picture in the doc
 * (seed 7, axial slice through the left nigrosome, SBR 4 / 2.5 / 1 left to right, labels below; anterior up,
 * patient left on the left).
 */
public final class NigrosomeBench {
    private NigrosomeBench() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length == 2 && args[0].equals("png")) {
            picture(new java.io.File(args[1]));
            return;
        }
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double[] sbrs = {1.0, 2.5, 4.0};
        double[][] ratio = new double[sbrs.length][seeds];
        double[] offNative = new double[2 * seeds];
        double[] offAniso = new double[2 * seeds];
        long genNs = 0;
        long cropExactNs = 0;
        long cropResampleNs = 0;
        NigrosomeCropper cropper = new NigrosomeCropper();
        Grid aniso = new Grid(240, 200, 20, new double[]{0.25, 0.25, 2},
                new double[][]{{0.25, 0, 0, -29.875}, {0, 0.25, 0, -24.875}, {0, 0, 2, -19}, {0, 0, 0, 1}});
        for (int s = 0; s < seeds; s++) {
            long seed = 1000 + s;
            SmwiPhantom.Result[] r = new SmwiPhantom.Result[sbrs.length];
            for (int n = 0; n < sbrs.length; n++) {
                long t0 = System.nanoTime();
                r[n] = SmwiPhantom.generate(sbrs[n], sbrs[n], seed);
                genNs += System.nanoTime() - t0;
                ratio[n][s] = SmwiPhantomTest.labelMean(r[n].smwi(), r[n].labels(), SmwiPhantom.NIGROSOME)
                        / SmwiPhantomTest.labelMean(r[n].smwi(), r[n].labels(), SmwiPhantom.SUBSTANTIA_NIGRA);
            }
            // native grid, centroid snapped to its nearest voxel (the exact path) and fractional (resampled)
            for (Side side : Side.values()) {
                Centroid c = r[2].nigrosomes().get(side);
                int[] v = c.nearestVoxel();
                Centroid snapped = new Centroid(side, new Point3(v[0], v[1], v[2]),
                        Point3.of(r[2].smwi().grid().toMm(v[0], v[1], v[2])));
                long t0 = System.nanoTime();
                cropper.crop(r[2].smwi(), snapped);
                cropExactNs += System.nanoTime() - t0;
                t0 = System.nanoTime();
                Volume h = cropper.crop(r[2].smwi(), c).volume();
                cropResampleNs += System.nanoTime() - t0;
                Volume p = cropper.crop(r[0].smwi(), c).volume();
                offNative[2 * s + side.ordinal()] = offset(h, p);
            }
            SmwiPhantom.Result ah = SmwiPhantom.generate(aniso, 4, 4, seed);
            SmwiPhantom.Result ap = SmwiPhantom.generate(aniso, 1, 1, seed);
            for (Side side : Side.values()) {
                Centroid c = ah.nigrosomes().get(side);
                offAniso[2 * s + side.ordinal()] = offset(cropper.crop(ah.smwi(), c).volume(),
                        cropper.crop(ap.smwi(), c).volume());
            }
        }
        for (int n = 0; n < sbrs.length; n++) {
            System.out.println(String.format(Locale.ROOT, "SBR %.1f nigrosome/SN mean ratio: %s", sbrs[n],
                    summary(ratio[n])));
        }
        System.out.println("hyperintensity centre − (25,25,10), voxels, 0.5x0.5x1 grid: " + summary(offNative));
        System.out.println("hyperintensity centre − (25,25,10), voxels, 0.25x0.25x2 grid: " + summary(offAniso));
        System.out.println(String.format(Locale.ROOT, "phantom 120x100x40: %.0f ms each; crop exact %.2f ms, resampled %.2f ms",
                genNs / 1e6 / (3.0 * seeds), cropExactNs / 1e6 / (2.0 * seeds), cropResampleNs / 1e6 / (2.0 * seeds)));
    }

    static void picture(java.io.File file) throws java.io.IOException {
        int up = 3;
        double[] sbrs = {4.0, 2.5, 1.0};
        int[] colours = {0x000000, 0x3050ff, 0x808080, 0x707020, 0xff3030, 0x30ff30, 0xff40ff};
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(120 * up * 3, 100 * up * 2,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int s = 0; s < sbrs.length; s++) {
            SmwiPhantom.Result r = SmwiPhantom.generate(sbrs[s], sbrs[s], 7);
            int z = r.nigrosomes().left().nearestVoxel()[2];
            double max = 1.8 * (Double) r.parameters().get("gain");
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 120; x++) {
                    int g = (int) Math.max(0, Math.min(255, 255 * r.smwi().get(x, y, z) / max));
                    int lab = colours[(int) r.labels().get(x, y, z)];
                    for (int d = 0; d < up * up; d++) {
                        int px = s * 120 * up + x * up + d % up;
                        int py = (99 - y) * up + d / up;
                        out.setRGB(px, py, g << 16 | g << 8 | g);
                        out.setRGB(px, 100 * up + py, lab);
                    }
                }
            }
        }
        javax.imageio.ImageIO.write(out, "png", file);
    }

    /** Distance in crop voxels from (25,25,10) to the centre of the positive part of h − p. */
    static double offset(Volume h, Volume p) {
        double[] w = new double[4];
        for (int z = 0; z < h.nz(); z++) {
            for (int y = 0; y < h.ny(); y++) {
                for (int x = 0; x < h.nx(); x++) {
                    double d = Math.max(0, h.get(x, y, z) - p.get(x, y, z));
                    w[0] += d * x;
                    w[1] += d * y;
                    w[2] += d * z;
                    w[3] += d;
                }
            }
        }
        double dx = w[0] / w[3] - 25;
        double dy = w[1] / w[3] - 25;
        double dz = w[2] / w[3] - 10;
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    static String summary(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "min %.3f median %.3f max %.3f (n=%d)", s[0], s[s.length / 2], s[s.length - 1],
                s.length);
    }
}
