package org.dopaj.wmh;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.dopaj.cam.ColorMap;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.report.Pictures;

/**
 * Makes docs/img/wmh-heldout.png (not a test) from one case saved by {@code WmhEvaluation --save DIR}: top, the
 * lesioned held-out T1 with the true lesions outlined (yellow); bottom, the network's mask (hot colour map) with the
 * same outline. Run with the test classpath:
 * {@code java -Djava.awt.headless=true -cp "$(./dopaj --classpath)"
 * org.dopaj.wmh.WmhFigure runs/eval/heldout niivue_otsu_20_5300 docs/img/wmh-heldout.png}
 */
public final class WmhFigure {
    private WmhFigure() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String stem = args[1];
        Volume t1 = Nifti.readVolume(dir.resolve(stem + "_t1.nii.gz"));
        Volume truth = Nifti.readVolume(dir.resolve(stem + "_truth.nii.gz"));
        Volume net = Nifti.readVolume(dir.resolve(stem + "_network.nii.gz"));
        BufferedImage a = Pictures.overlayMontage(t1, null, null, 0, truth, null, Pictures.Modality.MRI);
        BufferedImage b = Pictures.overlayMontage(t1, net, ColorMap.of("hot"), 0.7, truth, "network mask",
                Pictures.Modality.MRI);
        BufferedImage o = new BufferedImage(Math.max(a.getWidth(), b.getWidth()), a.getHeight() + b.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = o.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        ImageIO.write(o, "png", Path.of(args[2]).toFile());
        System.out.println("wrote " + args[2]);
    }
}
