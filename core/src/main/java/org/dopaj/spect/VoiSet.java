package org.dopaj.spect;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * The VOIs an SBR is measured in: a label volume on the quantification grid and, for each region name, the
 * label values that make it up. Region names are fixed ({@link #CAUDATE_L} … {@link #REFERENCE}); caudate,
 * putamen (both sides) and reference are required, anterior/posterior putamen are optional, and striatum
 * (caudate ∪ putamen) is derived when absent. Comes from {@link SpectVois} (our ellipsoids) or
 * {@link AtlasVois} (any label atlas).
 *
 * @param labels  label volume (3D); a voxel belongs to a region when its rounded value is one of the region's labels
 * @param regions region name → label values
 * @param source  where the VOIs come from (e.g. "dopaj-ellipsoids", "atlas"), reported in the result
 */
public record VoiSet(Volume labels, Map<String, int[]> regions, String source) {
    public static final String CAUDATE_L = "caudate_l";
    public static final String CAUDATE_R = "caudate_r";
    public static final String PUTAMEN_L = "putamen_l";
    public static final String PUTAMEN_R = "putamen_r";
    public static final String PUTAMEN_ANT_L = "putamen_ant_l";
    public static final String PUTAMEN_ANT_R = "putamen_ant_r";
    public static final String PUTAMEN_POST_L = "putamen_post_l";
    public static final String PUTAMEN_POST_R = "putamen_post_r";
    public static final String STRIATUM_L = "striatum_l";
    public static final String STRIATUM_R = "striatum_r";
    public static final String REFERENCE = "reference";

    /** Every region name a VOI set may hold, in reporting order. */
    public static final List<String> NAMES = List.of(CAUDATE_L, CAUDATE_R, PUTAMEN_L, PUTAMEN_R,
            PUTAMEN_ANT_L, PUTAMEN_ANT_R, PUTAMEN_POST_L, PUTAMEN_POST_R, STRIATUM_L, STRIATUM_R, REFERENCE);
    /** Regions that must be given. */
    public static final List<String> REQUIRED = List.of(CAUDATE_L, CAUDATE_R, PUTAMEN_L, PUTAMEN_R,
            REFERENCE);

    public VoiSet {
        if (labels == null) {
            throw new DopajException("VOI label volume is missing");
        }
        if (labels.is4D()) {
            throw new DopajException("VOI label volume must be 3D, it has " + labels.nt() + " frames");
        }
        if (regions == null) {
            throw new DopajException("VOI regions are missing");
        }
        Map<String, int[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : regions.entrySet()) {
            if (!NAMES.contains(e.getKey())) {
                throw new DopajException("unknown VOI region '" + e.getKey() + "': expected one of " + NAMES);
            }
            if (e.getValue() == null || e.getValue().length == 0) {
                throw new DopajException("VOI region '" + e.getKey() + "' has no label");
            }
            m.put(e.getKey(), e.getValue().clone());
        }
        for (String r : REQUIRED) {
            if (!m.containsKey(r)) {
                throw new DopajException("VOI region '" + r + "' is missing: required are " + REQUIRED);
            }
        }
        String[][] derive = {{STRIATUM_L, CAUDATE_L, PUTAMEN_L}, {STRIATUM_R, CAUDATE_R, PUTAMEN_R}};
        for (String[] d : derive) {
            if (!m.containsKey(d[0])) {
                int[] a = m.get(d[1]);
                int[] b = m.get(d[2]);
                m.put(d[0], Arrays.stream(concat(a, b)).distinct().toArray());
            }
        }
        regions = Collections.unmodifiableMap(m);
        source = source == null ? "unknown" : source;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The grid the VOIs are drawn on (SBR is measured on it). */
    public Grid grid() {
        return labels.grid();
    }

    /** Labels of a region (a copy), or null when this set does not hold it. */
    public int[] labelsOf(String region) {
        int[] l = regions.get(region);
        return l == null ? null : l.clone();
    }

    /** Number of voxels of each region on the grid. */
    public Map<String, Long> voxelCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : regions.entrySet()) {
            long n = 0;
            for (float[] p : labels.planes()) {
                for (float v : p) {
                    if (contains(e.getValue(), v)) {
                        n++;
                    }
                }
            }
            counts.put(e.getKey(), n);
        }
        return counts;
    }

    /** True when label value {@code v} (rounded) is one of {@code labels}. */
    public static boolean contains(int[] labels, float v) {
        if (!Float.isFinite(v)) {
            return false;
        }
        int r = Math.round(v);
        for (int l : labels) {
            if (l == r) {
                return true;
            }
        }
        return false;
    }
}
