package org.dopaj.msa;

import java.util.List;
import org.dopaj.DopajException;

/** Which maps the network sees: grey-matter density, mean diffusivity, or both as two channels (GD first). */
public enum MsaModality {
    GD("gd", List.of("gd")),
    MD("md", List.of("md")),
    GD_MD("gd-md", List.of("gd", "md"));

    private final String id;
    private final List<String> channels;

    MsaModality(String id, List<String> channels) {
        this.id = id;
        this.channels = channels;
    }

    public String id() {
        return id;
    }

    /** Channel names in input order. */
    public List<String> channels() {
        return channels;
    }

    public int channelCount() {
        return channels.size();
    }

    public boolean usesGd() {
        return channels.contains("gd");
    }

    public boolean usesMd() {
        return channels.contains("md");
    }

    public static MsaModality parse(String s) {
        for (MsaModality m : values()) {
            if (m.id.equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new DopajException("unknown modality '" + s + "' (gd, md or gd-md)");
    }

    /** The modality given which maps are present. */
    public static MsaModality of(boolean gd, boolean md) {
        if (gd && md) {
            return GD_MD;
        }
        if (gd) {
            return GD;
        }
        if (md) {
            return MD;
        }
        throw new DopajException("give a GD map, an MD map or both");
    }
}
