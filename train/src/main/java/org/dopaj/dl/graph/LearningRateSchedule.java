package org.dopaj.dl.graph;

import org.dopaj.DopajException;

/** Learning rate as a function of training progress (epoch plus fraction of the epoch done). */
public sealed interface LearningRateSchedule {

    /**
     * @param epoch  0-based epoch, plus the fraction of it already done (e.g. 2.5)
     * @param epochs the planned number of epochs
     */
    double rate(double epoch, int epochs);

    /** The same rate throughout. */
    record Constant(double rate) implements LearningRateSchedule {
        public Constant {
            positive(rate, "learning rate");
        }

        @Override
        public double rate(double epoch, int epochs) {
            return rate;
        }
    }

    /** {@code initial · factor^floor(epoch / every)}: e.g. halve every 10 epochs. */
    record Step(double initial, int every, double factor) implements LearningRateSchedule {
        public Step {
            positive(initial, "learning rate");
            if (every < 1) {
                throw new DopajException("step schedule: 'every' must be >= 1 epoch, got " + every);
            }
            if (!(factor > 0 && factor <= 1)) {
                throw new DopajException("step schedule: factor must lie in (0,1], got " + factor);
            }
        }

        @Override
        public double rate(double epoch, int epochs) {
            return initial * Math.pow(factor, Math.floor(epoch / every));
        }
    }

    /** Cosine decay from {@code initial} to {@code minimum} over the planned epochs. */
    record Cosine(double initial, double minimum) implements LearningRateSchedule {
        public Cosine {
            positive(initial, "learning rate");
            if (!(minimum >= 0 && minimum <= initial)) {
                throw new DopajException("cosine schedule: minimum must lie in [0, initial], got " + minimum);
            }
        }

        @Override
        public double rate(double epoch, int epochs) {
            double progress = Math.min(1.0, Math.max(0.0, epoch / Math.max(1, epochs)));
            return minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * progress));
        }
    }

    private static void positive(double v, String what) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new DopajException(what + " must be > 0, got " + v);
        }
    }
}
