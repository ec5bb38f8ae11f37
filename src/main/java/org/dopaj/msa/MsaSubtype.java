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
