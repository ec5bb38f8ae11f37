package org.dopaj.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class Imglib2Test {
    @Test
    void wrapSharesTheVolumeArrays() {
        Volume v = Volume.allocate(Grid.of(4, 3, 2, 1, 1, 1), 3);
        v.set(1, 2, 1, 2, 7f);
        PlanarImg<FloatType, FloatArray> img = Imglib2.wrap(v);
        assertArrayEquals(new long[]{4, 3, 2, 3}, img.dimensionsAsLongArray());
        RandomAccess<FloatType> ra = img.randomAccess();
        ra.setPosition(new long[]{1, 2, 1, 2});
        assertEquals(7f, ra.get().get());
        ra.setPosition(new long[]{3, 0, 0, 1});
        ra.get().set(-5f);
        assertEquals(-5f, v.get(3, 0, 0, 1), "a write through imglib2 is seen in the volume");
        assertEquals(v.plane(1, 2), img.getPlane(2 * 2 + 1).getCurrentStorageArray());
        assertArrayEquals(new long[]{4, 3, 2}, Imglib2.wrap(v.frame(0)).dimensionsAsLongArray());
    }

    @Test
    void volumeImgIsTheSameArraysAndComesBackWithoutACopy() {
        Volume v = Volume.allocate(Grid.of(5, 4, 3, 2, 2, 2));
        PlanarImg<FloatType, FloatArray> img = v.img();
        assertArrayEquals(new long[]{5, 4, 3}, img.dimensionsAsLongArray());
        RandomAccess<FloatType> ra = img.randomAccess();
        ra.setPosition(new long[]{4, 3, 2});
        ra.get().set(9f);
        assertEquals(9f, v.get(4, 3, 2), "img() is a view, not a copy");
        Volume back = Imglib2.asVolume(img, v.grid());
        assertEquals(v.plane(2), back.plane(2), "a float PlanarImg comes back as a volume over the same planes");
    }

    @Test
    void wrapPlaneAndCopyBack() {
        float[] px = {1, 2, 3, 4, 5, 6};
        ArrayImg<FloatType, FloatArray> plane = Imglib2.wrapPlane(px, 3, 2);
        RandomAccess<FloatType> ra = plane.randomAccess();
        ra.setPosition(new long[]{2, 1});
        assertEquals(6f, ra.get().get());
        ra.get().set(60f);
        assertEquals(60f, px[5]);
        assertThrows(DopajException.class, () -> Imglib2.wrapPlane(px, 4, 2));

        ArrayImg<UnsignedShortType, ShortArray> u16 = ArrayImgs.unsignedShorts(new short[]{1, (short) 65535, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Grid g = Grid.of(2, 2, 2, 2, 2, 2);
        Volume v = Imglib2.toVolume(u16, g);
        assertEquals(65535f, v.get(1, 0, 0));
        assertEquals(8f, v.get(1, 1, 1));
        u16.update(null).setValue(0, (short) 99);
        assertEquals(1f, v.get(0, 0, 0), "toVolume copies");
        assertThrows(DopajException.class, () -> Imglib2.toVolume(u16, Grid.of(2, 2, 3, 1, 1, 1)));
    }
}
