package org.dopaj.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.batch.BatchCase;
import org.dopaj.batch.BatchInputs;
import org.dopaj.batch.BatchResults;
import org.dopaj.batch.BatchRunner;
import org.dopaj.batch.BatchTask;
import org.dopaj.batch.BatchTasks;
import org.dopaj.cli.Args;

/**
 * {@code spark-submit --class org.dopaj.spark.SparkBatch dopaj-spark.jar CAPABILITY INPUTS... -o OUT
 * [--partitions N] [--report] [capability options]}: the batch of {@code dopaj batch} on a Spark cluster. The driver
 * expands the inputs (a manifest, folders, globs on a file system every executor sees), the cases are spread over
 * partitions, and each executor JVM loads each model once ({@link #worker}: one shared, thread-safe worker per
 * capability and options, whatever the number of partitions and task threads). Every case runs through the same
 * {@link BatchRunner#runOne} as the single-process batch, so the rows are the same; the driver writes
 * {@code results.jsonl}, {@code results.csv} and {@code results.parquet}.
 */
public final class SparkBatch {
    private static final Map<String, BatchTask.Worker> WORKERS = new ConcurrentHashMap<>();

    private SparkBatch() {
    }

    public static void main(String[] argv) {
        SparkSession spark = SparkSession.builder().appName("DopaJ batch").getOrCreate();
        try {
            int done = run(spark, List.of(argv));
            System.out.println("DopaJ Spark batch: " + done + " cases; " + Version.NOTICE);
        } catch (DopajException e) {
            System.err.println("dopaj spark: " + e.getMessage());
            spark.stop();
            System.exit(2);
        }
        spark.stop();
    }

    /** Runs the batch on {@code spark}; returns the number of cases. */
    public static int run(SparkSession spark, List<String> argv) {
        Set<String> valued = new LinkedHashSet<>(BatchTasks.VALUED_OPTIONS);
        valued.addAll(List.of("o", "partitions"));
        Set<String> flags = new LinkedHashSet<>(BatchTasks.FLAG_OPTIONS);
        flags.add("report");
        Args a = Args.parse(argv, valued, flags);
        String capability = a.positional(0, "CAPABILITY (" + String.join(", ", BatchTasks.CAPABILITIES) + ")");
        if (!a.has("o")) {
            throw new DopajException("option -o OUT (the batch's output folder, on a file system all executors see)"
                    + " is required");
        }
        Map<String, String> options = new LinkedHashMap<>();
        BatchTasks.VALUED_OPTIONS.stream().filter(a::has).forEach(k -> options.put(k, a.option(k)));
        BatchTasks.FLAG_OPTIONS.stream().filter(a::flag).forEach(k -> options.put(k, ""));
        BatchTask task = BatchTasks.create(capability, options);
        List<BatchCase> cases = BatchInputs.expand(a.positionals().subList(1, a.positionals().size()), task);
        Path out = Path.of(a.option("o")).toAbsolutePath();
        boolean report = a.flag("report");
        BatchRunner.prepareFolder(task, out, new BatchRunner.Settings(out, 1, false, false, 1, 1, report));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = a.integer("partitions", Math.max(1, jsc.defaultParallelism()));
        Job job = new Job(capability, new LinkedHashMap<>(options), out.toString(), report);
        JavaRDD<BatchCase> rdd = jsc.parallelize(cases, Math.max(1, Math.min(partitions, cases.size())));
        List<String> json = rdd.mapPartitions(job::runPartition).collect();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BatchResults journal = BatchResults.open(out)) {
            for (String j : json) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = new com.google.gson.Gson().fromJson(j, LinkedHashMap.class);
                journal.append(r);
                rows.add(r);
            }
        } catch (IOException e) {
            throw new DopajException(out + ": cannot write the results journal (" + e.getMessage() + ")", e);
        }
        rows = BatchResults.read(out.resolve(BatchResults.JOURNAL), false);
        BatchResults.writeTable(rows, out.resolve(BatchResults.TABLE));
        parquet(spark, rows, out.resolve("results.parquet"));
        if (report) {
            org.dopaj.report.CohortSummary.write(out.resolve("summary.html"), capability, rows);
        }
        return rows.size();
    }

    /** What an executor needs to run its partition: serialisable, no models inside. */
    record Job(String capability, LinkedHashMap<String, String> options, String out, boolean report) implements Serializable {
        Iterator<String> runPartition(Iterator<BatchCase> cases) throws IOException {
            BatchTask.Worker w = worker(capability, options);
            List<String> rows = new ArrayList<>();
            while (cases.hasNext()) {
                Map<String, Object> row = BatchRunner.runOne(capability, w, cases.next(), Path.of(out), report, true);
                rows.add(new com.google.gson.GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues()
                        .disableHtmlEscaping().create().toJson(row));
            }
            return rows.iterator();
        }
    }

    /** The executor JVM's worker for a capability and its options: loaded on first use, closed when the JVM ends. */
    static BatchTask.Worker worker(String capability, Map<String, String> options) {
        return WORKERS.computeIfAbsent(capability + " " + options, k -> {
            BatchTask.Worker w = BatchTasks.create(capability, options).open();
            Runtime.getRuntime().addShutdownHook(new Thread(w::close, "dopaj-close-models"));
            return w;
        });
    }

    /** Number of models loaded in this JVM so far (tests: one per capability and options). */
    static int loadedWorkers() {
        return WORKERS.size();
    }

    /** The results as Parquet: the CSV's columns, numbers as doubles where every value of a column is one. */
    static void parquet(SparkSession spark, List<Map<String, Object>> rows, Path file) {
        List<Map<String, String>> flat = new ArrayList<>();
        Set<String> cols = new LinkedHashSet<>(BatchResults.FIRST);
        for (Map<String, Object> r : rows) {
            Map<String, String> f = BatchResults.flatten(r);
            flat.add(f);
            cols.addAll(f.keySet());
        }
        List<String> names = new ArrayList<>(cols);
        DataType[] types = new DataType[names.size()];
        for (int c = 0; c < names.size(); c++) {
            boolean numeric = true;
            for (Map<String, String> f : flat) {
                String v = f.getOrDefault(names.get(c), "");
                if (!v.isEmpty() && !isNumber(v)) {
                    numeric = false;
                    break;
                }
            }
            types[c] = numeric ? DataTypes.DoubleType : DataTypes.StringType;
        }
        List<StructField> fields = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            // Parquet column names may not hold dots or spaces on every reader: '.' becomes '__'
            fields.add(DataTypes.createStructField(names.get(c).replace(".", "__"), types[c], true));
        }
        List<Row> data = new ArrayList<>();
        for (Map<String, String> f : flat) {
            Object[] v = new Object[names.size()];
            for (int c = 0; c < names.size(); c++) {
                String s = f.getOrDefault(names.get(c), "");
                v[c] = s.isEmpty() ? null : types[c] == DataTypes.DoubleType ? Double.valueOf(s) : s;
            }
            data.add(RowFactory.create(v));
        }
        Dataset<Row> df = spark.createDataFrame(data, new StructType(fields.toArray(new StructField[0])));
        df.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(file.toString());
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
