package org.dopaj.image;

import java.util.ArrayList;
import java.util.List;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;
import org.dopaj.DopajException;

/**
 * Bridge between DopaJ {@link Volume}s and imglib2 images. {@link #wrap} shares the volume's plane arrays
 * (a write through imglib2 is a write into the volume); {@link #toVolume} copies. imglib2 core carries no
 * calibration, so the {@link Grid} travels beside the image.
 */
public final class Imglib2 {
    private Imglib2() {
    }

    /**
     * The volume as a {@code PlanarImg} over its own arrays (no copy): dims [nx, ny, nz] for one frame,
     * [nx, ny, nz, nt] for several.
     */
    public static PlanarImg<FloatType, FloatArray> wrap(Volume v) {
        List<FloatArray> slices = new ArrayList<>(v.planes().length);
        for (float[] p : v.planes()) {
            slices.add(new FloatArray(p));
        }
        long[] dims = v.nt() > 1 ? new long[]{v.nx(), v.ny(), v.nz(), v.nt()} : new long[]{v.nx(), v.ny(), v.nz()};
        PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(slices, dims, new Fraction());
        img.setLinkedType(new FloatType(img));
        return img;
    }

    /** One plane (x fastest) as a 2D {@code ArrayImg} over the same array (no copy). */
    public static ArrayImg<FloatType, FloatArray> wrapPlane(float[] pixels, int width, int height) {
        if ((long) width * height != pixels.length) {
            throw new DopajException("plane of " + pixels.length + " pixels is not " + width + "×" + height);
        }
        return ArrayImgs.floats(pixels, width, height);
    }

    /**
     * The image as a volume on {@code grid}: <b>no copy</b> when it is a float {@code PlanarImg} (what
     * {@link #wrap} makes, and what ImageJ's float stacks are), a copy as floats otherwise. DopaJ's capabilities
     * never write into their input, so sharing is safe; a caller that will change the image afterwards should pass
     * a copy.
     */
    @SuppressWarnings("unchecked")
    public static Volume asVolume(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        if (img instanceof PlanarImg<?, ?> p && p.firstElement() instanceof FloatType && p.numDimensions() >= 3
                && p.numDimensions() <= 4 && p.dimension(0) == grid.nx() && p.dimension(1) == grid.ny()
                && p.dimension(2) == grid.nz() && p.getPlane(0) instanceof FloatArray) {
            PlanarImg<FloatType, FloatArray> f = (PlanarImg<FloatType, FloatArray>) p;
            int nt = f.numDimensions() == 4 ? (int) f.dimension(3) : 1;
            float[][] planes = new float[f.numSlices()][];
            for (int i = 0; i < planes.length; i++) {
                planes[i] = f.getPlane(i).getCurrentStorageArray();
            }
            return new Volume(grid, nt, planes);
        }
        return toVolume(img, grid);
    }

    /**
     * A new volume on {@code grid} with the values of a 2D, 3D or 4D real image (copied, as floats). The image's
     * first three dimensions must match the grid (a 2D image needs nz = 1); a 4th dimension gives the frames.
     */
    public static Volume toVolume(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        int n = img.numDimensions();
        if (n < 2 || n > 4) {
            throw new DopajException("image has " + n + " dimensions: a volume needs 2 to 4");
        }
        long[] d = new long[4];
        for (int i = 0; i < 4; i++) {
            d[i] = i < n ? img.dimension(i) : 1;
        }
        if (d[0] != grid.nx() || d[1] != grid.ny() || d[2] != grid.nz()) {
            throw new DopajException("image is " + d[0] + "×" + d[1] + "×" + d[2] + " but the grid is " + grid.nx() + "×"
                    + grid.ny() + "×" + grid.nz());
        }
        if (d[3] > Integer.MAX_VALUE) {
            throw new DopajException("too many frames: " + d[3]);
        }
        Volume v = Volume.allocate(grid, (int) d[3]);
        Cursor<? extends RealType<?>> c = Views.flatIterable(img).cursor();
        float[][] planes = v.planes();
        int len = grid.nx() * grid.ny();
        for (float[] p : planes) {
            for (int i = 0; i < len; i++) {
                p[i] = c.next().getRealFloat();
            }
        }
        return v;
    }
}
