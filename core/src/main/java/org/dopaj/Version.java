package org.dopaj;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** DopaJ's version and the notice every report carries. */
public final class Version {
    /** Printed on every report, table and JSON result. */
    public static final String NOTICE = "Research use only: not a medical device, not for diagnosis.";

    private Version() {
    }

    /** The Maven project version, from the jar's build metadata ("dev" when run from classes). */
    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/dopaj-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }
}
