package org.dopaj.brainmask;

import org.dopaj.DopajException;
import org.dopaj.cam.ColorMap;
import org.dopaj.image.Stats;
import org.dopaj.image.Volume;

/**
 * The reader's view of Abramov et al. (SibDATA 2021): the masked brain split into {@code intervals} (49 there)
 * equal intensity intervals, each shown in its own colour. The intervals are equal in intensity between the
 * 0.5th and 99.5th percentile of the voxels inside the mask (values below/above fall into the first/last
 * interval); voxels outside the mask get class 0 (black). Colours: {@code intervals} samples of the "jet"
 * colour map, from dark blue (interval 1) to dark red (last interval).
 *
 * @param classes  0 outside the mask, 1..intervals inside (same grid as the input)
 * @param low      intensity at the start of interval 1 (0.5th percentile in the mask)
 * @param high     intensity at the end of the last interval (99.5th percentile)
 * @param reds     256-entry lookup table: entry k is interval k's colour (entry 0 black)
 */
public record PseudoColour(Volume classes, int intervals, double low, double high, byte[] reds, byte[] greens,
        byte[] blues) {

    /** Largest number of intervals (an 8-bit index image with 0 kept for outside the mask). */
    public static final int MAX_INTERVALS = 255;

    /** Classifies the voxels of {@code image} inside {@code mask} into {@code intervals} colours. */
    public static PseudoColour of(Volume image, Volume mask, int intervals) {
        if (intervals < 2 || intervals > MAX_INTERVALS) {
            throw new DopajException("intervals must be 2.." + MAX_INTERVALS + ", got " + intervals);
        }
        if (!image.grid().sameAs(mask.grid(), 1e-3) || image.nt() != 1) {
            throw new DopajException("pseudo-colour needs a 3D image and a mask on the same grid");
        }
        Volume classes = Volume.allocate(image.grid());
        double lo = 0;
        double hi = 0;
        if (org.dopaj.image.Components.count(mask) > 0) {
            double[] p = Stats.percentiles(image, mask, 0.5, 99.5);
            lo = p[0];
            hi = p[1];
            double width = (hi - lo) / intervals;
            for (int z = 0; z < image.nz(); z++) {
                float[] v = image.plane(z);
                float[] m = mask.plane(z);
                float[] c = classes.plane(z);
                for (int i = 0; i < v.length; i++) {
                    if (m[i] != 0) {
                        int k = width > 0 ? (int) Math.floor((v[i] - lo) / width) : 0;
                        c[i] = 1 + Math.max(0, Math.min(intervals - 1, k));
                    }
                }
            }
        }
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        ColorMap jet = ColorMap.of("jet");
        for (int k = 1; k <= intervals; k++) {
            int rgb = jet.rgbOf((k - 0.5) / intervals);
            r[k] = (byte) (rgb >> 16);
            g[k] = (byte) (rgb >> 8);
            b[k] = (byte) rgb;
        }
        return new PseudoColour(classes, intervals, lo, hi, r, g, b);
    }
}
