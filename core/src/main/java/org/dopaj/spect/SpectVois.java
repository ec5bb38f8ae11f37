package org.dopaj.spect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * DopaJ's own DaT-SPECT volumes of interest, defined in MNI millimetres (so they can be drawn on any grid):
 * left and right caudate (a curved chain of four ellipsoids: head, two body segments, start of the tail),
 * putamen (one ellipsoid lateral to the internal capsule, its anterior end turned 16° towards the midline,
 * split into anterior and posterior parts at the coronal plane {@value #PUTAMEN_SPLIT_Y_MM} mm), and an
 * occipital reference region (one ellipsoid in the occipital lobes, far from the striatum).
 *
 * <p>The shapes were fitted by hand to the AAL atlas (Tzourio-Mazoyer et al. 2002) on the FSL MNI152 2 mm
 * grid; approximate MNI centroids: caudate (±13, 12, 10) mm, putamen (±25, 2, 0) mm. Their Dice overlap and
 * centroid distance to AAL's caudate, putamen and occipital labels are measured by {@code SpectVoisTest}
 * and reported in docs/spect.md. They are simple shapes, not a segmentation.
 *
 * <p>Label numbers of {@link #rasterise(Grid)}: see the {@code *_L/R} constants; 0 is background. A voxel
 * whose centre lies in both a caudate and a putamen ellipsoid is labelled caudate (the shapes barely touch).
 * Left is x &lt; 0 (MNI/RAS).
 */
public final class SpectVois {
    public static final int CAUDATE_L = 1;
    public static final int CAUDATE_R = 2;
    public static final int PUTAMEN_ANT_L = 3;
    public static final int PUTAMEN_ANT_R = 4;
    public static final int PUTAMEN_POST_L = 5;
    public static final int PUTAMEN_POST_R = 6;
    public static final int REFERENCE = 7;

    /** Coronal plane (MNI y, mm) dividing the putamen: y ≥ this is anterior. It is the putamen ellipsoid's centre. */
    public static final double PUTAMEN_SPLIT_Y_MM = 3.0;

    /** Right caudate, anterior to posterior: head, body (2 parts), start of the tail. */
    static final List<Ellipsoid> CAUDATE_RIGHT = List.of(
            Ellipsoid.of(11, 15, 3, 6.5, 11, 12),
            Ellipsoid.of(13, 1, 15, 5, 8, 8),
            Ellipsoid.of(16, -11, 20, 4, 7, 5),
            Ellipsoid.of(19, -21, 22, 3, 5, 3.5));
    /** Right putamen: anterior end turned towards the midline (−x on the right). */
    static final Ellipsoid PUTAMEN_RIGHT = new Ellipsoid(25, 3, 2, 7, 23, 11, -16, 0);
    /** Occipital reference (both hemispheres, across the midline). */
    static final Ellipsoid OCCIPITAL = Ellipsoid.of(0, -80, 10, 30, 14, 16);
    private static final Ellipsoid PUTAMEN_LEFT = PUTAMEN_RIGHT.mirrorX();
    private static final List<Ellipsoid> CAUDATE_LEFT = mirror(CAUDATE_RIGHT);

    private SpectVois() {
    }

    /** Caudate ellipsoids of one side ({@code left} mirrors the right ones across x = 0). */
    public static List<Ellipsoid> caudate(boolean left) {
        return left ? CAUDATE_LEFT : CAUDATE_RIGHT;
    }

    private static List<Ellipsoid> mirror(List<Ellipsoid> right) {
        List<Ellipsoid> l = new ArrayList<>();
        for (Ellipsoid e : right) {
            l.add(e.mirrorX());
        }
        return Collections.unmodifiableList(l);
    }

    /** The putamen ellipsoid of one side. */
    public static Ellipsoid putamen(boolean left) {
        return left ? PUTAMEN_LEFT : PUTAMEN_RIGHT;
    }

    /** The occipital reference ellipsoid. */
    public static Ellipsoid reference() {
        return OCCIPITAL;
    }

    /** Label (0 = none) of MNI point (x, y, z) in mm. */
    public static int labelAt(double x, double y, double z) {
        boolean left = x < 0;
        for (Ellipsoid e : left ? CAUDATE_LEFT : CAUDATE_RIGHT) {
            if (e.contains(x, y, z)) {
                return left ? CAUDATE_L : CAUDATE_R;
            }
        }
        if ((left ? PUTAMEN_LEFT : PUTAMEN_RIGHT).contains(x, y, z)) {
            boolean anterior = y >= PUTAMEN_SPLIT_Y_MM;
            if (left) {
                return anterior ? PUTAMEN_ANT_L : PUTAMEN_POST_L;
            }
            return anterior ? PUTAMEN_ANT_R : PUTAMEN_POST_R;
        }
        return OCCIPITAL.contains(x, y, z) ? REFERENCE : 0;
    }

    /** The label volume on {@code grid}: each voxel gets the label of its centre (no partial volume). */
    public static Volume rasterise(Grid grid) {
        Volume v = Volume.allocate(grid);
        for (int z = 0; z < grid.nz(); z++) {
            float[] p = v.plane(z);
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double[] mm = grid.toMm(x, y, z);
                    p[x + y * grid.nx()] = labelAt(mm[0], mm[1], mm[2]);
                }
            }
        }
        return v;
    }

    /** Label number → name, in label order. */
    public static Map<Integer, String> labelNames() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(CAUDATE_L, "caudate_l");
        m.put(CAUDATE_R, "caudate_r");
        m.put(PUTAMEN_ANT_L, "putamen_ant_l");
        m.put(PUTAMEN_ANT_R, "putamen_ant_r");
        m.put(PUTAMEN_POST_L, "putamen_post_l");
        m.put(PUTAMEN_POST_R, "putamen_post_r");
        m.put(REFERENCE, "reference");
        return Collections.unmodifiableMap(m);
    }

    /** Region name → the labels it is made of (putamen = anterior + posterior, striatum = caudate + putamen). */
    public static Map<String, int[]> regions() {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put(VoiSet.CAUDATE_L, new int[]{CAUDATE_L});
        m.put(VoiSet.CAUDATE_R, new int[]{CAUDATE_R});
        m.put(VoiSet.PUTAMEN_L, new int[]{PUTAMEN_ANT_L, PUTAMEN_POST_L});
        m.put(VoiSet.PUTAMEN_R, new int[]{PUTAMEN_ANT_R, PUTAMEN_POST_R});
        m.put(VoiSet.PUTAMEN_ANT_L, new int[]{PUTAMEN_ANT_L});
        m.put(VoiSet.PUTAMEN_ANT_R, new int[]{PUTAMEN_ANT_R});
        m.put(VoiSet.PUTAMEN_POST_L, new int[]{PUTAMEN_POST_L});
        m.put(VoiSet.PUTAMEN_POST_R, new int[]{PUTAMEN_POST_R});
        m.put(VoiSet.STRIATUM_L, new int[]{CAUDATE_L, PUTAMEN_ANT_L, PUTAMEN_POST_L});
        m.put(VoiSet.STRIATUM_R, new int[]{CAUDATE_R, PUTAMEN_ANT_R, PUTAMEN_POST_R});
        m.put(VoiSet.REFERENCE, new int[]{REFERENCE});
        return m;
    }

    /** These VOIs drawn on {@code grid}, ready for {@link SbrQuantifier}. */
    public static VoiSet voiSet(Grid grid) {
        return new VoiSet(rasterise(grid), regions(), "dopaj-ellipsoids");
    }

    /** These VOIs on the FSL MNI152 2 mm grid (91×109×91, LAS), the grid SBRs are measured on. */
    public static VoiSet mni2mm() {
        return voiSet(HeadPhantom.mni2mm());
    }
}
