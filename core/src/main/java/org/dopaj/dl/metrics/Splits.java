package org.dopaj.dl.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.dopaj.DopajException;

/**
 * Repeated random train/validation/test splits of n subjects (e.g. 10 repeats of 60/20/20 %), optionally
 * stratified by label so each part keeps the class balance. Deterministic for a seed on every JVM: the
 * shuffles use {@link java.util.Random}, whose algorithm is fixed by the Java specification.
 *
 * <p>Sizes: test = round(n·fTest), validation = round(n·fVal), train = the rest (per class when
 * stratified). Each index set is returned sorted ascending.
 */
public final class Splits {
    private Splits() {
    }

    /** One split: the repeat number (0-based) and sorted subject indices of each part. */
    public record Split(int repeat, int[] train, int[] validation, int[] test) {
    }

    /** {@code k} random splits of subjects 0…n−1 in the given fractions (which must sum to 1). */
    public static List<Split> repeated(int n, int k, long seed, double fTrain, double fVal, double fTest) {
        if (n <= 0) {
            throw new DopajException("number of subjects must be positive, got " + n);
        }
        return repeatedStratified(new int[n], k, seed, fTrain, fVal, fTest);
    }

    /**
     * {@code k} random splits stratified by {@code labels} (any integer class codes): each class is split in
     * the given fractions separately and the parts are merged.
     */
    public static List<Split> repeatedStratified(int[] labels, int k, long seed, double fTrain, double fVal,
                                                 double fTest) {
        checkFractions(fTrain, fVal, fTest);
        if (k <= 0) {
            throw new DopajException("number of repeats must be positive, got " + k);
        }
        if (labels.length == 0) {
            throw new DopajException("no subjects to split");
        }
        int[] classes = Arrays.stream(labels).distinct().sorted().toArray();
        Random rnd = new Random(seed);
        List<Split> out = new ArrayList<>(k);
        for (int r = 0; r < k; r++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> val = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int c : classes) {
                int[] members = indicesOf(labels, c);
                shuffle(members, rnd);
                int m = members.length;
                int nTest = (int) Math.round(m * fTest);
                int nVal = (int) Math.round(m * fVal);
                if (nTest + nVal > m) {
                    nVal = m - nTest;
                }
                for (int i = 0; i < m; i++) {
                    (i < nTest ? test : i < nTest + nVal ? val : train).add(members[i]);
                }
            }
            out.add(new Split(r, sorted(train), sorted(val), sorted(test)));
        }
        return out;
    }

    private static void checkFractions(double a, double b, double c) {
        if (!(a >= 0 && b >= 0 && c >= 0) || Math.abs(a + b + c - 1) > 1e-9) {
            throw new DopajException("split fractions must be non-negative and sum to 1, got train " + a + ", validation "
                    + b + ", test " + c);
        }
    }

    private static int[] indicesOf(int[] labels, int c) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
    }

    /** Fisher–Yates shuffle. */
    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] sorted(List<Integer> l) {
        int[] a = l.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
