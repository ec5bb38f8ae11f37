package org.dopaj.wmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dopaj.image.Affines;
import org.dopaj.image.Components;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.registration.Registration;

/**
 * Real lesion shapes and locations in MNI space: the hand-drawn lesion labels of the real skull-stripped FLAIR in
 * {@code ../shared/data/realheads/} ({@code niivue_flair_lesion.nii.gz}, labels 1–3 all taken as lesion), brought to
 * MNI by an affine registration of that FLAIR to the skull-stripped MNI152 template ({@link WmhAtlas#template()};
 * mutual information, FLAIR and T1 differ in contrast), resampled on a 1 mm MNI grid over the WMH box, split into
 * 26-connected pieces (fraction ≥ 0.5) of at least {@value #MIN_MM3} mm³. Each piece keeps its fractional map, its
 * centre (MNI mm) and its volume; {@link LesionSynthesis} places them near their own location (jittered, mirrored,
 * rescaled) in the T1 heads. Only their shapes and positions are used — never FLAIR intensities, and no lesion label
 * of any T1.
 */
public final class LesionLibrary {
    static final double MIN_MM3 = 8;
    public static final String FLAIR = "realheads/niivue_flair_skullstripped.nii.gz";
    public static final String LABELS = "realheads/niivue_flair_lesion.nii.gz";

    /** One lesion: fraction map on a 1 mm MNI-aligned grid (RAS axes), its centre and volume. */
    public record Lesion(Grid grid, float[] fraction, double[] centreMm, double volumeMm3) {
        /** Fraction at MNI point (x, y, z) (trilinear; 0 outside). */
        double at(double x, double y, double z) {
            double[] v = grid.toVoxel(x, y, z);
            int nx = grid.nx();
            int ny = grid.ny();
            int nz = grid.nz();
            if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[0] > nx - 1 || v[1] > ny - 1 || v[2] > nz - 1) {
                return 0;
            }
            int x0 = Math.min(nx - 2, (int) v[0]);
            int y0 = Math.min(ny - 2, (int) v[1]);
            int z0 = Math.min(nz - 2, (int) v[2]);
            if (nx < 2 || ny < 2 || nz < 2) {
                return 0;
            }
            double fx = v[0] - x0;
            double fy = v[1] - y0;
            double fz = v[2] - z0;
            double s = 0;
            for (int c = 0; c < 8; c++) {
                int dx = c & 1;
                int dy = (c >> 1) & 1;
                int dz = (c >> 2) & 1;
                double w = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
                s += w * fraction[(x0 + dx) + nx * ((y0 + dy) + ny * (z0 + dz))];
            }
            return s;
        }
    }

    private final List<Lesion> lesions;
    private final double registrationNcc;

    private LesionLibrary(List<Lesion> lesions, double ncc) {
        this.lesions = List.copyOf(lesions);
        this.registrationNcc = ncc;
    }

    /** The lesions. */
    public List<Lesion> lesions() {
        return lesions;
    }

    /**
     * Share of the labels' lesion voxels (fraction ≥ 0.5) in each 10 mm band of MNI z from
     * {@link LesionSynthesis#PROFILE_Z0} (the first and last bands take everything below and above).
     */
    public double[] depthProfile() {
        double[] n = new double[LesionSynthesis.PROFILE_BANDS];
        double sum = 0;
        for (Lesion l : lesions) {
            Grid g = l.grid();
            for (int z = 0; z < g.nz(); z++) {
                for (int y = 0; y < g.ny(); y++) {
                    for (int x = 0; x < g.nx(); x++) {
                        if (l.fraction()[x + g.nx() * (y + g.ny() * z)] >= 0.5f) {
                            n[LesionSynthesis.band(g.toMm(x, y, z)[2])]++;
                            sum++;
                        }
                    }
                }
            }
        }
        for (int k = 0; k < n.length; k++) {
            n[k] /= Math.max(1, sum);
        }
        return n;
    }

    /** NCC of the FLAIR → MNI152 registration (FLAIR vs T1: low by nature; reported, not checked). */
    public double registrationNcc() {
        return registrationNcc;
    }

    /** Builds the library from {@code shared} (the folder holding realheads/). */
    public static LesionLibrary build(Path shared) {
        Volume flair = ImageFiles.read(shared.resolve(FLAIR));
        Volume labels = ImageFiles.read(shared.resolve(LABELS));
        WmhAtlas atlas = WmhAtlas.load();
        Registration.Options o = Registration.Options.defaults().withMetric(Registration.Metric.MUTUAL_INFORMATION)
                .withMinNcc(-1);
        Registration.Result r = Registration.register(flair, atlas.template(), o);
        Volume bin = labels.copy();
        for (float[] p : bin.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] > 0 ? 1 : 0;
            }
        }
        double[][] box1 = {{1, 0, 0, WmhModel.ORIGIN_MM[0] - 0.5}, {0, 1, 0, WmhModel.ORIGIN_MM[1] - 0.5},
            {0, 0, 1, WmhModel.ORIGIN_MM[2] - 0.5}, {0, 0, 0, 1}};
        Grid mni1 = new Grid(WmhModel.NX * 2, WmhModel.NY * 2, WmhModel.NZ * 2, new double[] {1, 1, 1}, box1);
        Grid inNative = Grid.fromAffine(mni1.nx(), mni1.ny(), mni1.nz(),
                Affines.multiply(r.fixedToMoving().matrix(), mni1.affine()));
        Volume frac = Resample.toGrid(bin, inNative, Resample.Interpolation.LINEAR, 0).withGrid(mni1);
        Volume thr = frac.copy();
        for (float[] p : thr.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] >= 0.5f ? 1 : 0;
            }
        }
        Components.Labels lab = Components.label(thr, 26);
        List<Lesion> out = new ArrayList<>();
        for (int l = 1; l <= lab.count(); l++) {
            if (lab.sizes()[l] < MIN_MM3) {
                continue;
            }
            int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
            int[] hi = {-1, -1, -1};
            double[] c = new double[3];
            for (int z = 0; z < mni1.nz(); z++) {
                for (int y = 0; y < mni1.ny(); y++) {
                    for (int x = 0; x < mni1.nx(); x++) {
                        if (lab.get(x, y, z) == l) {
                            lo[0] = Math.min(lo[0], x);
                            lo[1] = Math.min(lo[1], y);
                            lo[2] = Math.min(lo[2], z);
                            hi[0] = Math.max(hi[0], x);
                            hi[1] = Math.max(hi[1], y);
                            hi[2] = Math.max(hi[2], z);
                            c[0] += x;
                            c[1] += y;
                            c[2] += z;
                        }
                    }
                }
            }
            long n = lab.sizes()[l];
            int[] d = new int[3];
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.max(0, lo[a] - 2);
                hi[a] = Math.min(mni1.dims()[a] - 1, hi[a] + 2);
                d[a] = hi[a] - lo[a] + 1;
            }
            float[] f = new float[d[0] * d[1] * d[2]];
            double sum = 0;
            for (int z = 0; z < d[2]; z++) {
                for (int y = 0; y < d[1]; y++) {
                    for (int x = 0; x < d[0]; x++) {
                        int gx = x + lo[0];
                        int gy = y + lo[1];
                        int gz = z + lo[2];
                        int other = lab.get(gx, gy, gz);
                        if (other != 0 && other != l) {
                            continue;
                        }
                        float v = frac.get(gx, gy, gz);
                        f[x + d[0] * (y + d[1] * z)] = v;
                        sum += v;
                    }
                }
            }
            double[][] a = mni1.affine();
            for (int r0 = 0; r0 < 3; r0++) {
                a[r0][3] += a[r0][0] * lo[0] + a[r0][1] * lo[1] + a[r0][2] * lo[2];
            }
            Grid g = new Grid(d[0], d[1], d[2], new double[] {1, 1, 1}, a);
            double[] centre = mni1.toMm(c[0] / n, c[1] / n, c[2] / n);
            out.add(new Lesion(g, f, centre, sum));
        }
        return new LesionLibrary(out, r.ncc());
    }
}
