package org.dopaj.msa;

/** The diagnostic groups of the phantoms and of the paper: PD and the three MSA phenotypes. */
public enum MsaSubtype {
    /** Parkinson's disease: near-normal GD and MD maps. */
    PD("pd"),
    /** MSA, parkinsonian type: putaminal atrophy (posterior-lateral, asymmetric) and putaminal MD rise. */
    MSA_P("msa-p"),
    /** MSA, cerebellar type: cerebellar and pontine atrophy; MD rise in the pons and middle cerebellar peduncles. */
    MSA_C("msa-c"),
    /** MSA with both patterns. */
    MSA_PC("msa-pc");

    /**
     * Subtype of subject {@code i} of a phantom cohort: of every 12 subjects 6 PD, 3 MSA-P, 2 MSA-C, 1 MSA-PC (the
     * cohorts of training, evaluation and benchmarks).
     */
    public static MsaSubtype ofCohortIndex(int i) {
        int r = i % 12;
        if (r < 6) {
            return PD;
        }
        if (r < 9) {
            return MSA_P;
        }
        return r < 11 ? MSA_C : MSA_PC;
    }

    private final String id;

    MsaSubtype(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean isMsa() {
        return this != PD;
    }
}
