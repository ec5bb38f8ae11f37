package org.dopaj.msa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * The checks a GD or MD map passes before the MSA classifier sees it, each failing with one line that says what is
 * wrong and what to do:
 * <ul>
 *   <li>3D, every voxel finite (NaN or infinite: refused, with the first such voxel);</li>
 *   <li>on the MNI152 2 mm grid (91×109×91, the FSL affine); a map on another grid whose field of view covers the MNI
 *   brain box (e.g. SPM's 1.5 mm or FSL's 1 mm MNI grids) is resampled onto it, with a warning; any other grid is
 *   refused ("not in MNI space": make the map with {@code dopaj gm-density} / {@code dopaj md});</li>
 *   <li>GD within [−0.01, 1.5] (modulated GM fractions) and not all zero;</li>
 *   <li>MD in mm²/s: no negative value, the median of the positive voxels within [{@value #MD_MEDIAN_MIN},
 *   {@value #MD_MEDIAN_MAX}] mm²/s and the 99.9th percentile ≤ {@value #MD_MAX} mm²/s (free water at 37 °C is
 *   3×10⁻³); a map whose median is a thousand or a million times larger is recognised as µm²/ms (10⁻³ mm²/s) or
 *   10⁻⁶ mm²/s and refused with the factor to divide by;</li>
 *   <li>GD and MD of one subject on the same grid.</li>
 * </ul>
 */
public final class MsaInputs {
    public static final double GD_MIN = -0.01;
    public static final double GD_MAX = 1.5;
    public static final double MD_MEDIAN_MIN = 2e-4;
    public static final double MD_MEDIAN_MAX = 2e-3;
    public static final double MD_MAX = 5e-3;

    private MsaInputs() {
    }

    /** A checked map on the MNI 2 mm grid with the warnings of getting it there. */
    public record Checked(Volume map, List<String> warnings) {
    }

    /** Checks a GD map ({@code what} names it in messages, e.g. the file). */
    public static Checked gd(Volume v, String what) {
        List<String> w = new ArrayList<>();
        Volume m = onMni(basic(v, what), what, w);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int z = 0; z < m.nz(); z++) {
            for (float x : m.plane(z)) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        if (min < GD_MIN || max > GD_MAX) {
            throw new DopajException(String.format(Locale.ROOT, "%s: GD values span %.3g…%.3g, outside [0, 1.5]: is this"
                    + " a modulated grey-matter density map (a GM fraction, e.g. dopaj gm-density or SPM's mwp1)?",
                    what, min, max));
        }
        if (max <= 0) {
            throw new DopajException(what + ": GD map is all zero");
        }
        return new Checked(m, w);
    }

    /** Checks an MD map in mm²/s. */
    public static Checked md(Volume v, String what) {
        List<String> w = new ArrayList<>();
        Volume m = onMni(basic(v, what), what, w);
        int n = 0;
        float min = Float.MAX_VALUE;
        for (int z = 0; z < m.nz(); z++) {
            for (float x : m.plane(z)) {
                min = Math.min(min, x);
                if (x > 0) {
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new DopajException(what + ": MD map has no positive voxel");
        }
        float[] pos = new float[n];
        int k = 0;
        for (int z = 0; z < m.nz(); z++) {
            for (float x : m.plane(z)) {
                if (x > 0) {
                    pos[k++] = x;
                }
            }
        }
        Arrays.sort(pos);
        double med = pos[n / 2];
        double p999 = pos[Math.min(n - 1, (int) (0.999 * n))];
        if (med >= MD_MEDIAN_MIN * 1e3 * 0.5 && med <= MD_MEDIAN_MAX * 1e3 * 2) {
            throw new DopajException(String.format(Locale.ROOT, "%s: MD median %.3g looks like µm²/ms (10⁻³ mm²/s);"
                    + " DopaJ expects mm²/s: divide the map by 1000", what, med));
        }
        if (med >= MD_MEDIAN_MIN * 1e6 * 0.5 && med <= MD_MEDIAN_MAX * 1e6 * 2) {
            throw new DopajException(String.format(Locale.ROOT, "%s: MD median %.3g looks like 10⁻⁶ mm²/s; DopaJ"
                    + " expects mm²/s: divide the map by 10⁶", what, med));
        }
        if (med < MD_MEDIAN_MIN || med > MD_MEDIAN_MAX || p999 > MD_MAX) {
            throw new DopajException(String.format(Locale.ROOT, "%s: MD median %.3g mm²/s (99.9th percentile %.3g) is"
                    + " outside the physiological range (median %.0e…%.0e, values ≤ %.0e mm²/s): is this an MD map?",
                    what, med, p999, MD_MEDIAN_MIN, MD_MEDIAN_MAX, MD_MAX));
        }
        if (min < 0) {
            throw new DopajException(String.format(Locale.ROOT, "%s: MD map has negative values (down to %.3g):"
                    + " diffusivity cannot be negative", what, min));
        }
        return new Checked(m, w);
    }

    /** Refuses GD and MD maps of different grids (before any resampling). */
    public static void sameGrid(Volume gd, Volume md) {
        if (gd.nx() != md.nx() || gd.ny() != md.ny() || gd.nz() != md.nz() || !gd.grid().sameAs(md.grid(), 0.01)) {
            throw new DopajException("GD and MD maps are on different grids (GD " + gd.nx() + "×" + gd.ny() + "×"
                    + gd.nz() + " " + gd.grid().orientation() + ", MD " + md.nx() + "×" + md.ny() + "×" + md.nz() + " "
                    + md.grid().orientation() + "): give both on the MNI152 2 mm grid");
        }
    }

    /** A finite 3D volume on the MNI 2 mm grid (exactly; no resampling), e.g. a normal-database volume. */
    public static Volume basicMni(Volume v, String what) {
        basic(v, what);
        if (v.nx() != MsaCnn.NX || v.ny() != MsaCnn.NY || v.nz() != MsaCnn.NZ
                || !v.grid().sameAs(HeadPhantom.mni2mm(), 1.0)) {
            throw new DopajException(what + ": not on the MNI152 2 mm grid (91×109×91)");
        }
        return v;
    }

    private static Volume basic(Volume v, String what) {
        if (v.is4D()) {
            throw new DopajException(what + ": expected a 3D map, got " + v.nt() + " frames");
        }
        String bad = v.firstNonFinite();
        if (bad != null) {
            throw new DopajException(what + ": non-finite value (NaN or infinity) at " + bad
                    + "; set voxels outside the brain to 0");
        }
        return v;
    }

    /** The map on the MNI 2 mm grid: as is, resampled from another MNI grid, or refused. */
    static Volume onMni(Volume v, String what, List<String> warnings) {
        Grid mni = HeadPhantom.mni2mm();
        if (v.nx() == mni.nx() && v.ny() == mni.ny() && v.nz() == mni.nz()) {
            if (v.grid().sameAs(mni, 1.0)) {
                return v;
            }
            throw new DopajException(what + ": 91×109×91 but not the MNI152 2 mm affine (" + v.grid().orientation()
                    + "); is the map normalised to MNI?");
        }
        // another grid: accepted only when it covers the MNI box with axis-aligned voxels (another MNI grid)
        double[] lo = mni.toMm(0, 0, 0);
        double[] hi = mni.toMm(mni.nx() - 1, mni.ny() - 1, mni.nz() - 1);
        double[] a = v.grid().toMm(0, 0, 0);
        double[] b = v.grid().toMm(v.nx() - 1, v.ny() - 1, v.nz() - 1);
        boolean covers = true;
        for (int d = 0; d < 3; d++) {
            double l = Math.min(lo[d], hi[d]);
            double h = Math.max(lo[d], hi[d]);
            double vl = Math.min(a[d], b[d]);
            double vh = Math.max(a[d], b[d]);
            covers &= vl <= l + 10 && vh >= h - 10 && (vh - vl) <= (h - l) + 60;
        }
        if (!covers) {
            throw new DopajException(String.format(Locale.ROOT, "%s: %d×%d×%d grid is not an MNI grid (field of view"
                    + " does not match the MNI152 box): normalise the map to MNI first (dopaj gm-density / dopaj md"
                    + " write MNI 2 mm maps)", what, v.nx(), v.ny(), v.nz()));
        }
        warnings.add(String.format(Locale.ROOT, "%s resampled from a %d×%d×%d MNI grid (%.2g mm) onto the MNI152 2 mm"
                + " grid", what, v.nx(), v.ny(), v.nz(), v.grid().voxelMm()[0]));
        return Resample.toGrid(v, mni, Resample.Interpolation.LINEAR, 0);
    }
}
