package org.dopaj.dl.train;

/**
 * Tracks the monitored loss: which epoch was best, and when {@code patience} epochs in a row
 * brought no improvement. Patience 0 never stops.
 */
final class EarlyStopping {

    private EarlyStopping() {
    }

    /** @return true if {@code loss} (epoch {@code epoch}, 1-based) is a new best; updates {@code state}. */
    static boolean record(Trainer.RunState state, int epoch, double loss) {
        if (state.bestEpoch == 0 || loss < state.bestLoss) {
            state.bestEpoch = epoch;
            state.bestLoss = loss;
            state.epochsWithoutImprovement = 0;
            return true;
        }
        state.epochsWithoutImprovement++;
        return false;
    }

    static boolean shouldStop(Trainer.RunState state, int patience) {
        return patience > 0 && state.epochsWithoutImprovement >= patience;
    }
}
