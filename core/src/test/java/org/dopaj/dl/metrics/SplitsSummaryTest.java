package org.dopaj.dl.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;

class SplitsSummaryTest {

    @Test
    void repeatedSplitsPartitionAndAreDeterministic() {
        List<Splits.Split> a = Splits.repeated(10, 5, 42, 0.6, 0.2, 0.2);
        List<Splits.Split> b = Splits.repeated(10, 5, 42, 0.6, 0.2, 0.2);
        List<Splits.Split> c = Splits.repeated(10, 5, 43, 0.6, 0.2, 0.2);
        assertEquals(5, a.size());
        boolean anyDifferentRepeat = false;
        boolean anyDifferentSeed = false;
        for (int r = 0; r < 5; r++) {
            Splits.Split s = a.get(r);
            assertEquals(r, s.repeat());
            assertEquals(6, s.train().length);
            assertEquals(2, s.validation().length);
            assertEquals(2, s.test().length);
            int[] all = IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())),
                    Arrays.stream(s.test())).sorted().toArray();
            assertArrayEquals(IntStream.range(0, 10).toArray(), all, "parts must be disjoint and cover everyone");
            assertArrayEquals(s.test(), b.get(r).test());
            assertArrayEquals(s.train(), b.get(r).train());
            anyDifferentSeed |= !Arrays.equals(s.test(), c.get(r).test());
            if (r > 0) {
                anyDifferentRepeat |= !Arrays.equals(s.test(), a.get(0).test());
            }
        }
        assertTrue(anyDifferentRepeat, "repeats must differ");
        assertTrue(anyDifferentSeed, "another seed must give other splits");
        // rounding: n = 7 → test round(1.4) = 1, validation 1, train 5
        Splits.Split s7 = Splits.repeated(7, 1, 1, 0.6, 0.2, 0.2).get(0);
        assertEquals(5, s7.train().length);
        assertEquals(1, s7.validation().length);
        assertEquals(1, s7.test().length);
    }

    @Test
    void stratifiedKeepsClassBalance() {
        int[] labels = new int[30];
        Arrays.fill(labels, 0, 10, 1); // 10 Parkinsonian, 20 controls
        for (Splits.Split s : Splits.repeatedStratified(labels, 4, 3, 0.6, 0.2, 0.2)) {
            assertEquals(2, count(s.test(), labels, 1));
            assertEquals(4, count(s.test(), labels, 0));
            assertEquals(2, count(s.validation(), labels, 1));
            assertEquals(6, count(s.train(), labels, 1));
            assertEquals(12, count(s.train(), labels, 0));
        }
    }

    private static long count(int[] idx, int[] labels, int c) {
        return Arrays.stream(idx).filter(i -> labels[i] == c).count();
    }

    @Test
    void splitsRefuseBadFractions() {
        DopajException e = assertThrows(DopajException.class, () -> Splits.repeated(10, 2, 1, 0.6, 0.2, 0.3));
        assertTrue(e.getMessage().contains("sum to 1"));
        assertThrows(DopajException.class, () -> Splits.repeated(10, 0, 1, 0.6, 0.2, 0.2));
    }

    @Test
    void summaryUsesSampleSd() {
        // 1 2 3 4: mean 2.5, Σ(v−m)² = 5, sd = √(5/3) = 1.2909944…
        Summary s = Summary.of(1, 2, 3, 4);
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-15);
        assertEquals("2.50 ± 1.29", s.format(2));
        assertEquals("2.500 ± 1.291 (n = 4)", s.toString());
        Summary one = Summary.of(0.9);
        assertTrue(Double.isNaN(one.sd()));
        assertEquals("0.90 ± n/a", one.format(2));
        assertNull(one.toMap().get("sd"));
        assertFalse(Summary.of(List.of(1, 2)).toString().isEmpty());
        assertThrows(DopajException.class, () -> Summary.of(new double[0]));
    }
}
