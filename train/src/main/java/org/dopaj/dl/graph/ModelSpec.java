package org.dopaj.dl.graph;

import java.util.Arrays;

import org.dopaj.DopajException;

/**
 * Everything needed to (re)build a network: a name, the input shape of one sample without the
 * batch axis (channels last, e.g. {@code {16,16,16,1}}), the task and the network definition.
 * Capability code writes one of these plus a data supplier.
 */
public record ModelSpec(String name, long[] inputShape, Task task, Network network) {

    public ModelSpec {
        if (name == null || name.isBlank()) {
            throw new DopajException("model name is missing");
        }
        if (inputShape == null || inputShape.length < 2 || inputShape.length > 4) {
            throw new DopajException("input shape must be (h,w,c) or (d,h,w,c), got "
                    + (inputShape == null ? "null" : Arrays.toString(inputShape)));
        }
        for (long v : inputShape) {
            if (v < 1) {
                throw new DopajException("input shape must be positive, got " + Arrays.toString(inputShape));
            }
        }
        if (task == null || network == null) {
            throw new DopajException("model " + name + ": task and network are required");
        }
        inputShape = inputShape.clone();
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Number of floats of one input sample. */
    public int inputSize() {
        long n = 1;
        for (long v : inputShape) {
            n *= v;
        }
        if (n > Integer.MAX_VALUE) {
            throw new DopajException("input of model " + name + " is too large: " + Arrays.toString(inputShape));
        }
        return (int) n;
    }

    /** [-1, inputShape...]. */
    public long[] batchInputShape() {
        long[] s = new long[inputShape.length + 1];
        s[0] = -1;
        System.arraycopy(inputShape, 0, s, 1, inputShape.length);
        return s;
    }
}
