package org.dopaj.msa;

import org.dopaj.DopajException;

/** The three binary tasks of the paper; class 0 is always PD, class 1 the MSA group of the task. */
public enum MsaTask {
    /** PD vs every MSA subtype. */
    MSA("msa", "MSA"),
    /** PD vs MSA-P. */
    MSA_P("msa-p", "MSA-P"),
    /** PD vs MSA-C and MSA-PC together. */
    MSA_C("msa-c", "MSA-C&PC");

    private final String id;
    private final String msaLabel;

    MsaTask(String id, String msaLabel) {
        this.id = id;
        this.msaLabel = msaLabel;
    }

    /** The CLI spelling: msa, msa-p, msa-c. */
    public String id() {
        return id;
    }

    /** The name of class 1 (class 0 is "PD"). */
    public String msaLabel() {
        return msaLabel;
    }

    /** Whether a subject of {@code s} belongs to this task's cohort. */
    public boolean includes(MsaSubtype s) {
        return switch (this) {
            case MSA -> true;
            case MSA_P -> s == MsaSubtype.PD || s == MsaSubtype.MSA_P;
            case MSA_C -> s == MsaSubtype.PD || s == MsaSubtype.MSA_C || s == MsaSubtype.MSA_PC;
        };
    }

    /** 0 for PD, 1 for the task's MSA group. */
    public int label(MsaSubtype s) {
        return s == MsaSubtype.PD ? 0 : 1;
    }

    public static MsaTask parse(String s) {
        for (MsaTask t : values()) {
            if (t.id.equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new DopajException("unknown task '" + s + "' (msa, msa-p or msa-c)");
    }
}
