package org.dopaj.dl.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dopaj.DopajException;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Ready network definitions that DopaJ's capabilities parameterise: a VGG-style 3D CNN (nigrosome
 * SBR regressor, DaT-SPECT classifier) and a DeepLabv3+-style 2D segmenter (brain mask). Each is a
 * plain {@link Network}, so a capability writes {@code new ModelSpec(name, shape, task,
 * Networks.vgg3d(...))} and a data supplier.
 */
public final class Networks {

    private Networks() {
    }

    /**
     * VGG-style 3D CNN: for each entry of {@code blockFilters}, {@code convsPerBlock} × (3³ conv → batch
     * norm → ReLU), then 2³ max-pooling between blocks; the last block is the Grad-CAM layer; then
     * global average pooling, dropout, an optional hidden dense layer with ReLU, and a dense output
     * layer of {@code outputs} units (class logits or regression values).
     *
     * @param hiddenUnits 0 for none
     */
    public static Network vgg3d(int[] blockFilters, int convsPerBlock, float dropout, int hiddenUnits, int outputs) {
        if (blockFilters == null || blockFilters.length == 0 || convsPerBlock < 1 || outputs < 1 || hiddenUnits < 0) {
            throw new DopajException("vgg3d: need >= 1 block, >= 1 conv per block, >= 1 output; got blocks "
                    + Arrays.toString(blockFilters) + ", convs " + convsPerBlock + ", outputs " + outputs);
        }
        int[] filters = blockFilters.clone();
        return (net, x) -> {
            for (int b = 0; b < filters.length; b++) {
                if (b > 0) {
                    x = net.maxPool3d(x, 2);
                }
                for (int c = 0; c < convsPerBlock; c++) {
                    x = net.convBnRelu3d(x, filters[b], 3);
                }
            }
            net.markCamLayer(x);
            x = net.globalAvgPool(x);
            x = net.dropout(x, dropout);
            if (hiddenUnits > 0) {
                x = net.relu(net.dense(x, hiddenUnits, true));
            }
            return net.dense(x, outputs, true);
        };
    }

    /**
     * DeepLabv3+-style 2D segmenter. Encoder: a 3×3 stem ({@code filters}/2 channels, kept as the
     * low-level features), then {@code downsamplings} stride-2 3×3 convolutions each followed by a
     * separable 3×3 block (output stride 2^downsamplings). ASPP: 1×1, separable atrous 3×3 at each
     * of {@code atrousRates}, and image pooling, concatenated and projected by 1×1. Decoder: bilinear
     * upsampling to the input size, concatenation with the low-level features, two separable 3×3
     * blocks, and a 1×1 classifier to {@code classes} logits. Every block is conv → BN → ReLU.
     * Input height and width are read from the input tensor.
     */
    public static Network deepLabV3Plus(int filters, int downsamplings, int[] atrousRates, int classes) {
        if (filters < 2 || downsamplings < 1 || atrousRates == null || classes < 2) {
            throw new DopajException("deepLabV3Plus: filters >= 2, downsamplings >= 1, rates and >= 2 classes needed");
        }
        int[] rates = atrousRates.clone();
        return (net, input) -> {
            long[] s = input.shape().asArray();
            if (s.length != 4) {
                throw new DopajException("deepLabV3Plus needs a 2D input [batch,h,w,c], got " + input.shape());
            }
            int h = (int) s[1];
            int w = (int) s[2];
            Operand<TFloat32> low = net.convBnRelu2d(input, Math.max(1, filters / 2), 3, 1);
            Operand<TFloat32> x = low;
            int fh = h;
            int fw = w;
            for (int i = 0; i < downsamplings; i++) {
                x = net.relu(net.batchNorm(net.conv2d(x, filters, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                        false)));
                x = net.relu(net.batchNorm(net.separableConv2d(x, filters, 3, 1, false)));
                fh = (fh + 1) / 2;
                fw = (fw + 1) / 2;
            }
            List<Operand<TFloat32>> branches = new ArrayList<>();
            branches.add(net.relu(net.batchNorm(net.conv2d(x, filters, new int[] {1, 1}, new int[] {1, 1},
                    new int[] {1, 1}, false))));
            for (int r : rates) {
                branches.add(net.relu(net.batchNorm(net.separableConv2d(x, filters, 3, r, false))));
            }
            Operand<TFloat32> pool = net.relu(net.conv2d(net.globalAvgPool(x, true), filters, 1));
            branches.add(net.upsample2d(pool, fh, fw));
            @SuppressWarnings("unchecked")
            Operand<TFloat32>[] all = branches.toArray(new Operand[0]);
            x = net.concat(all);
            x = net.relu(net.batchNorm(net.conv2d(x, filters, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
                    false)));
            x = net.concat(net.upsample2d(x, h, w), low);
            x = net.relu(net.batchNorm(net.separableConv2d(x, filters, 3, 1, false)));
            x = net.relu(net.batchNorm(net.separableConv2d(x, filters, 3, 1, false)));
            return net.conv2d(x, classes, 1);
        };
    }
}
