package org.dopaj.wmh;

import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import static org.dopaj.wmh.WmhModel.FILTERS;
import static org.dopaj.wmh.WmhModel.ID;
import static org.dopaj.wmh.WmhModel.NX;
import static org.dopaj.wmh.WmhModel.NY;
import static org.dopaj.wmh.WmhModel.NZ;

/**
 * The trainable definition of the WMH network whose fixed contract (box, intensities, tensor layout) is
 * {@link WmhModel}: the 3D U-Net that class describes. Training only; inference runs the exported package.
 */
public final class WmhNetwork {
    private WmhNetwork() {
    }


    /** The trainable definition. */
    public static ModelSpec spec() {
        return new ModelSpec(ID, new long[] {NX, NY, NZ, 1},
                new Task.Segmentation(2, Task.SegmentationLoss.SOFT_DICE_PLUS_CROSS_ENTROPY), unet(FILTERS, 2));
    }


    /** The 3D U-Net described in the class comment. */
    static Network unet(int[] filters, int classes) {
        int[] f = filters.clone();
        return (net, input) -> {
            int levels = f.length;
            @SuppressWarnings("unchecked")
            Operand<TFloat32>[] skips = new Operand[levels];
            long[][] shapes = new long[levels][];
            Operand<TFloat32> x = input;
            for (int l = 0; l < levels; l++) {
                if (l > 0) {
                    x = net.maxPool3d(x, 2);
                }
                x = net.convBnRelu3d(x, f[l], 3);
                x = net.convBnRelu3d(x, f[l], 3);
                skips[l] = x;
                shapes[l] = NetBuilder.shapeOf(x);
            }
            for (int l = levels - 2; l >= 0; l--) {
                Operand<TFloat32> up = net.upsample3d(x, (int) shapes[l][1], (int) shapes[l][2], (int) shapes[l][3]);
                up = net.conv3d(up, f[l], 1);
                x = net.ops().math.add(up, skips[l]);
                x = net.convBnRelu3d(x, f[l], 3);
                if (l > 0) {
                    x = net.convBnRelu3d(x, f[l], 3);
                }
            }
            return net.conv3d(x, classes, 1);
        };
    }
}
