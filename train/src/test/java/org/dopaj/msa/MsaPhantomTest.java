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
    void subtypeMixOfTheDataParts() {
        int[] c = new int[4];
        for (int i = 0; i < 120; i++) {
            c[MsaData.subtypeOf(i).ordinal()]++;
        }
        assertArrayEquals(new int[] {60, 30, 20, 10}, c);
    }
}
