package org.dopaj.wmh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.DistanceTransform;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;

/**
 * The anatomy the WMH pipeline needs in MNI space, shipped in the jar as {@value #RESOURCE}: five uint8 frames on the
 * FSL MNI152 2 mm grid (91×109×91), derived from the FSL MNI152 T1 2 mm template files of {@code ../shared/data}
 * (MNI/McGill notice: free use with the notice, see {@code docs/wmh.md}):
 * 0 the skull-stripped T1 template (0…255, the registration target), 1 its brain mask, 2–4 the FAST partial-volume
 * maps of CSF, grey matter and white matter (× 255).
 *
 * <p>Recipe: {@code java -cp "$(./dopaj --classpath)" org.dopaj.wmh.WmhAtlas ../shared/data
 * core/src/main/resources/org/dopaj/wmh/wmh-atlas.nii.gz}.
 *
 * <p>Regions, defined here in code from that anatomy on the {@link WmhModel#box() box} (MNI mm):
 * <ul>
 * <li>ventricles: CSF &gt; 0.5 inside the brain, more than 12 mm from the brain's outer surface, within
 *     |x| &lt; 35, −80 &lt; y &lt; 35, −25 &lt; z &lt; 35 mm, connected pieces of at least 20 voxels (160 mm³) —
 *     the lateral ventricles and the third ventricle, not the sulcal CSF;</li>
 * <li>cortex: grey matter &gt; 0.5 within 20 mm of the brain's outer surface, outside the deep-grey box
 *     |x| &lt; 32, −35 &lt; y &lt; 28, −12 &lt; z &lt; 22 mm (thalamus, basal ganglia);</li>
 * <li>periventricular: within {@value #PERIVENTRICULAR_MM} mm of the ventricles; juxtacortical: otherwise within
 *     {@value #JUXTACORTICAL_MM} mm of the cortex; deep: the rest of the brain.</li>
 * </ul>
 * Distances are MNI mm (after the affine normalisation), not native mm.
 */
public final class WmhAtlas {
    /** Class-path resource of the atlas. */
    public static final String RESOURCE = "/org/dopaj/wmh/wmh-atlas.nii.gz";
    public static final double PERIVENTRICULAR_MM = 10;
    public static final double JUXTACORTICAL_MM = 4;
    /** Region labels. */
    public static final int PERIVENTRICULAR = 1;
    public static final int DEEP = 2;
    public static final int JUXTACORTICAL = 3;
    public static final String[] REGION_NAMES = {"outside", "periventricular", "deep", "juxtacortical"};

    private final Volume template;   // MNI 2 mm grid, skull-stripped T1 (0..255)
    private final Volume brainMni;   // MNI 2 mm grid, 0/1
    private final Volume brain;      // box: 0/1
    private final Volume csf;
    private final Volume gm;
    private final Volume wm;
    private final Volume ventricles;
    private final Volume cortex;
    private final Volume regions;
    private final Volume normalisation;
    private final Volume ventricleDistance;

    private WmhAtlas(Volume frames) {
        Grid mni = frames.grid();
        template = frames.frame(0);
        brainMni = scaled(frames.frame(1), 1 / 255f);
        Grid box = WmhModel.box();
        brain = binary(Resample.toGrid(brainMni, box, Resample.Interpolation.LINEAR, 0), 0.5f);
        csf = Resample.toGrid(scaled(frames.frame(2), 1 / 255f), box, Resample.Interpolation.LINEAR, 0);
        gm = Resample.toGrid(scaled(frames.frame(3), 1 / 255f), box, Resample.Interpolation.LINEAR, 0);
        wm = Resample.toGrid(scaled(frames.frame(4), 1 / 255f), box, Resample.Interpolation.LINEAR, 0);
        // distance to the brain's outside, on the full MNI grid (the box cuts the brain), then onto the box
        Volume outside = Volume.allocate(mni);
        for (int z = 0; z < mni.nz(); z++) {
            float[] b = brainMni.plane(z);
            float[] o = outside.plane(z);
            for (int i = 0; i < b.length; i++) {
                o[i] = b[i] >= 0.5f ? 0 : 1;
            }
        }
        Volume depth = Resample.toGrid(DistanceTransform.edtMm(outside), box, Resample.Interpolation.LINEAR, 0);
        Volume v = Volume.allocate(box);
        Volume c = Volume.allocate(box);
        for (int z = 0; z < box.nz(); z++) {
            for (int y = 0; y < box.ny(); y++) {
                for (int x = 0; x < box.nx(); x++) {
                    double[] mm = box.toMm(x, y, z);
                    int i = x + y * box.nx();
                    float d = depth.plane(z)[i];
                    boolean central = Math.abs(mm[0]) < 35 && mm[1] > -80 && mm[1] < 35 && mm[2] > -25 && mm[2] < 35;
                    if (brain.plane(z)[i] > 0 && csf.plane(z)[i] > 0.5f && d > 12 && central) {
                        v.plane(z)[i] = 1;
                    }
                    boolean deepGrey = Math.abs(mm[0]) < 32 && mm[1] > -35 && mm[1] < 28 && mm[2] > -12 && mm[2] < 22;
                    if (brain.plane(z)[i] > 0 && gm.plane(z)[i] > 0.5f && d <= 20 && !deepGrey) {
                        c.plane(z)[i] = 1;
                    }
                }
            }
        }
        Components.Labels lab = Components.label(v, 26);
        int[] keep = java.util.stream.IntStream.rangeClosed(1, lab.count()).filter(k -> lab.sizes()[k] >= 20).toArray();
        ventricles = lab.mask(keep);
        cortex = c;
        ventricleDistance = DistanceTransform.edtMm(ventricles);
        Volume cortexDistance = DistanceTransform.edtMm(cortex);
        regions = Volume.allocate(box);
        for (int z = 0; z < box.nz(); z++) {
            float[] b = brain.plane(z);
            float[] r = regions.plane(z);
            float[] dv = ventricleDistance.plane(z);
            float[] dc = cortexDistance.plane(z);
            for (int i = 0; i < b.length; i++) {
                if (b[i] > 0) {
                    r[i] = dv[i] <= PERIVENTRICULAR_MM ? PERIVENTRICULAR : dc[i] <= JUXTACORTICAL_MM ? JUXTACORTICAL : DEEP;
                }
            }
        }
        normalisation = Components.erode(brain, 6);
    }

    private static Volume scaled(Volume v, float s) {
        Volume o = v.copy();
        for (float[] p : o.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] *= s;
            }
        }
        return o;
    }

    private static Volume binary(Volume v, float th) {
        Volume o = Volume.allocate(v.grid());
        for (int z = 0; z < v.nz(); z++) {
            float[] a = v.plane(z);
            float[] b = o.plane(z);
            for (int i = 0; i < a.length; i++) {
                b[i] = a[i] >= th ? 1 : 0;
            }
        }
        return o;
    }

    /** The shipped atlas (read once). */
    public static WmhAtlas load() {
        return Holder.ATLAS;
    }

    private static final class Holder {
        static final WmhAtlas ATLAS = new WmhAtlas(readResource());
    }

    private static Volume readResource() {
        try (InputStream in = WmhAtlas.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new DopajException("WMH atlas " + RESOURCE + " is missing from the DopaJ jar");
            }
            Path tmp = Files.createTempFile("dopaj-wmh-atlas", ".nii.gz");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return ImageFiles.read(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new DopajException("cannot read the WMH atlas: " + e.getMessage(), e);
        }
    }

    /** The five frames from the FSL MNI152 2 mm files under {@code shared}. */
    public static Volume build(Path shared) {
        Path d = shared.resolve("mni152_2mm");
        Volume t1 = ImageFiles.read(d.resolve("MNI152_T1_2mm_Brain.nii.gz"));
        Volume mask = ImageFiles.read(d.resolve("MNI152_T1_2mm_Brain_Mask.nii.gz"));
        Volume[] pve = new Volume[3];
        for (int k = 0; k < 3; k++) {
            pve[k] = ImageFiles.read(d.resolve("MNI152_T1_2mm_Brain_FAST_pve_" + k + ".nii.gz"));
        }
        Grid g = t1.grid();
        float max = 0;
        for (float[] p : t1.planes()) {
            for (float x : p) {
                max = Math.max(max, x);
            }
        }
        float[][] planes = new float[5 * g.nz()][];
        for (int z = 0; z < g.nz(); z++) {
            planes[z] = quantise(t1.plane(z), 255f / max);
            planes[g.nz() + z] = quantise(mask.plane(z), 255f);
            for (int k = 0; k < 3; k++) {
                planes[(2 + k) * g.nz() + z] = quantise(pve[k].plane(z), 255f);
            }
        }
        return new Volume(g, 5, planes);
    }

    private static float[] quantise(float[] p, float s) {
        float[] o = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            o[i] = Math.max(0, Math.min(255, Math.round(p[i] * s)));
        }
        return o;
    }

    /** {@code WmhAtlas SHARED OUT}: writes the atlas resource. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: WmhAtlas SHARED_DATA_DIR OUT.nii.gz");
            System.exit(2);
        }
        Volume v = build(Path.of(args[0]));
        Nifti.write(v, Path.of(args[1]), null, NiftiDatatype.UINT8);
        System.out.println("wrote " + args[1]);
    }

    /** The skull-stripped T1 template on the MNI152 2 mm grid: the registration target. */
    public Volume template() {
        return template;
    }

    /** The template's brain mask on the MNI152 2 mm grid. */
    public Volume templateBrain() {
        return brainMni;
    }

    /** Brain mask on the box. */
    public Volume brain() {
        return brain;
    }

    /** CSF probability on the box. */
    public Volume csf() {
        return csf;
    }

    /** Grey-matter probability on the box. */
    public Volume gm() {
        return gm;
    }

    /** White-matter probability on the box. */
    public Volume wm() {
        return wm;
    }

    /** Lateral and third ventricles on the box (0/1). */
    public Volume ventricles() {
        return ventricles;
    }

    /** Distance to the ventricles on the box, MNI mm. */
    public Volume ventricleDistance() {
        return ventricleDistance;
    }

    /** Cortical grey matter on the box (0/1). */
    public Volume cortex() {
        return cortex;
    }

    /** Region labels on the box: 0 outside the brain, {@link #PERIVENTRICULAR}, {@link #DEEP}, {@link #JUXTACORTICAL}. */
    public Volume regions() {
        return regions;
    }

    /** The box voxels whose statistics z-score the network's input: the brain mask eroded by 6 mm. */
    public Volume normalisationRegion() {
        return normalisation;
    }
}
