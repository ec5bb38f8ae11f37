package org.dopaj.batch;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One capability as a batch runs it. {@link #open} loads what every case shares (networks, atlas, template) once;
 * the {@link Worker} it returns is used by all worker threads at once, so it must be thread-safe (DopaJ's models
 * are: each thread borrows its own DJL predictor).
 */
public interface BatchTask {
    /** The capability's name, as on the command line (e.g. {@code spect-classify}). */
    String capability();

    /** Manifest columns it reads per case (besides {@code id} and {@code input}), lower case with underscores. */
    Set<String> columns();

    /** Manifest columns every case must have (e.g. the nigrosome centroids). */
    default Set<String> requiredColumns() {
        return Set.of();
    }

    /** Manifest columns that hold files (resolved against the manifest's folder, like {@code input}). */
    default Set<String> pathColumns() {
        return Set.of();
    }

    /** False when a manifest may leave out {@code input} (the task reads its files from path columns). */
    default boolean needsInput() {
        return true;
    }

    /** The batch-wide options this task was made with, as given (for the batch's record and its reports). */
    Map<String, String> options();

    /** Loads the shared resources; the caller closes the worker. */
    Worker open();

    /** Processes cases; thread-safe. */
    interface Worker extends AutoCloseable {
        /** The model(s) results come from, for the {@code model} column (e.g. {@code spect-dat-cnn 3.0}). */
        String model();

        /** What that model learnt from (e.g. "phantoms"), for reports. */
        String trainingData();

        /**
         * One case: reads its input, writes its files into {@code out}, returns its fields (the capability's own
         * serialisation, with a {@code warnings} list). A {@link org.dopaj.DopajException} is the case's one-line
         * error; nothing it wrote is kept.
         */
        CaseResult process(BatchCase c, CaseFolder out, boolean figures) throws Exception;

        @Override
        void close();
    }

    /**
     * A case's fields and, when asked for, the pictures a report shows.
     *
     * @param fields  nested maps of plain values (numbers, text, booleans, lists), as the CLI's JSON
     * @param figures pictures with their captions, in reading order (empty unless asked for)
     */
    record CaseResult(Map<String, Object> fields, List<Figure> figures) {
    }

    /** A report picture: what it shows and the image. */
    record Figure(String caption, BufferedImage image) {
    }

    /**
     * Where a case's files go while it runs ({@link #file}) and the name they will have once the case is committed
     * ({@link #recorded}, relative to the batch's output folder, for its row).
     */
    record CaseFolder(Path work, String caseId, boolean gzip) {
        public CaseFolder(Path work, String caseId) {
            this(work, caseId, true);
        }

        /** A NIfTI output's name: {@code stem.nii.gz}, or {@code stem.nii} when the batch writes uncompressed. */
        public String nifti(String stem) {
            return stem + (gzip ? ".nii.gz" : ".nii");
        }

        public Path file(String name) {
            return work.resolve(name);
        }

        public String recorded(String name) {
            return caseId + "/" + name;
        }
    }
}
