package org.dopaj.commands;

import ij.IJ;
import ij.plugin.PlugIn;
import org.dopaj.Version;

/** Plugins›DopaJ›About DopaJ: version, the research-use notice, and where the documentation is. */
public class About implements PlugIn {
    @Override
    public void run(String arg) {
        String text = "DopaJ " + Version.get() + "\n"
                + "Deep-learning Parkinsonism imaging for Fiji/ImageJ.\n\n"
                + Version.NOTICE + "\n\n"
                + "Bundled networks are trained by the DopaJ developers on generated phantoms and public templates;\n"
                + "see docs/ and each model's card.";
        if (Ij1Adapter.headless()) {
            IJ.log(text);
        } else {
            IJ.showMessage("About DopaJ", text);
        }
    }
}
