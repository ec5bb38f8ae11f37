package org.dopaj.image;

import org.dopaj.DopajException;

/** Refuses, before allocating, what cannot fit in the Java heap, with a message a user can act on. */
public final class Memory {
    private Memory() {
    }

    /** Heap bytes that can still be allocated (max heap minus what is in use). */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Throws a {@link DopajException} unless {@code bytes} (plus a little headroom) fit in the heap. */
    public static void require(long bytes, String what) {
        if (bytes < 0) {
            throw new DopajException(what + " is too large to address (size overflows)");
        }
        long avail = available();
        if (bytes > avail) {
            System.gc();
            avail = available();
        }
        if (bytes > avail) {
            throw new DopajException(String.format(
                    "not enough memory for %s: needs %s, %s free of %s heap (raise -Xmx, or Edit>Options>Memory in Fiji)",
                    what, human(bytes), human(avail), human(Runtime.getRuntime().maxMemory())));
        }
    }

    /** Number of float voxels nx·ny·nz·nt, or a {@link DopajException} if it does not fit an index. */
    public static long voxels(long... dims) {
        long n = 1;
        for (long d : dims) {
            if (d <= 0) {
                throw new DopajException("dimension " + d + " is not positive");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new DopajException("dimensions overflow: their product does not fit in 64 bits");
            }
        }
        return n;
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
