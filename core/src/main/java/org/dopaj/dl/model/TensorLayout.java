package org.dopaj.dl.model;

import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Moves voxels between a {@link Volume} (x fastest, one float[] per z plane — ImageJ order) and a tensor laid out
 * as a package input declares it (C order, last axis fastest; DESIGN §5). The space axes named {@code x},
 * {@code y}, {@code z} in the spec are the Volume's axes, in whatever order the spec lists them, so
 * {@code [batch, x, y, z, channel]} — the usual TensorFlow layout — means z varies fastest in the tensor:
 * this class does that transpose, on the way in and on the way out. Never a silent transpose elsewhere.
 */
public final class TensorLayout {
    private TensorLayout() {
    }

    /** One-sample, one-channel tensor for {@code spec} from a 3D volume whose dims must match the x,y,z axes. */
    public static Tensor fromVolume(Volume v, TensorSpec spec) {
        int[] where = axesXyz(spec);
        long[] shape = new long[spec.axes().size()];
        int[] dims = {v.nx(), v.ny(), v.nz()};
        for (int a = 0; a < shape.length; a++) {
            AxisSpec ax = spec.axes().get(a);
            shape[a] = 1;
            for (int d = 0; d < 3; d++) {
                if (where[d] == a) {
                    shape[a] = dims[d];
                }
            }
            if (ax.type().equals("channel") && ax.size() != null && ax.size() != 1) {
                throw new DopajException("input '" + spec.id() + "' has " + ax.size() + " channels; a single volume fills one");
            }
        }
        spec.checkShape(shape, "volume " + v.nx() + "×" + v.ny() + "×" + v.nz() + " for input");
        long[] stride = strides(shape);
        float[] data = new float[Math.toIntExact(v.grid().voxelCount())];
        for (int z = 0; z < v.nz(); z++) {
            float[] plane = v.plane(z);
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    long idx = x * stride[where[0]] + y * stride[where[1]] + z * stride[where[2]];
                    data[(int) idx] = plane[y * v.nx() + x];
                }
            }
        }
        return Tensor.of(data, shape);
    }

    /** The volume on {@code grid} held by a one-sample, one-channel tensor laid out as {@code spec}. */
    public static Volume toVolume(Tensor t, TensorSpec spec, Grid grid) {
        int[] where = axesXyz(spec);
        long[] shape = t.shape();
        if (shape.length != spec.axes().size()) {
            throw new DopajException("tensor " + t + " does not have the rank of output '" + spec.id() + "' " + spec.describeShape());
        }
        int[] dims = {grid.nx(), grid.ny(), grid.nz()};
        long n = 1;
        for (int a = 0; a < shape.length; a++) {
            n *= shape[a];
        }
        for (int d = 0; d < 3; d++) {
            if (shape[where[d]] != dims[d]) {
                throw new DopajException("tensor " + t + " does not fit grid " + grid.nx() + "×" + grid.ny() + "×" + grid.nz());
            }
        }
        if (n != grid.voxelCount()) {
            throw new DopajException("tensor " + t + " holds more than one sample/channel; pick one first");
        }
        long[] stride = strides(shape);
        Volume v = Volume.allocate(grid);
        float[] d = t.data();
        for (int z = 0; z < grid.nz(); z++) {
            float[] plane = v.plane(z);
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    plane[y * grid.nx() + x] = d[(int) (x * stride[where[0]] + y * stride[where[1]] + z * stride[where[2]])];
                }
            }
        }
        return v;
    }

    private static int[] axesXyz(TensorSpec spec) {
        int[] w = {-1, -1, -1};
        String[] names = {"x", "y", "z"};
        for (int d = 0; d < 3; d++) {
            for (int a = 0; a < spec.axes().size(); a++) {
                AxisSpec ax = spec.axes().get(a);
                if (ax.type().equals("space") && ax.id().equals(names[d])) {
                    w[d] = a;
                }
            }
            if (w[d] < 0) {
                throw new DopajException("tensor '" + spec.id() + "' has no space axis '" + names[d] + "' " + spec.describeShape());
            }
        }
        return w;
    }

    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            s[a] = acc;
            acc *= shape[a];
        }
        return s;
    }
}
