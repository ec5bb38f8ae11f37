package org.dopaj.commands;

import ij.ImagePlus;
import java.io.File;
import org.dopaj.io.ImagePlusBridge;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava command for scripts and {@code CommandService}: opens a NIfTI, DICOM or TIFF volume as an ImagePlus
 * (as Plugins›DopaJ›Open Volume... does) and returns its orientation code. No menu entry: the ImageJ 1 menu
 * commands in plugins.config are the menus, so Fiji shows each command once.
 */
@Plugin(type = Command.class, name = "dopaj.open-volume", label = "Open Volume (DopaJ)", headless = true)
public class OpenVolumeCommand implements Command {
    @Parameter(label = "file", style = "open")
    private File file;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus image;

    @Parameter(type = ItemIO.OUTPUT)
    private String orientation;

    @Override
    public void run() {
        if (file == null) {
            throw new org.dopaj.DopajException("parameter file is missing");
        }
        image = ImportNifti.open(file.toPath(), true, Viewer.convention(), null);
        orientation = ImagePlusBridge.gridOf(image).orientation();
    }
}
