package org.dopaj.spect.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The backprojector is the exact adjoint of the projector (⟨Ax, y⟩ = ⟨x, Aᵀy⟩), which OSEM relies on. */
class ProjectorTest {
    @Test
    void backprojectionIsTheAdjoint() {
        ScannerGeometry geo = ScannerGeometry.of(48, 4, 36, 10, 9);
        double[] angles = SpectCamera.angles(12);
        SplittableRandom r = new SplittableRandom(5);
        float[][] x = geo.newImage();
        float[][] mu = geo.newImage();
        for (int k = 0; k < x.length; k++) {
            for (int z = 0; z < geo.nz; z++) {
                x[k][z] = (float) r.nextDouble();
                mu[k][z] = (float) (0.2 * r.nextDouble());
            }
        }
        for (Collimator col : new Collimator[]{null, Collimator.LEHR, Collimator.ME}) {
            Projector p = new Projector(geo, angles, col, 140);
            float[][] att = p.newImage();
            for (int a = 0; a < angles.length; a += 5) {
                for (boolean useMu : new boolean[]{false, true}) {
                    float[][] y = new float[geo.matrix][geo.nz];
                    for (int b = p.firstBin(); b < p.firstBin() + p.binCount(); b++) {
                        for (int z = 0; z < geo.nz; z++) {
                            y[b][z] = (float) r.nextDouble();
                        }
                    }
                    float[][] a2 = null;
                    if (useMu) {
                        p.attenuation(mu, a, att);
                        a2 = att;
                    }
                    float[][] ax = new float[geo.matrix][geo.nz];
                    p.forward(x, a2, a, ax);
                    float[][] aty = geo.newImage();
                    p.back(y, a2, a, aty);
                    double lhs = 0;
                    double rhs = 0;
                    for (int b = 0; b < geo.matrix; b++) {
                        for (int z = 0; z < geo.nz; z++) {
                            lhs += (double) ax[b][z] * y[b][z];
                        }
                    }
                    for (int k = 0; k < x.length; k++) {
                        for (int z = 0; z < geo.nz; z++) {
                            rhs += (double) x[k][z] * aty[k][z];
                        }
                    }
                    assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs), col + ", angle " + a + ", μ " + useMu);
                }
            }
        }
    }
}
