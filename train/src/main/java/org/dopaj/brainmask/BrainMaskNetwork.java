package org.dopaj.brainmask;

import java.util.ArrayList;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import static org.dopaj.brainmask.BrainMaskModel.*;

/**
 * The trainable definition of the brain-mask network whose contract (cube, planes, channels, classes) is
 * {@link BrainMaskModel}: the 2.5D DeepLabv3+ that class describes. Training only; inference runs the exported
 * package.
 */
public final class BrainMaskNetwork {
    private BrainMaskNetwork() {
    }


    /** The trainable definition. */
    public static ModelSpec spec() {
        return new ModelSpec(ID, new long[] {SIZE, SIZE, CHANNELS},
                new Task.Segmentation(CLASSES, Task.SegmentationLoss.SOFT_DICE_PLUS_CROSS_ENTROPY), network());
    }


    /** The 2.5D DeepLabv3+ described above. */
    public static Network network() {
        return (net, input) -> {
            long[] s = input.shape().asArray();
            if (s.length != 4) {
                throw new DopajException("the brain-mask network needs [batch,h,w,c], got " + input.shape());
            }
            int h = (int) s[1];
            int w = (int) s[2];
            Operand<TFloat32> stem = net.convBnRelu2d(input, STEM, 3, 1); // full resolution
            Operand<TFloat32> x = stem;
            Operand<TFloat32> low = null;
            int fh = h;
            int fw = w;
            for (int i = 0; i < ENCODER.length; i++) {
                x = bnRelu(net, net.conv2d(x, ENCODER[i], new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false));
                x = bnRelu(net, net.separableConv2d(x, ENCODER[i], 3, 1, false));
                fh = (fh + 1) / 2;
                fw = (fw + 1) / 2;
                if (i == 1) {
                    low = x; // stride 4
                }
            }
            x = bnRelu(net, net.separableConv2d(x, ENCODER[2], 3, 2, false));
            List<Operand<TFloat32>> branches = new ArrayList<>();
            branches.add(bnRelu(net, net.conv2d(x, ASPP, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false)));
            for (int r : RATES) {
                branches.add(bnRelu(net, net.separableConv2d(x, ASPP, 3, r, false)));
            }
            Operand<TFloat32> pool = net.relu(net.conv2d(net.globalAvgPool(x, true), ASPP, 1));
            branches.add(net.upsample2d(pool, fh, fw));
            @SuppressWarnings("unchecked")
            Operand<TFloat32>[] all = branches.toArray(new Operand[0]);
            x = bnRelu(net, net.conv2d(net.concat(all), ASPP, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
                    false));
            int lh = (h + 3) / 4;
            int lw = (w + 3) / 4;
            Operand<TFloat32> lowP = bnRelu(net, net.conv2d(low, LOW, new int[] {1, 1}, new int[] {1, 1},
                    new int[] {1, 1}, false));
            x = net.concat(net.upsample2d(x, lh, lw), lowP);
            x = bnRelu(net, net.separableConv2d(x, ASPP, 3, 1, false));
            x = bnRelu(net, net.separableConv2d(x, ENCODER[0], 3, 1, false));
            x = net.concat(net.upsample2d(x, h, w), stem);
            x = bnRelu(net, net.separableConv2d(x, 24, 3, 1, false));
            return net.conv2d(x, CLASSES, 1);
        };
    }

    private static Operand<TFloat32> bnRelu(NetBuilder net, Operand<TFloat32> x) {
        return net.relu(net.batchNorm(x));
    }
}
