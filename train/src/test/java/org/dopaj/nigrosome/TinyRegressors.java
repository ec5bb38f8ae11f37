package org.dopaj.nigrosome;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.dl.export.ExportedModel;
import org.dopaj.dl.export.ModelExporter;
import org.dopaj.dl.graph.LearningRateSchedule;
import org.dopaj.dl.graph.ModelSpec;
import org.dopaj.dl.graph.Networks;
import org.dopaj.dl.graph.Task;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackageWriter;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.Sample;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingConfig;
import org.dopaj.dl.train.TrainingResult;

/** Test helper: a real (tiny, barely trained) regression package whose input is not a nigrosome crop. */
public final class TinyRegressors {
    private TinyRegressors() {
    }

    /** A package with input [batch, x=nx, y=ny, z=nz, 1], {@code config.dopaj.side = side}, in {@code dir}/{@code id}. */
    public static Path wrongShapePackage(Path dir, String id, String side, int nx, int ny, int nz) {
        ModelSpec spec = new ModelSpec(id, new long[]{nx, ny, nz, 1}, new Task.Regression(1, 0),
                Networks.vgg3d(new int[]{2}, 1, 0f, 0, 1));
        int n = nx * ny * nz;
        Dataset d = Dataset.generated(2, i -> new Sample(new float[n], new float[]{i}));
        TrainingResult r = new Trainer().train(spec, d, null, TrainingConfig.defaults(dir.resolve(id + "-run"))
                .withEpochs(1).withBatchSize(2).withSchedule(new LearningRateSchedule.Constant(1e-3)).withThreads(1), null);
        ExportedModel em = ModelExporter.export(spec, r.bestCheckpoint(), dir.resolve(id + "-export"));
        TensorSpec in = TensorSpec.of("input", null, AxisSpec.batch(), AxisSpec.space("x", nx), AxisSpec.space("y", ny),
                AxisSpec.space("z", nz), AxisSpec.channel("smwi"));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("task", "regression");
        cfg.put("outputs", new LinkedHashMap<>(Map.of("prediction", "prediction")));
        cfg.put("side", side);
        float[] x = new float[n];
        java.util.Arrays.fill(x, 1f);
        Path pkg = dir.resolve(id);
        new ModelPackageWriter(pkg).id(id).name("tiny " + id).description("test model with a non-crop input")
                .author("test").license("MIT").modelCard("# test\n").savedModel(em.folder())
                .input(in, Tensor.of(x, 1, nx, ny, nz, 1))
                .output(TensorSpec.of("prediction", null, AxisSpec.batch(), AxisSpec.channel("sbr")), null)
                .config(cfg).write();
        return pkg;
    }

    /** The bundled left/right packages (models/ of the working directory). */
    public static Path[] bundled() {
        return new Path[]{Path.of("models", SbrRegressor.BUNDLED + "-left").toAbsolutePath(),
                Path.of("models", SbrRegressor.BUNDLED + "-right").toAbsolutePath()};
    }

}
