package org.dopaj.dl.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

import org.dopaj.DopajException;

/**
 * Samples by index. Implementations load lazily (a supplier, files) so a data set larger than
 * memory can be trained batch by batch; {@link #get} must be repeatable (same index → same sample).
 */
public interface Dataset {

    int size();

    Sample get(int index);

    /** Samples made on demand by {@code supplier} (generated data, phantoms). */
    static Dataset generated(int size, IntFunction<Sample> supplier) {
        if (size < 1) {
            throw new DopajException("data set size must be >= 1, got " + size);
        }
        return new Dataset() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Sample get(int index) {
                if (index < 0 || index >= size) {
                    throw new IndexOutOfBoundsException(index);
                }
                return supplier.apply(index);
            }
        };
    }

    /** Samples held in memory. */
    static Dataset of(List<Sample> samples) {
        List<Sample> copy = List.copyOf(samples);
        return generated(copy.size(), copy::get);
    }

    /** The samples at {@code indices}, in that order. */
    default Dataset subset(int[] indices) {
        int[] idx = indices.clone();
        Dataset parent = this;
        for (int i : idx) {
            if (i < 0 || i >= parent.size()) {
                throw new DopajException("subset index " + i + " outside 0.." + (parent.size() - 1));
            }
        }
        return generated(idx.length, i -> parent.get(idx[i]));
    }

    /** All samples in memory (for small validation sets evaluated every epoch). */
    default Dataset cached() {
        List<Sample> all = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            all.add(get(i));
        }
        return of(all);
    }

    /**
     * A seeded random split: the first {@code round(fraction·n)} of a permutation go to the second
     * part (validation), the rest to the first (training).
     */
    default Dataset[] split(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new DopajException("validation fraction must lie in (0,1), got " + validationFraction);
        }
        int n = size();
        int nVal = (int) Math.round(validationFraction * n);
        if (nVal < 1 || nVal >= n) {
            throw new DopajException("cannot split " + n + " samples with validation fraction " + validationFraction);
        }
        int[] perm = permutation(n, new Random(seed));
        return new Dataset[] {subset(Arrays.copyOfRange(perm, nVal, n)), subset(Arrays.copyOfRange(perm, 0, nVal))};
    }

    /** Fisher–Yates permutation of 0..n-1. */
    static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
