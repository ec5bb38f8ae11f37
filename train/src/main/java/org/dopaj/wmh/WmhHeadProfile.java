package org.dopaj.wmh;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;

/**
 * How a lesion-free head's white matter looks in the MNI-affine box, and where {@link LesionSynthesis} may put
 * lesions in it. Per head: the spread of the deep white matter (atlas probability ≥ 0.95) in white-minus-cortex
 * contrasts, split at 6 mm FWHM into fine (voxel texture, noise) and coarse (intensity non-uniformity, anatomy)
 * parts, each as IQR / 1.349; and the allowed lesion territory ({@link LesionSynthesis.Head#allowed}) by 10 mm band
 * of MNI z. With a number of draws, also where the synthesis puts lesion voxels (share by band over that many lesion
 * sets at the training loads) beside the real hand-drawn labels of {@link LesionLibrary}. Command:
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.wmh.WmhHeadProfile ../shared/data [HEAD,...] [DRAWS]
 * </pre>
 */
public final class WmhHeadProfile {
    private WmhHeadProfile() {
    }

    /** {fine spread, coarse spread} of the deep white matter, in contrasts (white-matter − cortex medians). */
    static double[] spread(Volume box, double wm, double gm, WmhAtlas atlas) {
        Volume coarse = Gaussian.smooth(box, 6, 6, 6);
        double[] fine = new double[(int) box.grid().voxelCount()];
        double[] low = new double[fine.length];
        int n = 0;
        for (int z = 0; z < box.nz(); z++) {
            float[] b = box.plane(z);
            float[] c = coarse.plane(z);
            float[] w = atlas.wm().plane(z);
            for (int i = 0; i < b.length; i++) {
                if (w[i] >= 0.95f) {
                    fine[n] = b[i] - c[i];
                    low[n++] = c[i];
                }
            }
        }
        double contrast = wm - gm;
        return new double[] {iqrSd(Arrays.copyOf(fine, n)) / contrast, iqrSd(Arrays.copyOf(low, n)) / contrast};
    }

    private static double iqrSd(double[] v) {
        Arrays.sort(v);
        return (v[3 * v.length / 4] - v[v.length / 4]) / 1.349;
    }

    public static void main(String[] args) {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/data");
        List<String> heads = args.length > 1 ? List.of(args[1].split(",")) : LesionSynthesis.HEADS;
        WmhAtlas atlas = WmhAtlas.load();
        Grid b = WmhModel.box();
        StringBuilder head = new StringBuilder("| head | WM − cortex (of WM) | deep-WM spread, fine / coarse (contrasts) |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        for (int z0 = -40; z0 < 80; z0 += 10) {
            head.append(" territory ").append(z0).append(" (v1 / v2) |");
            rule.append("---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (String name : heads) {
            LesionSynthesis.Head h = LesionSynthesis.head(shared, name);
            Volume box = Resample.toGrid(h.smoothed(), WmhSegmenter.boxGridInNative(h.fixedToMoving()),
                    Resample.Interpolation.LINEAR, 0).withGrid(b);
            double[] s = spread(box, h.wm(), h.gm(), atlas);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.3f | %.3f / %.3f |", name,
                    (h.wm() - h.gm()) / h.wm(), s[0], s[1]));
            for (int z0 = -40; z0 < 80; z0 += 10) {
                long n = 0;
                long nl = 0;
                for (int z = 0; z < b.nz(); z++) {
                    double zm = b.toMm(0, 0, z)[2];
                    if (zm >= z0 && zm < z0 + 10) {
                        for (float v : h.allowed().plane(z)) {
                            n += v > 0 ? 1 : 0;
                        }
                        for (float v : h.levelledAllowed().plane(z)) {
                            nl += v > 0 ? 1 : 0;
                        }
                    }
                }
                row.append(' ').append(n).append(" / ").append(nl).append(" |");
            }
            System.out.println(row);
        }
        int draws = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        if (draws > 0) {
            lesionProfile(shared, heads, draws);
        }
    }

    /**
     * Share (%) of lesion voxels by 10 mm band of MNI z: synthetic draws per head at the training loads (placement
     * version 1, then 2), then the real labels.
     */
    static void lesionProfile(Path shared, List<String> heads, int draws) {
        LesionLibrary library = LesionLibrary.build(shared);
        StringBuilder head = new StringBuilder("| lesion voxels (%) |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int k = 0; k < LesionSynthesis.PROFILE_BANDS; k++) {
            head.append(' ').append(LesionSynthesis.PROFILE_Z0 + 10 * k).append(" |");
            rule.append("---|");
        }
        System.out.println();
        System.out.println(head);
        System.out.println(rule);
        Grid b = WmhModel.box();
        for (String name : heads) {
            LesionSynthesis.Head h = LesionSynthesis.head(shared, name);
            for (LesionSynthesis.Placement pl : LesionSynthesis.Placement.values()) {
                LesionSynthesis syn = new LesionSynthesis(List.of(h), library, WmhModel.Normalisation.TISSUE, pl);
                java.util.Random rng = new java.util.Random(1);
                double[] n = new double[LesionSynthesis.PROFILE_BANDS];
                for (int d = 0; d < draws; d++) {
                    double load = Math.exp(Math.log(0.5) + rng.nextDouble() * Math.log(120 / 0.5));
                    Volume f = LesionSynthesis.render(b, b.affine(), syn.lesions(h, load, rng), syn.territory(h))[0];
                    for (int z = 0; z < b.nz(); z++) {
                        int k = LesionSynthesis.band(b.toMm(0, 0, z)[2]);
                        for (float v : f.plane(z)) {
                            n[k] += v >= 0.5f ? 1 : 0;
                        }
                    }
                }
                double sum = Arrays.stream(n).sum();
                for (int k = 0; k < n.length; k++) {
                    n[k] /= Math.max(1, sum);
                }
                System.out.println(shareRow(name + ", " + pl.id() + " (" + draws + " draws)", n));
            }
        }
        System.out.println(shareRow("real labels (niivue FLAIR, MNI)", library.depthProfile()));
    }

    private static String shareRow(String name, double[] share) {
        StringBuilder row = new StringBuilder("| " + name + " |");
        for (double v : share) {
            row.append(String.format(Locale.ROOT, " %.1f |", 100 * v));
        }
        return row.toString();
    }
}
