package org.dopaj.msa;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dopaj.DopajException;

/**
 * A phantom generator family: one anatomy source ({@link MsaAnatomy}) and one set of variability and disease
 * parameters ({@link MsaPhantom.Params}). {@link #AAL} is the training family; {@link #ICBM} is built differently in
 * every part (tissue maps, region definitions, deformation model, tissue MD values, noise and blur, disease shapes and
 * severity distribution) and is left out of training: it is the check on data we did not shape. {@link #AAL_WIDE} is
 * family A's anatomy with every number drawn per subject from wide ranges ({@link MsaPhantom.Params#WIDE_LO} …
 * {@link MsaPhantom.Params#WIDE_HI}): a training family that does not teach one scanner's tissue values.
 * {@link #MIXED_WIDE} draws the same wide numbers on two anatomies, family A's and Colin 27's
 * ({@link MsaAnatomy#colin}: another brain, another segmentation, other atlases), half of the subjects each: a training
 * family that does not teach one template's anatomy either. Neither uses anything of family B's anatomy.
 */
public enum MsaFamily {
    AAL("aal"),
    ICBM("icbm"),
    AAL_WIDE("aal-wide"),
    MIXED_WIDE("mixed-wide");

    private final String id;

    MsaFamily(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The anatomy whose regions and tissue reference a network of this family uses (family A's for training families). */
    public MsaAnatomy anatomy(Path shared) {
        return this == ICBM ? MsaAnatomy.icbm(shared) : MsaAnatomy.aal(shared);
    }

    /**
     * Every anatomy the family's subjects are drawn on, {@link #anatomy} first; subject {@code seed} uses
     * {@link #anatomyIndex}.
     */
    public MsaAnatomy[] anatomies(Path shared) {
        return this == MIXED_WIDE ? new MsaAnatomy[] {MsaAnatomy.aal(shared), MsaAnatomy.colin(shared)}
                : new MsaAnatomy[] {anatomy(shared)};
    }

    /** Which of {@link #anatomies} subject {@code seed} is drawn on (a hash of the seed: no link to its subtype). */
    public int anatomyIndex(long seed) {
        return this == MIXED_WIDE ? (int) ((seed * 0x9E3779B97F4A7C15L) >>> 63) : 0;
    }

    /** The numbers of subject {@code seed}: fixed for {@link #AAL} and {@link #ICBM}, drawn per subject otherwise. */
    public MsaPhantom.Params params(long seed) {
        return switch (this) {
            case AAL -> MsaPhantom.Params.FAMILY_A;
            case ICBM -> MsaPhantom.Params.FAMILY_B;
            // a stream of its own, so that the subject's other draws (MsaPhantom.generate) stay those of its seed
            case AAL_WIDE, MIXED_WIDE -> MsaPhantom.Params.between(MsaPhantom.Params.WIDE_LO, MsaPhantom.Params.WIDE_HI,
                    new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x57494445L));
        };
    }

    public static MsaFamily parse(String s) {
        for (MsaFamily f : values()) {
            if (f.id.equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new DopajException("unknown phantom family '" + s + "' (aal, icbm, aal-wide or mixed-wide)");
    }
}
