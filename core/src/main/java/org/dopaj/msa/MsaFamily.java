package org.dopaj.msa;

import java.nio.file.Path;
import org.dopaj.DopajException;

/**
 * A phantom generator family: one anatomy source ({@link MsaAnatomy}) and one set of variability and disease
 * parameters ({@link MsaPhantom.Params}). {@link #AAL} is the training family; {@link #ICBM} is built differently in
 * every part (tissue maps, region definitions, deformation model, tissue MD values, noise and blur, disease shapes and
 * severity distribution) and is left out of training: it is the check on data we did not shape.
 */
public enum MsaFamily {
    AAL("aal"),
    ICBM("icbm");

    private final String id;

    MsaFamily(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public MsaAnatomy anatomy(Path shared) {
        return this == AAL ? MsaAnatomy.aal(shared) : MsaAnatomy.icbm(shared);
    }

    public MsaPhantom.Params params() {
        return this == AAL ? MsaPhantom.Params.FAMILY_A : MsaPhantom.Params.FAMILY_B;
    }

    public static MsaFamily parse(String s) {
        for (MsaFamily f : values()) {
            if (f.id.equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new DopajException("unknown phantom family '" + s + "' (aal or icbm)");
    }
}
