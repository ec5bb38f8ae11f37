package org.dopaj.dl.train;

import java.util.Random;

import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Network;
import org.dopaj.dl.graph.Task;

/**
 * Test data: 16³ noisy volumes; class 1 carries a bright Gaussian blob somewhere inside the first
 * octant (z,y,x all < 8), class 0 carries none. Plus the tiny 3D CNN the tests train on it.
 */
public final class BlobData {

    public static final int N = 16;

    private BlobData() {
    }

    /** Sample {@code index} of a data set; {@code salt} separates training from validation sets. */
    public static Sample sample(int index, long salt) {
        Random rng = new Random(salt * 7919 + index);
        int label = index % 2;
        float[] v = new float[N * N * N];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.2 * rng.nextGaussian());
        }
        if (label == 1) {
            double cz = 2 + 4 * rng.nextDouble();
            double cy = 2 + 4 * rng.nextDouble();
            double cx = 2 + 4 * rng.nextDouble();
            for (int z = 0; z < N; z++) {
                for (int y = 0; y < N; y++) {
                    for (int x = 0; x < N; x++) {
                        double r2 = (z - cz) * (z - cz) + (y - cy) * (y - cy) + (x - cx) * (x - cx);
                        v[(z * N + y) * N + x] += (float) Math.exp(-r2 / (2 * 1.5 * 1.5));
                    }
                }
            }
        }
        return new Sample(v, new float[] {label});
    }

    /** conv-BN-ReLU(8) → max-pool 2 → conv-BN-ReLU(16) [CAM] → global mean → dropout → dense(2). */
    public static final Network NETWORK = (net, x) -> {
        x = net.convBnRelu3d(x, 8, 3);
        x = net.maxPool3d(x, 2);
        x = net.convBnRelu3d(x, 16, 3);
        net.markCamLayer(x);
        x = net.globalAvgPool(x);
        x = net.dropout(x, 0.2f);
        return net.dense(x, 2, true);
    };

    public static ModelSpec spec() {
        return new ModelSpec("blob3d", new long[] {N, N, N, 1}, new Task.Classification(2, 1), NETWORK);
    }
}
