package org.dopaj.wmh;

import org.dopaj.image.Components;
import org.dopaj.image.Volume;

/**
 * The classical baseline DopaJ's network is compared with: on the MNI-affine box, the white-matter mask is the
 * atlas WM probability ≥ 0.7 eroded by 2 mm (one voxel), minus voxels within 2 mm of the head's own CSF (T1 below
 * cortex − 0.5·(WM − cortex)); inside it a voxel is WMH when its T1 is darker than half-way between the head's
 * white matter and cortex
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
        // candidate white matter: atlas WM ≥ 0.7, eroded by one voxel, away (> 2 mm) from the head's own CSF
        // (T1 below cortex − 0.5·(WM − cortex)), so ventricle and sulcal edges are not called
        float csf = (float) (lv[1] - 0.5 * (lv[0] - lv[1]));
        Volume wm = Volume.allocate(box.grid());
        Volume fluid = Volume.allocate(box.grid());
        for (int z = 0; z < box.nz(); z++) {
            float[] a = atlas.wm().plane(z);
            float[] b = box.plane(z);
            float[] o = wm.plane(z);
            float[] f = fluid.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] >= 0.7f ? 1 : 0;
                f[i] = b[i] < csf ? 1 : 0;
            }
        }
        Volume core = Components.erode(wm, 2.01);
        Volume nearFluid = Components.dilate(fluid, 2.01);
        for (int z = 0; z < box.nz(); z++) {
            float[] c = core.plane(z);
            float[] f = nearFluid.plane(z);
            for (int i = 0; i < c.length; i++) {
                if (f[i] > 0) {
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
