package org.dopaj.dl.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * A named input or output of a model package: the signature tensor name ({@code id}), its axes in C order
 * (the last axis varies fastest), and its test tensor file with SHA-256.
 */
public record TensorSpec(String id, String description, List<AxisSpec> axes, String testTensor, String testTensorSha256) {

    public TensorSpec {
        axes = List.copyOf(axes);
    }

    /** A spec without test tensor (the writer fills it in). */
    public static TensorSpec of(String id, String description, AxisSpec... axes) {
        return new TensorSpec(id, description, Arrays.asList(axes), null, null);
    }

    /** Index of the axis with this id (or the {@code N}th axis for a number), or -1. */
    public int axisIndex(String idOrNumber) {
        for (int i = 0; i < axes.size(); i++) {
            if (axes.get(i).id().equals(idOrNumber)) {
                return i;
            }
        }
        try {
            int n = Integer.parseInt(idOrNumber.trim());
            return n >= 0 && n < axes.size() ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** E.g. {@code [batch, x=50, y=50, z=20, channel=1]}. */
    public String describeShape() {
        List<String> s = new ArrayList<>();
        for (AxisSpec a : axes) {
            s.add(a.describe());
        }
        return s.toString();
    }

    /** Refuses a shape that does not fit the axes, saying expected vs got. */
    public void checkShape(long[] shape, String what) {
        String why = null;
        if (shape.length != axes.size()) {
            why = "rank " + shape.length + " instead of " + axes.size();
        } else {
            for (int i = 0; i < shape.length && why == null; i++) {
                why = axes.get(i).check(shape[i]);
            }
        }
        if (why != null) {
            throw new DopajException(what + " '" + id + "' has shape " + Arrays.toString(shape) + ", expected "
                    + describeShape() + " (" + why + ")");
        }
    }

    /** A concrete shape for the given batch size, or {@code null} when an axis has no fixed size. */
    public long[] fixedShape(int batch) {
        long[] s = new long[axes.size()];
        for (int i = 0; i < s.length; i++) {
            AxisSpec a = axes.get(i);
            if (a.isBatch()) {
                s[i] = batch;
            } else if (a.size() != null) {
                s[i] = a.size();
            } else {
                return null;
            }
        }
        return s;
    }

    TensorSpec withTestTensor(String file, String sha) {
        return new TensorSpec(id, description, axes, file, sha);
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        if (description != null) {
            m.put("description", description);
        }
        List<Object> ax = new ArrayList<>();
        for (AxisSpec a : axes) {
            ax.add(a.toYaml());
        }
        m.put("axes", ax);
        if (testTensor != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("source", testTensor);
            t.put("sha256", testTensorSha256);
            m.put("test_tensor", t);
        }
        return m;
    }
}
