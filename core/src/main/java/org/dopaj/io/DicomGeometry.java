package org.dopaj.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.io.DicomHeader.Dataset;

/**
 * The voxel → RAS mm affine of a DICOM volume, from the patient-position tags wherever the object keeps them:
 * top level (CT, MR, PET, RT Dose, single slices), the enhanced multi-frame functional groups (shared and per
 * frame), or the NM Detector Information Sequence (NM multi-frame, reconstructed SPECT). DICOM's patient system
 * is LPS; the affine is RAS (x and y negated), as NIfTI and DopaJ use.
 */
final class DicomGeometry {
    static final int IMAGE_TYPE = 0x00080008;
    static final int MODALITY = 0x00080060;
    static final int SLICE_THICKNESS = 0x00180050;
    static final int SPACING_BETWEEN_SLICES = 0x00180088;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int IMAGE_POSITION = 0x00200032;
    static final int IMAGE_ORIENTATION = 0x00200037;
    static final int PLANE_POSITION_SEQUENCE = 0x00209113;
    static final int PLANE_ORIENTATION_SEQUENCE = 0x00209116;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int FRAME_INCREMENT_POINTER = 0x00280009;
    static final int PIXEL_SPACING = 0x00280030;
    static final int PIXEL_MEASURES_SEQUENCE = 0x00289110;
    static final int GRID_FRAME_OFFSET_VECTOR = 0x3004000C;
    static final int DETECTOR_INFORMATION_SEQUENCE = 0x00540022;
    static final int SLICE_VECTOR = 0x00540080;
    static final int SHARED_GROUPS = 0x52009229;
    static final int PER_FRAME_GROUPS = 0x52009230;

    /** Frame vectors that make an NM multi-frame object more than one volume when they take several values. */
    private static final Map<Integer, String> NM_VECTORS = new LinkedHashMap<>();

    static {
        NM_VECTORS.put(0x00540010, "Energy Window Vector");
        NM_VECTORS.put(0x00540020, "Detector Vector");
        NM_VECTORS.put(0x00540030, "Phase Vector");
        NM_VECTORS.put(0x00540050, "Rotation Vector");
        NM_VECTORS.put(0x00540060, "R-R Interval Vector");
        NM_VECTORS.put(0x00540070, "Time Slot Vector");
        NM_VECTORS.put(0x00540090, "Angular View Vector");
        NM_VECTORS.put(0x00540100, "Time Slice Vector");
    }

    private DicomGeometry() {
    }

    /**
     * RAS affine, voxel size, the stored frame (or file) shown at each output slice ({@code order[k]}), and a
     * one-line warning or null.
     */
    record Slices(int[] order, double[][] affine, double[] voxelMm, String warning) {
    }

    // ---------------------------------------------------------------- one file (single or multi-frame)

    /**
     * Why the {@code n} frames of this object are not one volume (NM projections, gated or multi-window frames,
     * a cine), or null. The Frame Increment Pointer (0028,0009) names the vectors that index the frames: a
     * reconstructed SPECT points at the Slice Vector (0054,0080); any other NM vector with several values, or
     * frame times, means frames that are not slices.
     */
    static String notOneVolume(Dataset ds, int n) {
        if (n <= 1) {
            return null;
        }
        List<String> varying = new ArrayList<>();
        for (int t : ds.tags(FRAME_INCREMENT_POINTER)) {
            if (t == 0x00181063 || t == 0x00181065) {
                varying.add("frame time");
            }
            String name = NM_VECTORS.get(t);
            double[] v = ds.numbers(t);
            if (name != null && v != null && Arrays.stream(v).distinct().count() > 1) {
                varying.add(name + " (" + Arrays.stream(v).distinct().count() + " values)");
            }
        }
        if (varying.isEmpty()) {
            return null;
        }
        String type = ds.text(IMAGE_TYPE);
        boolean projections = varying.stream().anyMatch(s -> s.startsWith("Angular View") || s.startsWith("Rotation"))
                || (type != null && type.toUpperCase(Locale.ROOT).matches("([^\\\\]*\\\\){2}TOMO(\\\\.*)?"));
        return "its " + n + " frames are not the slices of one volume: they vary in " + String.join(", ", varying)
                + (projections ? "; these are SPECT projections: reconstruct them on the workstation and export the "
                + "reconstructed (transaxial) volume" : "; export one reconstructed volume (one gate, one energy window), "
                + "or split the file with dcm2niix");
    }

    /**
     * The geometry of the {@code n} frames of one DICOM object, or null when its orientation, pixel spacing or
     * position is missing. Rules: orientation and pixel spacing from the top level, else the shared functional
     * groups, else the first frame's functional groups, else (orientation) the Detector Information Sequence.
     * Frame positions from the per-frame Plane Position Sequence when every frame has one; otherwise the first
     * frame's position (top level, else the Detector Information Sequence) plus, for frame k: the Grid Frame
     * Offset Vector (RT Dose) along the slice normal, else (Slice Vector index or k) times Spacing Between Slices
     * (signed: negative stacks slices against the normal, as the NM Reconstruction Module says), else times
     * Slice Thickness, else times 1 mm with a warning.
     */
    static Slices ofFile(Dataset ds, int n) {
        Dataset shared = ds.item(SHARED_GROUPS);
        List<Dataset> perFrame = ds.items(PER_FRAME_GROUPS);
        Dataset first = perFrame.isEmpty() ? null : perFrame.get(0);
        Dataset detector = null;
        for (Dataset d : ds.items(DETECTOR_INFORMATION_SEQUENCE)) {
            if (d.has(IMAGE_POSITION) || d.has(IMAGE_ORIENTATION)) {
                detector = d;
                break;
            }
        }
        double[] iop = firstOf(ds.numbers(IMAGE_ORIENTATION, 6), nested(shared, PLANE_ORIENTATION_SEQUENCE, IMAGE_ORIENTATION, 6),
                nested(first, PLANE_ORIENTATION_SEQUENCE, IMAGE_ORIENTATION, 6), detector == null ? null : detector.numbers(IMAGE_ORIENTATION, 6));
        double[] ps = firstOf(ds.numbers(PIXEL_SPACING, 2), nested(shared, PIXEL_MEASURES_SEQUENCE, PIXEL_SPACING, 2),
                nested(first, PIXEL_MEASURES_SEQUENCE, PIXEL_SPACING, 2));
        double spacing = sliceStep(ds, shared, first);
        if (iop == null || ps == null) {
            return null;
        }
        double[] normal = unitNormal(iop);
        if (normal == null) {
            return null;
        }
        double[][] pos = new double[n][];
        boolean all = perFrame.size() == n;
        for (int k = 0; all && k < n; k++) {
            pos[k] = nested(perFrame.get(k), PLANE_POSITION_SEQUENCE, IMAGE_POSITION, 3);
            all = pos[k] != null;
        }
        String warning = null;
        if (!all) {
            double[] p0 = firstOf(ds.numbers(IMAGE_POSITION, 3), nested(shared, PLANE_POSITION_SEQUENCE, IMAGE_POSITION, 3),
                    nested(first, PLANE_POSITION_SEQUENCE, IMAGE_POSITION, 3), detector == null ? null : detector.numbers(IMAGE_POSITION, 3));
            if (p0 == null) {
                return null;
            }
            double[] offsets = ds.numbers(GRID_FRAME_OFFSET_VECTOR);
            double[] index = sliceIndex(ds, n);
            if (n > 1 && offsets != null && offsets.length == n) {
                for (int k = 0; k < n; k++) {
                    pos[k] = along(p0, normal, offsets[k] - offsets[0]);
                }
            } else {
                if (n > 1 && Double.isNaN(spacing)) {
                    spacing = 1;
                    warning = "DICOM slice spacing unknown (no Spacing Between Slices or Slice Thickness): 1 mm assumed";
                }
                for (int k = 0; k < n; k++) {
                    pos[k] = along(p0, normal, n > 1 ? index[k] * spacing : 0);
                }
            }
        }
        Slices s = fromPositions(iop, ps, pos, spacing);
        return warning == null ? s : new Slices(s.order(), s.affine(), s.voxelMm(), join(warning, s.warning()));
    }

    /** Spacing Between Slices (signed), else Slice Thickness, at the top level or in the pixel measures; NaN when none. */
    private static double sliceStep(Dataset ds, Dataset shared, Dataset first) {
        for (int tag : new int[]{SPACING_BETWEEN_SLICES, SLICE_THICKNESS}) {
            double[] v = firstOf(ds.numbers(tag, 1), nested(shared, PIXEL_MEASURES_SEQUENCE, tag, 1), nested(first, PIXEL_MEASURES_SEQUENCE, tag, 1));
            if (v != null && v[0] != 0 && Double.isFinite(v[0])) {
                return tag == SLICE_THICKNESS ? Math.abs(v[0]) : v[0];
            }
        }
        return Double.NaN;
    }

    /**
     * Each frame's slice index from 0: the Slice Vector (1-based) when the frames are indexed by it and it numbers
     * the slices 1..n once each, else k.
     */
    private static double[] sliceIndex(Dataset ds, int n) {
        double[] idx = new double[n];
        double[] sv = ds.numbers(SLICE_VECTOR);
        boolean use = sv != null && sv.length == n && Arrays.stream(ds.tags(FRAME_INCREMENT_POINTER)).anyMatch(t -> t == SLICE_VECTOR)
                && Arrays.equals(Arrays.stream(sv).sorted().toArray(), java.util.stream.IntStream.rangeClosed(1, n).asDoubleStream().toArray());
        for (int k = 0; k < n; k++) {
            idx[k] = use ? sv[k] - 1 : k;
        }
        return idx;
    }

    // ---------------------------------------------------------------- a series of single-frame files

    /**
     * The geometry of a series of single-frame files (headers in any order), or null when one of them lacks its
     * position, orientation or pixel spacing. Refuses slices of different orientations.
     */
    static Slices ofSeries(List<Dataset> slices) {
        double[] iop = slices.get(0).numbers(IMAGE_ORIENTATION, 6);
        double[] ps = slices.get(0).numbers(PIXEL_SPACING, 2);
        if (iop == null || ps == null || unitNormal(iop) == null) {
            return null;
        }
        double[][] pos = new double[slices.size()][];
        for (int k = 0; k < pos.length; k++) {
            Dataset d = slices.get(k);
            pos[k] = d.numbers(IMAGE_POSITION, 3);
            double[] o = d.numbers(IMAGE_ORIENTATION, 6);
            if (pos[k] == null || o == null) {
                return null;
            }
            for (int i = 0; i < 6; i++) {
                if (Math.abs(o[i] - iop[i]) > 1e-3) {
                    throw new DopajException(String.format(Locale.ROOT, "slices have different orientations (slice %d: %s, slice 1: %s): "
                            + "the folder mixes series or holds a localizer; give a folder with one series", k + 1,
                            Arrays.toString(o), Arrays.toString(iop)));
                }
            }
        }
        double[] th = slices.get(0).numbers(SPACING_BETWEEN_SLICES, 1);
        if (th == null) {
            th = slices.get(0).numbers(SLICE_THICKNESS, 1);
        }
        return fromPositions(iop, ps, pos, th == null || th[0] == 0 ? Double.NaN : Math.abs(th[0]));
    }

    // ---------------------------------------------------------------- common

    /**
     * The affine of slices at LPS positions {@code pos} (first voxel of each, in stored order). Stored order is kept
     * when the positions run monotonically along the slice normal (either way); otherwise the slices are sorted
     * along the normal. Two slices at the same place are refused (several volumes in one series). The slice step is
     * the mean step from the first to the last slice; uneven spacing gives a warning. {@code singleDepth} is the
     * slice step used when there is a single slice (NaN: 1 mm with a warning).
     */
    static Slices fromPositions(double[] iop, double[] ps, double[][] pos, double singleDepth) {
        double[] row = {iop[0], iop[1], iop[2]};
        double[] col = {iop[3], iop[4], iop[5]};
        double[] normal = unitNormal(iop);
        double dx = ps[1]; // PixelSpacing = row spacing (between rows, along j), column spacing (along i)
        double dy = ps[0];
        if (!(dx > 0) || !(dy > 0)) {
            return null;
        }
        int n = pos.length;
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        double[] step;
        String warning = null;
        if (n == 1) {
            double dz = singleDepth;
            if (!(Math.abs(dz) > 0)) {
                dz = 1;
                warning = "DICOM slice spacing unknown: 1 mm assumed";
            }
            step = scaled(normal, dz);
        } else {
            double[] s = new double[n];
            for (int k = 0; k < n; k++) {
                s[k] = dot(pos[k], normal);
            }
            if (!monotonic(s)) {
                Integer[] o = new Integer[n];
                for (int k = 0; k < n; k++) {
                    o[k] = k;
                }
                Arrays.sort(o, (a, b) -> Double.compare(s[a], s[b]));
                for (int k = 0; k < n; k++) {
                    order[k] = o[k];
                }
            }
            for (int k = 1; k < n; k++) {
                if (Math.abs(s[order[k]] - s[order[k - 1]]) < 1e-3) {
                    throw new DopajException(String.format(Locale.ROOT, "slices %d and %d are at the same position (%.3f mm along the "
                            + "slice normal): the series holds several volumes (time points, echoes, gates); split it first, "
                            + "e.g. with dcm2niix", order[k - 1] + 1, order[k] + 1, s[order[k]]));
                }
            }
            double[] p0 = pos[order[0]];
            double[] pn = pos[order[n - 1]];
            step = new double[3];
            for (int i = 0; i < 3; i++) {
                step[i] = (pn[i] - p0[i]) / (n - 1);
            }
            warning = unevenSpacing(pos, order, step);
        }
        double dz = Math.sqrt(dot(step, step));
        double[] p0 = pos[order[0]];
        double[][] a = {
                {row[0] * dx, col[0] * dy, step[0], p0[0]},
                {row[1] * dx, col[1] * dy, step[1], p0[1]},
                {row[2] * dx, col[2] * dy, step[2], p0[2]},
                {0, 0, 0, 1}};
        // DICOM patient space is LPS; NIfTI scanner space is RAS: negate x and y
        for (int c = 0; c < 4; c++) {
            a[0][c] = -a[0][c];
            a[1][c] = -a[1][c];
        }
        return new Slices(order, a, new double[]{dx, dy, dz}, warning);
    }

    private static String unevenSpacing(double[][] pos, int[] order, double[] step) {
        double len = Math.sqrt(dot(step, step));
        double[] p0 = pos[order[0]];
        for (int k = 1; k < order.length - 1; k++) {
            double[] pk = pos[order[k]];
            double err = 0;
            for (int i = 0; i < 3; i++) {
                err = Math.max(err, Math.abs(pk[i] - (p0[i] + k * step[i])));
            }
            if (err > 0.01 * len + 1e-3) {
                return String.format(Locale.ROOT, "DICOM slices are not evenly spaced (slice %d is %.3f mm off): the affine uses the mean spacing", k + 1, err);
            }
        }
        return null;
    }

    private static boolean monotonic(double[] s) {
        boolean up = true;
        boolean down = true;
        for (int k = 1; k < s.length; k++) {
            up &= s[k] > s[k - 1];
            down &= s[k] < s[k - 1];
        }
        return up || down;
    }

    /** The unit slice normal (row × column), or null when the orientation is degenerate. */
    static double[] unitNormal(double[] iop) {
        double[] n = {iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5], iop[0] * iop[4] - iop[1] * iop[3]};
        double len = Math.sqrt(dot(n, n));
        return len > 1e-6 && Double.isFinite(len) ? scaled(n, 1 / len) : null;
    }

    private static double[] nested(Dataset ds, int sequence, int tag, int n) {
        if (ds == null) {
            return null;
        }
        Dataset item = ds.item(sequence);
        return item == null ? null : item.numbers(tag, n);
    }

    private static double[] firstOf(double[]... v) {
        for (double[] x : v) {
            if (x != null) {
                return x;
            }
        }
        return null;
    }

    private static double[] along(double[] p, double[] dir, double t) {
        return new double[]{p[0] + t * dir[0], p[1] + t * dir[1], p[2] + t * dir[2]};
    }

    private static double[] scaled(double[] v, double f) {
        return new double[]{v[0] * f, v[1] * f, v[2] * f};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }
}
