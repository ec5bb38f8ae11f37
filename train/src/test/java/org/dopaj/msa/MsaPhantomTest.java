package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.image.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MsaPhantomTest {
    static MsaAnatomy a;
    static MsaAnatomy b;

    @BeforeAll
    static void load() {
        a = MsaAnatomy.aal(MsaSharedData.dir());
        b = MsaAnatomy.icbm(MsaSharedData.dir());
    }

    static double mean(Volume v, float[] w) {
        double s = 0;
        double n = 0;
        float[] x = v.toArray();
        for (int i = 0; i < x.length; i++) {
            if (w[i] > 0.5f) {
                s += x[i];
                n++;
            }
        }
        return s / n;
    }

    @Test
    void sameSeedSameMaps() {
        MsaPhantom.Subject s1 = MsaPhantom.generate(a, MsaPhantom.Params.FAMILY_A, 42, MsaSubtype.MSA_P);
        MsaPhantom.Subject s2 = MsaPhantom.generate(a, MsaPhantom.Params.FAMILY_A, 42, MsaSubtype.MSA_P);
        assertArrayEquals(s1.gd().toArray(), s2.gd().toArray());
        assertArrayEquals(s1.md().toArray(), s2.md().toArray());
        assertEquals(91, s1.gd().nx());
        assertEquals(109, s1.md().ny());
    }

    @Test
    void diseasePatternsActWhereTheLiteratureSaysInBothFamilies() {
        for (MsaAnatomy an : new MsaAnatomy[] {a, b}) {
            MsaPhantom.Params p = an == a ? MsaPhantom.Params.FAMILY_A : MsaPhantom.Params.FAMILY_B;
            // one seed for every group: same age, fields and residue; only the disease differs
            long seed = 1234;
            MsaPhantom.Subject pd = MsaPhantom.generate(an, p, seed, MsaSubtype.PD);
            MsaPhantom.Subject msaP = MsaPhantom.generate(an, p, seed, MsaSubtype.MSA_P);
            MsaPhantom.Subject msaC = MsaPhantom.generate(an, p, seed, MsaSubtype.MSA_C);
            float[] put = new float[an.map(0).length];
            for (int i = 0; i < put.length; i++) {
                put[i] = Math.max(an.map(MsaAnatomy.PUT_L)[i], an.map(MsaAnatomy.PUT_R)[i]) > 0 ? 1 : 0;
            }
            float[] pons = an.map(MsaAnatomy.PONS);
            float[] cb = an.map(MsaAnatomy.CEREBELLUM);
            assertTrue(msaP.severity() > 0.05, "severity drawn " + msaP.severity());
            assertTrue(mean(msaP.gd(), put) < mean(pd.gd(), put), an.name() + ": MSA-P putaminal GD below PD's");
            assertTrue(mean(msaP.md(), put) > mean(pd.md(), put), an.name() + ": MSA-P putaminal MD above PD's");
            assertTrue(mean(msaC.md(), pons) > mean(pd.md(), pons), an.name() + ": MSA-C pontine MD above PD's");
            assertTrue(mean(msaC.gd(), cb) < mean(pd.gd(), cb), an.name() + ": MSA-C cerebellar GD below PD's");
        }
    }

    @Test
    void wideFamilyDrawsEveryNumberPerSubjectInsideItsRangesAndRepeatsItsSeed() {
        MsaPhantom.Params lo = MsaPhantom.Params.WIDE_LO;
        MsaPhantom.Params hi = MsaPhantom.Params.WIDE_HI;
        java.util.Set<Double> gm = new java.util.HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            MsaPhantom.Params p = MsaFamily.AAL_WIDE.params(seed);
            MsaPhantom.Params again = MsaFamily.AAL_WIDE.params(seed);
            assertArrayEquals(p.mdGm(), again.mdGm(), "the same seed draws the same numbers");
            assertEquals(p.putMdRise(), again.putMdRise());
            assertTrue(p.mdGm()[0] >= lo.mdGm()[0] && p.mdGm()[0] <= hi.mdGm()[0], "GM MD " + p.mdGm()[0]);
            assertTrue(p.mdWm()[0] >= lo.mdWm()[0] && p.mdWm()[0] <= hi.mdWm()[0], "WM MD " + p.mdWm()[0]);
            assertTrue(p.mdBlurMm() >= lo.mdBlurMm() && p.mdBlurMm() <= hi.mdBlurMm());
            assertTrue(p.putLoss() >= lo.putLoss() && p.putLoss() <= hi.putLoss());
            assertTrue(p.waveMm()[0] <= p.waveMm()[1] && p.otherSide()[0] <= p.otherSide()[1], "ranges ordered");
            gm.add(p.mdGm()[0]);
        }
        assertEquals(200, gm.size(), "a new draw per subject");
        // the fixed families stay fixed
        assertEquals(MsaPhantom.Params.FAMILY_A, MsaFamily.AAL.params(1));
        assertEquals(MsaPhantom.Params.FAMILY_A, MsaFamily.AAL.params(2));
        assertEquals(MsaPhantom.Params.FAMILY_B, MsaFamily.ICBM.params(1));
        assertEquals(MsaFamily.AAL_WIDE, MsaFamily.parse("aal-wide"));
        // a wide subject is still diseased where the literature says
        MsaPhantom.Subject pd = MsaPhantom.generate(a, MsaFamily.AAL_WIDE.params(99), 99, MsaSubtype.PD);
        MsaPhantom.Subject msaP = MsaPhantom.generate(a, MsaFamily.AAL_WIDE.params(99), 99, MsaSubtype.MSA_P);
        float[] put = new float[a.map(0).length];
        for (int i = 0; i < put.length; i++) {
            put[i] = Math.max(a.map(MsaAnatomy.PUT_L)[i], a.map(MsaAnatomy.PUT_R)[i]) > 0 ? 1 : 0;
        }
        assertTrue(mean(msaP.md(), put) > mean(pd.md(), put), "MSA-P putaminal MD above PD's");
    }

    @Test
    void colinAnatomyHasTissueAndEveryRegionWhereItBelongs() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(MsaAnatomy.COLIN_BRAIN)
                && java.nio.file.Files.isRegularFile(MsaAnatomy.JHU_LABELS), "mricron-data absent: skipping Colin 27");
        MsaAnatomy c = MsaAnatomy.colin(MsaSharedData.dir());
        org.dopaj.image.Grid g = c.grid();
        double brain = 0;
        for (int i = 0; i < c.brain().length; i++) {
            if (c.brain()[i] > 0) {
                brain++;
                double t = c.map(MsaAnatomy.GM)[i] + c.map(MsaAnatomy.WM)[i] + c.map(MsaAnatomy.CSF)[i];
                assertEquals(1, t, 1e-3, "tissue fractions add up to 1 inside the brain");
            }
        }
        assertTrue(brain * 8 / 1000 > 1200 && brain * 8 / 1000 < 2000, "brain volume mL " + brain * 8 / 1000);
        for (int k = MsaAnatomy.PUT_L; k <= MsaAnatomy.MCP; k++) {
            double ml = 0;
            double x = 0;
            double z = 0;
            for (int i = 0; i < c.map(k).length; i++) {
                if (c.map(k)[i] > 0) {
                    double[] p = g.toMm(i % g.nx(), (i / g.nx()) % g.ny(), i / (g.nx() * g.ny()));
                    ml += 8 / 1000.0;
                    x += p[0];
                    z += p[2];
                }
            }
            x /= ml * 125;
            z /= ml * 125;
            assertTrue(ml > 2 && ml < 250, "region " + k + ": " + ml + " mL");
            if (k == MsaAnatomy.PUT_L) {
                assertTrue(x < -15 && z > -10, "left putamen at x " + x + ", z " + z);
            } else if (k == MsaAnatomy.PUT_R) {
                assertTrue(x > 15 && z > -10, "right putamen at x " + x);
            } else {
                assertTrue(z < -15, "infratentorial region " + k + " at z " + z);
            }
        }
        // the mixed family draws about half its subjects on each anatomy, by seed
        int colin = 0;
        for (long seed = 14_000_000L; seed < 14_000_480L; seed++) {
            colin += MsaFamily.MIXED_WIDE.anatomyIndex(seed);
        }
        assertTrue(colin > 200 && colin < 280, colin + " of 480 on Colin 27");
        assertEquals(0, MsaFamily.AAL_WIDE.anatomyIndex(14_000_001L));
    }

    @Test
    void subtypeMixOfTheDataParts() {
        int[] c = new int[4];
        for (int i = 0; i < 120; i++) {
            c[MsaData.subtypeOf(i).ordinal()]++;
        }
        assertArrayEquals(new int[] {60, 30, 20, 10}, c);
    }
}
