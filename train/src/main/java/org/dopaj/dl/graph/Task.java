package org.dopaj.dl.graph;

import org.dopaj.DopajException;

/** What a network predicts; decides its loss, its exported outputs and what Grad-CAM explains. */
public sealed interface Task {

    /** Output key of the prediction in the exported signature. */
    String predictionName();

    /** Whether the export adds a {@code cam} output. */
    boolean hasCam();

    /**
     * One label per sample out of {@code classes}; softmax cross-entropy; exports
     * {@code probabilities} [batch, classes] and {@code cam}. Grad-CAM explains the logit of
     * {@code camClass}, or of the predicted class when {@code camClass} is −1.
     */
    record Classification(int classes, int camClass) implements Task {
        public Classification {
            if (classes < 2) {
                throw new DopajException("classification needs at least 2 classes, got " + classes);
            }
            if (camClass < -1 || camClass >= classes) {
                throw new DopajException("camClass must be -1 (predicted class) or 0.." + (classes - 1) + ", got " + camClass);
            }
        }

        @Override
        public String predictionName() {
            return "probabilities";
        }

        @Override
        public boolean hasCam() {
            return true;
        }
    }

    /**
     * {@code outputs} real values per sample; mean squared error; exports {@code prediction}
     * [batch, outputs] and {@code cam} (explaining output {@code camOutput}).
     */
    record Regression(int outputs, int camOutput) implements Task {
        public Regression {
            if (outputs < 1) {
                throw new DopajException("regression needs at least 1 output, got " + outputs);
            }
            if (camOutput < 0 || camOutput >= outputs) {
                throw new DopajException("camOutput must be 0.." + (outputs - 1) + ", got " + camOutput);
            }
        }

        @Override
        public String predictionName() {
            return "prediction";
        }

        @Override
        public boolean hasCam() {
            return true;
        }
    }

    /**
     * Per-voxel classes; the target is one-hot [.., classes]; loss per {@link SegmentationLoss};
     * exports {@code probabilities} (softmax over the class axis).
     */
    record Segmentation(int classes, SegmentationLoss loss) implements Task {
        public Segmentation {
            if (classes < 2) {
                throw new DopajException("segmentation needs at least 2 classes (background included), got " + classes);
            }
            if (loss == null) {
                throw new DopajException("segmentation loss is missing");
            }
        }

        @Override
        public String predictionName() {
            return "probabilities";
        }

        @Override
        public boolean hasCam() {
            return false;
        }
    }

    /** Loss of a segmentation network. */
    enum SegmentationLoss { SOFT_DICE, CROSS_ENTROPY, SOFT_DICE_PLUS_CROSS_ENTROPY }
}
