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
 * of MNI z. Command:
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.wmh.WmhHeadProfile ../shared/data [HEAD,...]
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
            head.append(" allowed ").append(z0).append(" |");
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
                for (int z = 0; z < b.nz(); z++) {
                    double zm = b.toMm(0, 0, z)[2];
                    if (zm >= z0 && zm < z0 + 10) {
                        for (float v : h.allowed().plane(z)) {
                            n += v > 0 ? 1 : 0;
                        }
                    }
                }
                row.append(' ').append(n).append(" |");
            }
            System.out.println(row);
        }
    }
}
