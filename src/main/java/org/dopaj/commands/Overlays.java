package org.dopaj.commands;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * Named overlay groups on one image, so that DopaJ's layers add up instead of replacing each other: each command
 * replaces only its own group (ROIs whose name starts with the group's name) — the VOIs of Quantify SBR
 * ({@value #VOIS}), the CAM of Classify ({@value #CAM}, drawn under the VOI outlines), the orientation letters — and
 * leaves the rest, including the user's own ROIs, alone.
 */
final class Overlays {
    static final String VOIS = "DopaJ VOIs";
    static final String CAM = "DopaJ CAM";

    private Overlays() {
    }

    /**
     * Replaces group {@code group} of {@code imp}'s overlay by the ROIs of {@code add} (renamed with the group
     * prefix where needed). A CAM group goes under everything else, so outlines and letters stay visible.
     */
    static void replace(ImagePlus imp, String group, Overlay add) {
        Overlay old = imp.getOverlay();
        Overlay o = new Overlay();
        boolean under = group.equals(CAM);
        if (under) {
            addAll(o, add, group);
        }
        if (old != null) {
            for (Roi r : old.toArray()) {
                if (!Viewer.inGroup(r, group)) {
                    o.add(r);
                }
            }
        }
        if (!under) {
            addAll(o, add, group);
        }
        imp.setOverlay(o);
    }

    private static void addAll(Overlay o, Overlay add, String group) {
        for (Roi r : add.toArray()) {
            if (!Viewer.inGroup(r, group)) {
                r.setName(group + " " + (r.getName() == null ? "" : r.getName()));
            }
            o.add(r);
        }
    }

    /** How many ROIs of group {@code group} the image's overlay holds. */
    static int count(ImagePlus imp, String group) {
        Overlay o = imp.getOverlay();
        int n = 0;
        if (o != null) {
            for (Roi r : o.toArray()) {
                if (Viewer.inGroup(r, group)) {
                    n++;
                }
            }
        }
        return n;
    }
}
