package org.dopaj.brainmask;

import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Networks;
import org.dopaj.dl.graph.Task;

/**
 * The brain-mask network's fixed contract, shared by training ({@link BrainSynthesis}, {@link TrainBrainMask})
 * and inference ({@link BrainMasker}): sagittal slices of a 2 mm isotropic RAS grid, {@value #SIZE}×{@value #SIZE}
 * pixels (256 mm × 256 mm, antero-posterior × cranio-caudal: any adult head fits), tensor {@code [batch, row, column, 1]}
 * with row = inferior→superior and column = posterior→anterior, intensities divided by the head's 97.5th
 * percentile; output per-pixel probabilities of (non-brain, brain).
 *
 * <p>Network: {@code Networks.deepLabV3Plus(32, 3, {2, 4, 6}, 2)} — DeepLabv3+ structure: a strided encoder
 * with depthwise-separable blocks (output stride 8), atrous spatial pyramid pooling (1×1, separable atrous 3×3
 * at rates 2, 4, 6 and image pooling), a decoder fusing the upsampled ASPP features with the full-resolution
 * low-level features, bilinear upsampling; loss soft Dice + cross-entropy.
 */
public final class BrainMaskModel {
    /** In-plane pixels of a slice. */
    public static final int SIZE = 128;
    /** Isotropic voxel size of the working grid, mm. */
    public static final double VOXEL_MM = 2.0;
    /** Model id and package folder name under {@code models/}. */
    public static final String ID = "brainmask-deeplabv3plus";
    public static final int FILTERS = 32;
    /**
     * The window's centre lies this far below the top of the head (256 mm window: 18 mm of margin above the
     * head). The top of the head is found the same way in any contrast and does not depend on how much neck
     * a scan covers, so training and inference place the window alike.
     */
    public static final double TOP_OFFSET_MM = 110;
    /**
     * Brain probability at or above which a voxel is brain. Chosen on the calibration cases — the MNI152 head
     * (2 mm and oblique), synthetic T2-like MNI and PD-/T1-like ICBM volumes, all anatomy the model was trained
     * on — where the mean Dice peaks at 0.7 (0.9729 at 0.6, 0.9733 at 0.7, 0.9723 at 0.8; 0.5 gives a mask about
     * 4 % too large). The independent real head (Colin 27) was not used to choose it.
     */
    public static final double THRESHOLD = 0.7;
    public static final int DOWNSAMPLINGS = 3;
    public static final int[] RATES = {2, 4, 6};

    private BrainMaskModel() {
    }

    /**
     * The slice plane a network was trained on. The 3D brain mask uses the sagittal network; a single axial or
     * coronal 2D slice goes through the network of its own plane (rows and columns: {@link BrainSynthesis}).
     */
    public enum Plane {
        SAGITTAL(0, 1, 2, "sagittal (RAS grid; rows inferior->superior, columns posterior->anterior)"),
        CORONAL(1, 0, 2, "coronal (RAS grid; rows inferior->superior, columns left->right)"),
        AXIAL(2, 0, 1, "axial (RAS grid; rows posterior->anterior, columns left->right)");

        private final int sliceAxis;
        private final int columnAxis;
        private final int rowAxis;
        private final String description;

        Plane(int sliceAxis, int columnAxis, int rowAxis, String description) {
            this.sliceAxis = sliceAxis;
            this.columnAxis = columnAxis;
            this.rowAxis = rowAxis;
            this.description = description;
        }

        /** The RAS axis (0 = x, 1 = y, 2 = z) across the slices. */
        public int sliceAxis() {
            return sliceAxis;
        }

        /** The RAS axis along an image's columns (increasing with the column index). */
        public int columnAxis() {
            return columnAxis;
        }

        /** The RAS axis along an image's rows (increasing with the row index). */
        public int rowAxis() {
            return rowAxis;
        }

        /** What an image of this plane shows, for the model package. */
        public String description() {
            return description;
        }

        /** Package id: the sagittal model is {@link #ID}; the others add "-coronal" or "-axial". */
        public String modelId() {
            return this == SAGITTAL ? ID : ID + "-" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The trainable definition. */
    public static ModelSpec spec() {
        return new ModelSpec(ID, new long[] {SIZE, SIZE, 1},
                new Task.Segmentation(2, Task.SegmentationLoss.SOFT_DICE_PLUS_CROSS_ENTROPY),
                Networks.deepLabV3Plus(FILTERS, DOWNSAMPLINGS, RATES, 2));
    }
}
