package org.dopaj.brainmask;

import java.nio.file.Path;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.plugin.MontageMaker;
import ij.process.ImageProcessor;
import org.dopaj.commands.BrainMaskCommand;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.io.Nifti;

/**
 * Makes docs/img/brain-mask-mni152.png (not a test): the MNI152 2 mm head through Plugins›DopaJ›Brain Mask's
 * core ({@link BrainMaskCommand#compute}) — axial slice 50 with the mask outline overlay, and the 49-interval
 * pseudo-colour view of the same slice. Run with the test classpath:
 * {@code java -Djava.awt.headless=true -cp "$(./dopaj --classpath)"
 * org.dopaj.brainmask.BrainMaskFigure ../shared/data docs/img/brain-mask-mni152.png}
 */
public final class BrainMaskFigure {
    private BrainMaskFigure() {
    }

    public static void main(String[] args) {
        Path shared = Path.of(args[0]);
        ImagePlus head = ImagePlusBridge.toImagePlus(Nifti.readVolume(shared.resolve(TissueMaps.MNI_HEAD)), "MNI152");
        BrainMaskCommand.Output o = BrainMaskCommand.compute(head, 1, 49, 0, 0, false, true, true);
        int z = 50;
        ImagePlus outline = o.outline();
        outline.setSlice(z);
        outline.setDisplayRange(0, 9000);
        ImageProcessor a = outline.flatten().getProcessor();
        ImagePlus pc = o.pseudoColour();
        pc.setSlice(z);
        ImageProcessor b = new ImagePlus("", pc.getStack().getProcessor(z).convertToRGB()).getProcessor();
        ImageStack st = new ImageStack(a.getWidth(), a.getHeight());
        a.flipVertical(); // radiological display: anterior up
        b.flipVertical();
        st.addSlice(a);
        st.addSlice(b);
        ImagePlus m = new MontageMaker().makeMontage2(new ImagePlus("", st), 2, 1, 3.0, 1, 2, 1, 0, false);
        new FileSaver(m).saveAsPng(args[1]);
        System.out.printf("volume %.1f mL; wrote %s%n", o.result().volumeMl(), args[1]);
    }
}
