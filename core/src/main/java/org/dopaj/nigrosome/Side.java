package org.dopaj.nigrosome;

/**
 * Patient side of a nigrosome-1. LEFT is the patient's left, which in the NIfTI scanner frame (RAS+: +x
 * points to the patient's right) is the side with the smaller x in mm, whatever the display orientation.
 */
public enum Side {
    LEFT, RIGHT;

    /** Lower-case name as used in parameters and JSON ("left", "right"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
