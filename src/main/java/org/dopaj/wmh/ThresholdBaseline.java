package org.dopaj.wmh;

import org.dopaj.image.Components;
import org.dopaj.image.Volume;

/**
 * The classical baseline DopaJ's network is compared with: on the MNI-affine box, the head's own white matter
 * (atlas WM probability ≥ 0.3 and T1 above half-way between the head's WM and cortex medians) is closed by a 4 mm
 * ball and its holes filled (a lesion is a dark hole in it), eroded by 2 mm (one voxel: away from cortex and
 * ventricle edges) and kept where the atlas WM probability is ≥ 0.5; inside that mask a voxel is WMH when its T1
 * is darker than half-way between the head's white matter and cortex
 * (I &lt; WM − {@value #FRACTION}·(WM − GM), medians from {@link WmhSegmenter#tissueLevels}); 26-connected pieces of
 * fewer than {@value #MIN_VOXELS} voxels are dropped. No learning; it knows white matter only through the affine
 * atlas, so a head whose anatomy departs from MNI152 (large ventricles) gets false positives along the ventricles.
 */
public final class ThresholdBaseline {
    /** Name reported as the "model". */
    public static final String NAME = "wm-threshold-baseline";
    static final double FRACTION = 0.5;
    static final int MIN_VOXELS = 2;

    private ThresholdBaseline() {
    }

    /** 0/1 on the box. */
    public static Volume segment(Volume box, WmhAtlas atlas) {
        double[] lv = WmhSegmenter.tissueLevels(box, atlas);
        float th = (float) (lv[0] - FRACTION * (lv[0] - lv[1]));
        float mid = (float) ((lv[0] + lv[1]) / 2);
        Volume own = Volume.allocate(box.grid());
        for (int z = 0; z < box.nz(); z++) {
            float[] a = atlas.wm().plane(z);
            float[] b = box.plane(z);
            float[] o = own.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] >= 0.3f && b[i] >= mid ? 1 : 0;
            }
        }
        // the head's own white matter, closed (lesions are dark holes in it), eroded by one voxel, inside atlas WM
        Volume core = Components.erode(Components.fillHoles(Components.close(own, 4), 6), 2.01);
        for (int z = 0; z < box.nz(); z++) {
            float[] a = atlas.wm().plane(z);
            float[] c = core.plane(z);
            for (int i = 0; i < a.length; i++) {
                if (a[i] < 0.5f) {
                    c[i] = 0;
                }
            }
        }
        Volume out = Volume.allocate(box.grid());
        for (int z = 0; z < box.nz(); z++) {
            float[] b = box.plane(z);
            float[] c = core.plane(z);
            float[] o = out.plane(z);
            for (int i = 0; i < b.length; i++) {
                o[i] = c[i] > 0 && b[i] < th ? 1 : 0;
            }
        }
        Components.Labels lab = Components.label(out, 26);
        int[] keep = java.util.stream.IntStream.rangeClosed(1, lab.count())
                .filter(k -> lab.sizes()[k] >= MIN_VOXELS).toArray();
        return keep.length == 0 ? Volume.allocate(box.grid()) : lab.mask(keep);
    }
}
