package org.dopaj.dl.train;

import java.util.Random;
import java.util.function.BiFunction;

/**
 * A random change of a training sample (flip, shift, intensity scale, noise...). The loop hands it
 * a {@link Random} seeded from (run seed, epoch, sample index), so a run — and a resumed run —
 * sees the same augmented samples. Must not modify the sample's arrays: return new ones.
 * Never applied to validation data.
 */
@FunctionalInterface
public interface Augmentation {

    Sample apply(Sample sample, Random rng);

    /** An augmentation of the input only (the target is kept), e.g. intensity jitter for a classifier. */
    static Augmentation ofInput(BiFunction<float[], Random, float[]> change) {
        return (s, rng) -> new Sample(change.apply(s.input(), rng), s.target());
    }
}
