package org.dopaj.wmh;

import org.dopaj.image.Grid;

/**
 * The WMH network's fixed contract, shared by training ({@link LesionSynthesis}, {@link TrainWmh}) and inference
 * ({@link WmhSegmenter}).
 *
 * <p><b>Box.</b> An MNI-affine box at 2 mm: {@value #NX}×{@value #NY}×{@value #NZ} voxels, axes along MNI x (left →
 * right), y (posterior → anterior), z (inferior → superior), voxel centres at x = −64…+62, y = −104…+70,
 * z = −36…+74 mm (on the FSL MNI152 2 mm lattice, so atlas maps need no interpolation). It holds the cerebral white
 * matter of an affinely normalised brain; the same idea as deep-T1-WMH's 184×202×72 box at 1×1×1.5 mm, at half the
 * resolution (one CPU core trains it). Tensor {@code [batch, x, y, z, 1]} in C order (z fastest).
 *
 * <p><b>Intensities</b> ({@link Normalisation}, named in the package's {@code config.dopaj.input_normalisation}):
 * version 2 puts the head's own white matter at 0 and its cortex at −1 (T1 minus the white-matter median, divided
 * by white minus cortex median, both measured in the box through the atlas), so a lesion's value is its contrast as
 * the synthesis and the radiologist define it, whatever the scanner's gain and grey/white contrast; version 1 (the
 * first packages) z-scored the box over the atlas brain eroded by 6 mm ({@link WmhAtlas#normalisationRegion()}),
 * whose mean and spread move with the share of CSF and grey matter of a head.
 *
 * <p><b>Network.</b> A small 3D U-Net ({@link #spec()}): four resolutions (2, 4, 8, 16 mm) with
 * {@code FILTERS} = 8, 16, 32, 48 channels, two conv3³ → batch norm → ReLU per level (one in the full-resolution decoder), max-pooling down, trilinear
 * upsampling up, skip connections merged by a 1×1×1 projection and addition (not concatenation: it halves the cost
 * of the full-resolution decoder); 1×1×1 classifier to (background, WMH). Loss soft Dice + cross-entropy. About
 * 0.25 M parameters; receptive field ≈ 90 mm, enough to tell a periventricular cap from the ventricle it caps.
 */
public final class WmhModel {
    /** Model id and package folder name under {@code models/}. */
    public static final String ID = "wmh-unet3d";
    public static final int NX = 64;
    public static final int NY = 88;
    public static final int NZ = 56;
    public static final double VOXEL_MM = 2.0;
    /** MNI mm of voxel (0,0,0). */
    public static final double[] ORIGIN_MM = {-64, -104, -36};
    static final int[] FILTERS = {8, 16, 32, 48};
    /**
     * Probability at or above which a voxel is WMH when a package names none ({@code config.dopaj.threshold}, which
     * {@link WmhSegmenter} reads), and the wmh recipe's default {@code threshold}: version 1's calibrated value. A
     * package carries the threshold the recipe's calibrate action chose for its own weights, through the whole
     * pipeline on the training heads (version 2, bundled: 0.45).
     */
    public static final double THRESHOLD = 0.15;

    private WmhModel() {
    }

    /** How the box's T1 becomes the network's input; a package names the one it was trained with. */
    public enum Normalisation {
        /** z-score over the atlas brain eroded by 6 mm (packages before 2026-12-07 (3); the default when unnamed). */
        BRAIN_Z("brain-z-v1", "wmh-box-t1-z-v1",
                "z-score over the atlas brain eroded by 6 mm (org.dopaj.wmh.WmhSegmenter)"),
        /** (T1 − white-matter median) / (white-matter median − cortex median), both in the box through the atlas. */
        TISSUE("tissue-anchored-v2", "wmh-box-t1-tissue-v2",
                "(T1 - white-matter median) / (white-matter median - cortex median), atlas tissue in the box, "
                        + "clipped to [-8, 4] (org.dopaj.wmh.WmhSegmenter)");

        private final String id;
        private final String applicabilityDefinition;
        private final String description;

        Normalisation(String id, String applicabilityDefinition, String description) {
            this.id = id;
            this.applicabilityDefinition = applicabilityDefinition;
            this.description = description;
        }

        /** The name stored in a package ({@code config.dopaj.input_normalisation}) and a training config. */
        public String id() {
            return id;
        }

        /** The applicability statistics' definition name for inputs normalised this way. */
        public String applicabilityDefinition() {
            return applicabilityDefinition;
        }

        /** One line for a package's config. */
        public String description() {
            return description;
        }

        /** By {@link #id()}; unknown names are an error naming the known ones. */
        public static Normalisation parse(String id) {
            for (Normalisation n : values()) {
                if (n.id.equals(id)) {
                    return n;
                }
            }
            throw new org.dopaj.DopajException("unknown WMH input normalisation '" + id + "' (known: "
                    + String.join(", ", java.util.Arrays.stream(values()).map(Normalisation::id).toList())
                    + "): a newer DopaJ may be needed for this model");
        }

        /** The one a package's rdf names ({@code config.dopaj.input_normalisation}); {@link #BRAIN_Z} if none. */
        public static Normalisation of(java.util.Map<String, Object> rdf) {
            if (rdf.get("config") instanceof java.util.Map<?, ?> c && c.get("dopaj") instanceof java.util.Map<?, ?> d
                    && d.get("input_normalisation") instanceof String id) {
                return parse(id);
            }
            return BRAIN_Z;
        }
    }

    /** The MNI-affine box (RAS axes, 2 mm). */
    public static Grid box() {
        double[][] a = {{VOXEL_MM, 0, 0, ORIGIN_MM[0]}, {0, VOXEL_MM, 0, ORIGIN_MM[1]}, {0, 0, VOXEL_MM, ORIGIN_MM[2]},
            {0, 0, 0, 1}};
        return new Grid(NX, NY, NZ, new double[] {VOXEL_MM, VOXEL_MM, VOXEL_MM}, a);
    }

    /** Voxels in the box. */
    public static int size() {
        return NX * NY * NZ;
    }

    /** Tensor index of box voxel (x, y, z): C order [x][y][z]. */
    public static int tensorIndex(int x, int y, int z) {
        return (x * NY + y) * NZ + z;
    }
}
