package org.dopaj.dl.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.metrics.Agreement;
import org.dopaj.dl.metrics.Classification;
import org.dopaj.dl.metrics.Direction;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;

/**
 * Evaluates a model package on the data a training config describes (the same generator or folder + CSV, the same
 * seeded split), through DJL exactly as a user would run it, and returns JSON-ready figures from
 * {@code org.dopaj.dl.metrics}: for a classifier the accuracy of the arg-max class, and for two classes also the ROC
 * AUC of the class-1 probability and the confusion at probability 0.5; for a regressor the agreement (Lin's CCC,
 * Pearson r, MAE, RMSE, bias, normalised errors). The core of {@code dopaj evaluate model}.
 */
public final class ModelEvaluation {
    /** Samples per DJL call. */
    private static final int BATCH = 16;

    private ModelEvaluation() {
    }

    /**
     * @param part {@code validation}, {@code train}, {@code test} (CSV rows marked test) or {@code all}
     */
    public static Map<String, Object> evaluate(Path modelDir, TrainingPlan plan, String part, ComputeDevice device) {
        Dataset data = part(plan, part);
        try (DopajModel model = DopajModel.load(modelDir, device)) {
            String input = model.modelPackage().inputs().get(0).id();
            String output = model.modelPackage().predictionOutput();
            int n = data.size();
            float[][] predictions = new float[n][];
            double[] reference = new double[n];
            int size = plan.modelSpec().inputSize();
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                float[] flat = new float[b * size];
                for (int i = 0; i < b; i++) {
                    Sample s = data.get(start + i);
                    if (s.input().length != size) {
                        throw new DopajException("sample " + (start + i) + " has " + s.input().length
                                + " values, the model's input " + size);
                    }
                    System.arraycopy(s.input(), 0, flat, i * size, size);
                    reference[start + i] = s.target()[0];
                }
                long[] shape = new long[plan.inputShape().length + 1];
                shape[0] = b;
                System.arraycopy(plan.inputShape(), 0, shape, 1, plan.inputShape().length);
                Tensor out = model.predict(Map.of(input, Tensor.of(flat, shape))).get(output);
                int k = Math.toIntExact(out.size() / b);
                for (int i = 0; i < b; i++) {
                    predictions[start + i] = java.util.Arrays.copyOfRange(out.data(), i * k, (i + 1) * k);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model.modelPackage().id());
            m.put("data", plan.dataDescription());
            m.put("part", part);
            m.put("n", n);
            String task = model.modelPackage().task();
            m.put("task", task);
            if (task.equals("classification")) {
                int correct = 0;
                int[] labels = new int[n];
                double[] positive = new double[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = (int) Math.round(reference[i]);
                    int arg = 0;
                    for (int c = 1; c < predictions[i].length; c++) {
                        arg = predictions[i][c] > predictions[i][arg] ? c : arg;
                    }
                    correct += arg == labels[i] ? 1 : 0;
                    positive[i] = predictions[i].length > 1 ? predictions[i][1] : Double.NaN;
                }
                m.put("accuracy", correct / (double) n);
                if (predictions[0].length == 2) {
                    boolean both = java.util.Arrays.stream(labels).anyMatch(l -> l == 1)
                            && java.util.Arrays.stream(labels).anyMatch(l -> l == 0);
                    m.put("auc", both ? Classification.auc(positive, labels, Direction.HIGHER_IS_POSITIVE) : null);
                    m.put("confusion_at_0_5", Classification.confusion(positive, labels, 0.5, Direction.HIGHER_IS_POSITIVE).toMap());
                }
            } else if (task.equals("regression")) {
                double[] predicted = new double[n];
                for (int i = 0; i < n; i++) {
                    predicted[i] = predictions[i][0];
                }
                m.put("agreement", Agreement.of(predicted, reference).toMap());
            } else {
                throw new DopajException("model " + model.modelPackage().id() + ": evaluating a " + task + " model is not supported here");
            }
            return m;
        }
    }

    /** The samples of one part of the plan's data, split exactly as training split them. */
    static Dataset part(TrainingPlan plan, String part) {
        if ("test".equals(part)) {
            if (plan.csv() == null) {
                throw new DopajException("part 'test' needs a CSV with rows marked test; generated data has train and validation");
            }
            Dataset test = TrainingRun.csvSplits(plan).test();
            if (test == null) {
                throw new DopajException(plan.csv() + " has no rows marked test");
            }
            return test;
        }
        Dataset[] parts = TrainingRun.data(plan);
        return switch (part) {
            case "train" -> parts[0];
            case "validation" -> {
                if (parts[1] == null) {
                    throw new DopajException("the config holds no validation data (validation_fraction 0 and no val rows)");
                }
                yield parts[1];
            }
            case "all" -> parts[1] == null ? parts[0] : concat(List.of(parts[0], parts[1]));
            default -> throw new DopajException("part must be train, validation, test or all, got '" + part + "'");
        };
    }

    private static Dataset concat(List<Dataset> parts) {
        int n = parts.stream().mapToInt(Dataset::size).sum();
        return Dataset.generated(n, i -> {
            int j = i;
            for (Dataset d : parts) {
                if (j < d.size()) {
                    return d.get(j);
                }
                j -= d.size();
            }
            throw new IndexOutOfBoundsException(i);
        });
    }
}
