/**
 * Class-activation maps for display: normalisation and upsampling of a network's CAM, colour maps, and ImageJ
 * overlays with colour bars.
 */
package org.dopaj.cam;
