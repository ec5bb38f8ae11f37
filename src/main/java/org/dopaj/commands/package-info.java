/**
 * The Fiji/ImageJ face: ImageJ 1 plugins named in {@code plugins.config} and their SciJava twins, thin layers that
 * turn images and dialogs into calls of the capability packages and show the results (tables, overlays, logs).
 */
package org.dopaj.commands;
