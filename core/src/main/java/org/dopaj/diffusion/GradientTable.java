package org.dopaj.diffusion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dopaj.DopajException;

/**
 * b-values (s/mm²) and unit gradient directions of a DWI series, one per volume, read from FSL-style text files: the
 * bval file holds N numbers (one line, or one per line); the bvec file holds 3 rows of N numbers (FSL) or N rows of 3
 * (MRtrix/dipy exports; recognised by shape). Directions of b ≈ 0 volumes are ignored (they may be NaN or zero);
 * other directions are normalised to unit length (a length off by more than 10 % is refused).
 */
public record GradientTable(double[] bvals, double[][] bvecs) {
    /** b-values at or below this count as b = 0 (s/mm²). */
    public static final double B0_THRESHOLD = 50;

    public int size() {
        return bvals.length;
    }

    public boolean isB0(int i) {
        return bvals[i] <= B0_THRESHOLD;
    }

    /** Number of b ≈ 0 volumes. */
    public int b0Count() {
        int n = 0;
        for (int i = 0; i < size(); i++) {
            n += isB0(i) ? 1 : 0;
        }
        return n;
    }

    /** Number of distinct non-collinear diffusion-weighted directions (a tensor needs ≥ 6). */
    public int directionCount() {
        List<double[]> d = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (isB0(i)) {
                continue;
            }
            boolean seen = false;
            for (double[] e : d) {
                double dot = Math.abs(e[0] * bvecs[i][0] + e[1] * bvecs[i][1] + e[2] * bvecs[i][2]);
                if (dot > 0.999) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                d.add(bvecs[i]);
            }
        }
        return d.size();
    }

    /** Reads and checks the pair; {@code volumes} is the DWI's frame count (−1: not checked). */
    public static GradientTable read(Path bval, Path bvec, int volumes) {
        List<double[]> rows = numbers(bvec, "bvec");
        List<double[]> bvRows = numbers(bval, "bval");
        double[] b;
        if (bvRows.size() == 1) {
            b = bvRows.get(0);
        } else {
            b = new double[bvRows.size()];
            for (int i = 0; i < b.length; i++) {
                if (bvRows.get(i).length != 1) {
                    throw new DopajException(bval + ": expected one row of b-values or one b-value per line");
                }
                b[i] = bvRows.get(i)[0];
            }
        }
        int n = b.length;
        double[][] g = new double[n][3];
        if (rows.size() == 3 && rows.get(0).length == n && rows.get(1).length == n && rows.get(2).length == n) {
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < 3; a++) {
                    g[i][a] = rows.get(a)[i];
                }
            }
        } else if (rows.size() == n && rows.stream().allMatch(r -> r.length == 3)) {
            for (int i = 0; i < n; i++) {
                g[i] = rows.get(i).clone();
            }
        } else {
            throw new DopajException(bvec + ": expected 3 rows of " + n + " numbers (or " + n
                    + " rows of 3) to match the " + n + " b-values of " + bval.getFileName() + ", got " + rows.size()
                    + " rows of " + (rows.isEmpty() ? 0 : rows.get(0).length));
        }
        boolean anyB0 = false;
        for (double v : b) {
            anyB0 |= v <= B0_THRESHOLD;
        }
        if (!anyB0) {
            throw new DopajException(bval + ": no b = 0 volume (b ≤ " + (int) B0_THRESHOLD + " s/mm²)");
        }
        for (int i = 0; i < n; i++) {
            if (!(b[i] >= 0) || !Double.isFinite(b[i])) {
                throw new DopajException(bval + ": b-value " + (i + 1) + " is " + b[i] + " (must be ≥ 0)");
            }
            if (b[i] <= B0_THRESHOLD) {
                g[i] = new double[3];
                continue;
            }
            double len = Math.sqrt(g[i][0] * g[i][0] + g[i][1] * g[i][1] + g[i][2] * g[i][2]);
            if (!Double.isFinite(len) || Math.abs(len - 1) > 0.1) {
                throw new DopajException(bvec + ": direction " + (i + 1) + " (b = " + b[i] + ") has length "
                        + String.format(Locale.ROOT, "%.3g", len) + ", not a unit vector");
            }
            for (int a = 0; a < 3; a++) {
                g[i][a] /= len;
            }
        }
        GradientTable t = new GradientTable(b, g);
        if (volumes >= 0 && n != volumes) {
            throw new DopajException(bval + ": " + n + " b-values for a DWI of " + volumes + " volumes");
        }
        if (t.b0Count() == 0) {
            throw new DopajException(bval + ": no b = 0 volume (b ≤ " + (int) B0_THRESHOLD + " s/mm²)");
        }
        if (t.directionCount() < 6) {
            throw new DopajException(bvec + ": " + t.directionCount()
                    + " distinct diffusion directions; a tensor fit needs at least 6");
        }
        return t;
    }

    private static List<double[]> numbers(Path f, String what) {
        if (!Files.isRegularFile(f)) {
            throw new DopajException(f + ": no such " + what + " file");
        }
        List<double[]> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] p = t.split("[\\s,]+");
                double[] r = new double[p.length];
                for (int i = 0; i < p.length; i++) {
                    try {
                        // NaN directions of b = 0 volumes are common (dipy/MRtrix exports): allowed, ignored
                        r[i] = p[i].equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(p[i]);
                    } catch (NumberFormatException e) {
                        throw new DopajException(f + ": '" + p[i] + "' is not a number");
                    }
                }
                rows.add(r);
            }
        } catch (IOException e) {
            throw new DopajException(f + ": cannot read (" + e.getMessage() + ")");
        }
        if (rows.isEmpty()) {
            throw new DopajException(f + ": empty " + what + " file");
        }
        return rows;
    }
}
