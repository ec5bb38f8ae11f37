package org.dopaj.image;

import java.util.stream.IntStream;

/**
 * Splits plane- or row-wise work over the common fork-join pool (sized to the machine's cores), in a
 * few contiguous chunks so each chunk can allocate its scratch buffers once. Exceptions propagate.
 */
final class Parallel {
    private Parallel() {
    }

    /** Body of a chunk: handles indices from (inclusive) to (exclusive). */
    interface Chunk {
        void run(int from, int to);
    }

    /** Runs {@code body} over [0, n) split in contiguous chunks, in parallel when n > 1. */
    static void chunks(int n, Chunk body) {
        if (n <= 0) {
            return;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        int parts = Math.min(n, threads * 4);
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, parts).parallel().forEach(p -> {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            if (from < to) {
                body.run(from, to);
            }
        });
    }
}
