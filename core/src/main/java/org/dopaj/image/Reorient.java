package org.dopaj.image;

import org.dopaj.DopajException;

/**
 * Exact reorientation by permuting and flipping voxel axes (no interpolation), like nibabel's
 * {@code as_closest_canonical}: the voxels are rearranged so that +i, +j, +k point as a three-letter code
 * says (e.g. "RAS": i to the Right, j Anterior, k Superior), and the affine is updated so every voxel keeps
 * its scanner mm position. For an oblique affine, each axis takes the anatomical direction it is closest to
 * ({@link Grid#orientation()}), so the result is the closest canonical one, still oblique. Going back to the
 * original code restores the original voxels and affine exactly.
 */
public final class Reorient {
    private Reorient() {
    }

    /** The volume reoriented to RAS (nibabel's closest canonical). */
    public static Volume toRas(Volume v) {
        return to(v, "RAS");
    }

    /**
     * The volume with voxel axes rearranged to orientation {@code code} (one letter of each pair L/R, P/A, I/S,
     * in any order, case-insensitive). Returns the input itself when it already has that orientation.
     */
    public static Volume to(Volume v, String code) {
        int[][] target = parse(code);
        Grid g = v.grid();
        int[][] source = parse(g.orientation());
        int[] srcAxis = new int[3];
        boolean[] flip = new boolean[3];
        boolean identity = true;
        for (int a = 0; a < 3; a++) {
            int c = 0;
            while (source[c][0] != target[a][0]) {
                c++;
            }
            srcAxis[a] = c;
            flip[a] = source[c][1] != target[a][1];
            identity &= c == a && !flip[a];
        }
        if (identity) {
            return v;
        }
        int[] n = g.dims();
        // target voxel t -> source voxel s: s[srcAxis[a]] = flip ? n-1-t[a] : t[a]
        double[][] p = new double[4][4];
        p[3][3] = 1;
        int[] tn = new int[3];
        double[] vox = new double[3];
        double[] sv = g.voxelMm();
        for (int a = 0; a < 3; a++) {
            int c = srcAxis[a];
            tn[a] = n[c];
            vox[a] = sv[c];
            p[c][a] = flip[a] ? -1 : 1;
            p[c][3] = flip[a] ? n[c] - 1 : 0;
        }
        Grid tg = new Grid(tn[0], tn[1], tn[2], vox, Affines.multiply(g.affine(), p));
        Volume out = Volume.allocate(tg, v.nt());
        // source coordinate of target (0,0,0) and its change per unit step along each target axis
        int[] origin = new int[3];
        int[][] step = new int[3][3];
        for (int a = 0; a < 3; a++) {
            int c = srcAxis[a];
            origin[c] = flip[a] ? n[c] - 1 : 0;
            step[a][c] = flip[a] ? -1 : 1;
        }
        int snx = n[0];
        int tnx = tn[0];
        int tny = tn[1];
        int tnz = tn[2];
        Parallel.chunks(tnz * v.nt(), (from, to) -> {
            for (int q = from; q < to; q++) {
                int t = q / tnz;
                int z = q % tnz;
                float[] dst = out.plane(z, t);
                for (int y = 0; y < tny; y++) {
                    int sx = origin[0] + step[1][0] * y + step[2][0] * z;
                    int sy = origin[1] + step[1][1] * y + step[2][1] * z;
                    int sz = origin[2] + step[1][2] * y + step[2][2] * z;
                    int row = y * tnx;
                    if (step[0][0] != 0) {
                        // target x runs along source x: a contiguous (possibly reversed) row
                        float[] src = v.plane(sz, t);
                        int o = sy * snx + sx;
                        int d = step[0][0];
                        for (int x = 0; x < tnx; x++) {
                            dst[row + x] = src[o + d * x];
                        }
                    } else {
                        for (int x = 0; x < tnx; x++) {
                            dst[row + x] = v.get(sx + step[0][0] * x, sy + step[0][1] * x, sz + step[0][2] * x, t);
                        }
                    }
                }
            }
        });
        return out;
    }

    /** Per voxel axis: {world axis 0=R/L 1=A/P 2=S/I, +1 or −1}; refuses a malformed code. */
    static int[][] parse(String code) {
        if (code == null || code.length() != 3) {
            throw new DopajException("orientation must be three letters like RAS or LPI, got '" + code + "'");
        }
        int[][] r = new int[3][];
        boolean[] seen = new boolean[3];
        for (int i = 0; i < 3; i++) {
            char ch = Character.toUpperCase(code.charAt(i));
            int w;
            int s;
            switch (ch) {
                case 'R': w = 0; s = 1; break;
                case 'L': w = 0; s = -1; break;
                case 'A': w = 1; s = 1; break;
                case 'P': w = 1; s = -1; break;
                case 'S': w = 2; s = 1; break;
                case 'I': w = 2; s = -1; break;
                default:
                    throw new DopajException("orientation '" + code + "' has an unknown letter '" + code.charAt(i)
                            + "' (use L/R, P/A, I/S)");
            }
            if (seen[w]) {
                throw new DopajException("orientation '" + code + "' names the same axis twice");
            }
            seen[w] = true;
            r[i] = new int[]{w, s};
        }
        return r;
    }
}
