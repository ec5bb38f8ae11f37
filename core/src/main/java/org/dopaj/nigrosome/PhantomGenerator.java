package org.dopaj.nigrosome;

import java.util.Locale;
import org.dopaj.DopajException;

/**
 * The SMWI phantom generators: {@code physics} ({@link SmwiPhysicsPhantom}: SMWI formation from tissue χ, R2* and PD,
 * texture from real GRE, 3 T and 1.5 T, several voxel sizes; what DopaJ's own regressor is trained on) and {@code box}
 * ({@link SmwiPhantom}: the first, piecewise-constant generator; kept as the "other generator" the applicability check
 * is tested against).
 */
public enum PhantomGenerator {
    PHYSICS("physics"), BOX("box");

    private final String label;

    PhantomGenerator(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** A phantom with these SBRs. */
    public SmwiPhantom.Result generate(double sbrLeft, double sbrRight, long seed) {
        return this == PHYSICS ? SmwiPhysicsPhantom.generate(sbrLeft, sbrRight, seed)
                : SmwiPhantom.generate(sbrLeft, sbrRight, seed);
    }

    /** A phantom with SBRs drawn from the seed (target 0.8–4.2, asymmetry up to 30 %). */
    public SmwiPhantom.Result random(long seed) {
        return this == PHYSICS ? SmwiPhysicsPhantom.random(seed) : SmwiPhantom.random(seed);
    }

    /** {@code physics} or {@code box}. */
    public static PhantomGenerator parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (PhantomGenerator g : values()) {
            if (g.label.equals(v)) {
                return g;
            }
        }
        throw new DopajException("phantom generator must be physics or box, got '" + s + "'");
    }
}
