package org.dopaj.brainmask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dopaj.DopajException;

/**
 * The brain-mask network's fixed contract, shared by training ({@link HeadSynthesis}, {@link TrainBrainMask})
 * and inference ({@link BrainMasker}).
 *
 * <p>2.5D: the head is resampled onto a 2 mm isotropic RAS grid and cropped to a {@value #SIZE}³ cube (256 mm:
 * any adult head fits). One network reads slices of that cube in all three planes ({@link Plane}): each input is
 * {@value #SIZE}×{@value #SIZE} pixels with {@value #CHANNELS} neighbouring slices as channels (the slice and two
 * on either side, 2 mm apart), tensor {@code [batch, row, column, channel]}; intensities divided by the head's
 * 97.5th percentile and clipped to [0, 3]. The output is per-pixel probabilities of three nested classes:
 * <ol start="0">
 * <li>outside the skull (or outside the field of view);</li>
 * <li>intracranial but not brain: the shell of CSF between the brain surface and the inner skull;</li>
 * <li>brain: grey and white matter closed over sulci, ventricles included ({@link TissueMaps#tissueBrain}).</li>
 * </ol>
 * So both conventions come from one network: {@link Convention#BRAIN} = P(brain), {@link Convention#INTRACRANIAL}
 * = P(brain) + P(CSF shell). The three planes' probabilities are averaged.
 *
 * <p>Network ({@link #network()}): DeepLabv3+ — an encoder of strided 3×3 convolutions and depthwise-separable
 * blocks down to output stride 8 (16×16), atrous spatial pyramid pooling there (1×1, separable atrous 3×3 at rates
 * 2, 4, 6, image pooling), a decoder that fuses the ASPP output with stride-4 low-level features, then with the
 * full-resolution stem, bilinear upsampling; loss soft Dice + cross-entropy over the three classes.
 */
public final class BrainMaskModel {
    /** In-plane pixels of a slice and edge of the working cube. */
    public static final int SIZE = 128;
    /** Neighbouring slices per input (the centre one and two on each side). */
    public static final int CHANNELS = 5;
    /** Output classes: outside, CSF shell, brain. */
    public static final int CLASSES = 3;
    /** Isotropic voxel size of the working grid, mm. */
    public static final double VOXEL_MM = 2.0;
    /** Model id and package folder name under {@code models/}. */
    public static final String ID = "brainmask-deeplabv3plus";
    /**
     * The cube's centre lies this far below the top of the head (256 mm cube: 18 mm above the head). The top of the
     * head is found the same way in any contrast and does not depend on how much neck a scan covers.
     */
    public static final double TOP_OFFSET_MM = 110;
    /**
     * Brain probability (averaged over the three planes) at or above which a voxel is brain: the softmax's own 0.5.
     */
    public static final double THRESHOLD = 0.5;
    /**
     * P(brain) + P(CSF shell) at or above which a voxel is intracranial. Chosen on the real head the model was
     * trained on (brainchop, against its intracranial silver mask: the brain-mask recipe's calibrate action), never on a
     * held-out head: the MNI152 template's mask, the other intracranial label in training, reaches 1–2 mm further
     * into the skull than the silver masks of real individuals, and the network learnt the average. Sweep 0.50 …
     * 0.95 on brainchop: Dice 0.9411 at 0.50, 0.9611 at 0.75, 0.9639 at 0.85 (the peak), 0.9628 at 0.90; the brain
     * threshold stays at 0.5 (MNI152 head vs its tissue brain: 0.9812 at 0.50, falling above). A voxel whose
     * P(brain) ≥ {@link #THRESHOLD} is intracranial too, whatever its P(brain) + P(CSF shell) (see
     * {@link BrainMasker}): the intracranial mask holds the brain mask by definition. (That rule was added after the
     * held-out skull-stripped FLAIR showed an intracranial mask smaller than the brain mask at 0.85 alone.)
     */
    public static final double INTRACRANIAL_THRESHOLD = 0.85;

    /** The decision threshold of {@code convention}. */
    public static double threshold(Convention convention) {
        return convention == Convention.INTRACRANIAL ? INTRACRANIAL_THRESHOLD : THRESHOLD;
    }
    /** Encoder widths at strides 2, 4, 8; ASPP and decoder widths; stem and low-level projection widths. */
    static final int[] ENCODER = {32, 48, 64};
    static final int ASPP = 64;
    static final int STEM = 16;
    static final int LOW = 24;
    static final int[] RATES = {2, 4, 6};

    private BrainMaskModel() {
    }

    /** Which mask: the brain's own surface (as BET) or everything inside the inner skull. */
    public enum Convention {
        /** Brain surface: grey + white matter, sulci and ventricles closed in, extra-cerebral CSF out (BET-like). */
        BRAIN,
        /** Intracranial: brain + CSF out to the inner skull (SynthStrip's default, FSL's MNI152 mask). */
        INTRACRANIAL;

        /** Parses "brain" or "intracranial" (case-insensitive); one-line error otherwise. */
        public static Convention parse(String s) {
            if (s != null) {
                for (Convention c : values()) {
                    if (c.name().equalsIgnoreCase(s.trim())) {
                        return c;
                    }
                }
            }
            throw new DopajException("convention must be brain or intracranial, got " + s);
        }

        /** Lower-case name, as typed. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The three slice planes of the working cube: the RAS axis across the slices, along the image's columns and
     * along its rows. The network is shared; the slices are presented in these orientations in training and at
     * inference alike.
     */
    public enum Plane {
        SAGITTAL(0, 1, 2, "sagittal (rows inferior->superior, columns posterior->anterior)"),
        CORONAL(1, 0, 2, "coronal (rows inferior->superior, columns left->right)"),
        AXIAL(2, 0, 1, "axial (rows posterior->anterior, columns left->right)");

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

        /** What an image of this plane shows. */
        public String description() {
            return description;
        }
    }

}
