package org.dopaj.nigrosome;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import java.nio.file.Path;
import org.dopaj.image.Grid;

/**
 * Draws docs/img/nigrosome-physics-phantom.png: axial slices through the left nigrosome of the realistic SMWI phantom
 * (seed 7), SBR 4, 2.5 and 1 at 3 T with 0.5×0.5×1 mm voxels (top), and the same SBRs at 1.5 T with 0.8×0.8×2 mm
 * (bottom, shown on the 0.5 mm crop grid after DopaJ's resampling). Each panel is the 50×50 crop plane through the
 * centroid, scaled to its own 1–99 % range; anterior up, patient left on the image left.
 * {@code java -cp "$(./dopaj --classpath)" org.dopaj.nigrosome.PhysicsPhantomFigure OUT.png}
 */
public final class PhysicsPhantomFigure {
    private PhysicsPhantomFigure() {
    }

    public static void main(String[] a) {
        double[] sbr = {4, 2.5, 1};
        int w = 50;
        int zoom = 4;
        FloatProcessor out = new FloatProcessor(3 * w * zoom, 2 * w * zoom);
        NigrosomeCropper c = new NigrosomeCropper();
        for (int row = 0; row < 2; row++) {
            Grid g = SmwiPhysicsPhantom.grid(row == 0 ? new double[]{0.5, 0.5, 1} : new double[]{0.8, 0.8, 2});
            for (int col = 0; col < 3; col++) {
                SmwiPhantom.Result r = SmwiPhysicsPhantom.generate(g, sbr[col], sbr[col], 7, row == 0);
                var crop = c.crop(r.smwi(), r.nigrosomes().left()).volume();
                float[] p = crop.plane(10);
                float[] s = p.clone();
                java.util.Arrays.sort(s);
                float lo = s[s.length / 100];
                float hi = s[s.length * 99 / 100];
                for (int y = 0; y < w * zoom; y++) {
                    for (int x = 0; x < w * zoom; x++) {
                        // image row 0 = anterior (largest y index)
                        float v = p[x / zoom + (w - 1 - y / zoom) * w];
                        out.setf(col * w * zoom + x, row * w * zoom + y, Math.max(0, Math.min(1, (v - lo) / (hi - lo))));
                    }
                }
            }
        }
        out.setMinAndMax(0, 1);
        new FileSaver(new ImagePlus("phantom", out.convertToByteProcessor())).saveAsPng(Path.of(a[0]).toString());
    }
}
