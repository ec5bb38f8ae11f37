package org.dopaj.commands;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * Named overlay groups on one image, so that DopaJ's layers add up instead of replacing each other: each command
 * replaces only its own group (ROIs whose name starts with the group's name) — the VOIs of Quantify SBR
 * ({@value #VOIS}), the CAM of Classify ({@value #CAM}, drawn under the VOI outlines), legends, the orientation
 * letters — and leaves the rest, including the user's own ROIs, alone.
 */
final class Overlays {
    static final String VOIS = "DopaJ VOIs";
    static final String CAM = "DopaJ CAM";

    private Overlays() {
    }

    /**
     * Replaces group {@code group} of {@code imp}'s overlay by the ROIs of {@code add} (renamed with the group
     * prefix where needed). Layers from the bottom: the CAM, then legends, then everything else (VOI outlines,
     * orientation letters, the user's ROIs), so outlines stay visible over a colour map or a legend box.
     */
    static void replace(ImagePlus imp, String group, Overlay add) {
        Overlay old = imp.getOverlay();
        java.util.List<Roi> all = new java.util.ArrayList<>();
        if (old != null) {
            for (Roi r : old.toArray()) {
                if (!Viewer.inGroup(r, group)) {
                    all.add(r);
                }
            }
        }
        Overlay named = new Overlay();
        addAll(named, add, group);
        all.addAll(java.util.Arrays.asList(named.toArray()));
        all.sort(java.util.Comparator.comparingInt(Overlays::layer)); // stable: order within a layer is kept
        Overlay o = new Overlay();
        all.forEach(o::add);
        imp.setOverlay(o);
    }

    private static int layer(Roi r) {
        return Viewer.inGroup(r, CAM) ? 0 : Viewer.inGroup(r, Legends.GROUP) ? 1 : 2;
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
