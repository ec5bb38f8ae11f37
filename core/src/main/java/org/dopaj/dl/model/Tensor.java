package org.dopaj.dl.model;

import java.util.Arrays;
import org.dopaj.DopajException;

/**
 * A float32 tensor as handed to and from TensorFlow: {@code data} in C order (last axis fastest) with
 * {@code shape}. The array is shared, not copied (volumes are large): treat {@link #data()} as read-only; every
 * DopaJ operation that changes values returns a new tensor.
 */
public final class Tensor {
    private final float[] data;
    private final long[] shape;

    private Tensor(float[] data, long[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) with {@code shape}; refuses a length that does not match the shape. */
    public static Tensor of(float[] data, long... shape) {
        if (data == null || shape == null) {
            throw new DopajException("tensor data and shape must not be null");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new DopajException("tensor shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length) {
            throw new DopajException("tensor shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + data.length);
        }
        return new Tensor(data, shape.clone());
    }

    /** A zero-filled tensor. */
    public static Tensor zeros(long... shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new DopajException("tensor shape " + Arrays.toString(shape) + " is too large for one array");
        }
        return of(new float[(int) n], shape);
    }

    /** The values, C order (shared; do not modify). */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return data.length;
    }

    /** Flat C-order index of a multi-index. */
    public int index(long... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index rank " + idx.length + " != tensor rank " + shape.length);
        }
        long flat = 0;
        for (int a = 0; a < shape.length; a++) {
            if (idx[a] < 0 || idx[a] >= shape[a]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " outside " + Arrays.toString(shape));
            }
            flat = flat * shape[a] + idx[a];
        }
        return (int) flat;
    }

    public float get(long... idx) {
        return data[index(idx)];
    }

    /** A tensor with the same values and a copied array, safe to modify. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** Same values, another shape with the same number of elements. */
    public Tensor reshape(long... newShape) {
        return of(data, newShape);
    }

    /** Largest absolute difference to {@code o}; refuses a different shape. */
    public double maxAbsDiff(Tensor o) {
        if (!Arrays.equals(shape, o.shape)) {
            throw new DopajException("cannot compare tensors of shape " + Arrays.toString(shape) + " and "
                    + Arrays.toString(o.shape));
        }
        double m = 0;
        for (int i = 0; i < data.length; i++) {
            m = Math.max(m, Math.abs((double) data[i] - o.data[i]));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor && Arrays.equals(shape, ((Tensor) o).shape) && Arrays.equals(data, ((Tensor) o).data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
