package org.dopaj.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;

/**
 * {@code dopaj models list [--json]} — the bundled model packages with id, task, licence and checksum status;
 * {@code dopaj models verify [ID|DIR] [--run] [--json]} — verify one package (or all bundled ones): rdf.yaml schema and
 * every SHA-256; {@code --run} also runs the test inputs and compares with the test outputs. Exit 2 with the reason
 * on stderr when any package fails.
 */
public final class ModelsCommand implements CliCommand {
    /** Largest difference accepted between a re-run and the stored test output (float32 TF kernels). */
    static final double TEST_TOLERANCE = 1e-4;

    @Override
    public String name() {
        return "models";
    }

    @Override
    public String usage() {
        return "models list [--json] | models verify [ID|DIR] [--run] [--device auto|cpu|gpu] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("device"), Set.of("json", "run"));
        String sub = a.positional(0, "sub-command (list or verify)");
        switch (sub) {
            case "list":
                if (a.positionals().size() > 1) {
                    throw new DopajException("models list takes no argument, got " + a.positionals().get(1));
                }
                return list(a.flag("json"), out);
            case "verify":
                if (a.positionals().size() > 2) {
                    throw new DopajException("models verify takes one ID or DIR, got " + a.positionals().subList(1, a.positionals().size()));
                }
                return verify(a.positionals().size() > 1 ? a.positionals().get(1) : null, a.flag("run"),
                        ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY))),
                        a.flag("json"), out, err);
            default:
                throw new DopajException("models: unknown sub-command '" + sub + "' (list or verify)");
        }
    }

    private static Path requireModelsDir() {
        Path dir = ModelRegistry.modelsDir();
        if (dir == null) {
            throw new DopajException("no models/ folder found (set -Ddopaj.models=DIR or run from the install folder)");
        }
        return dir;
    }

    /** One package's status as a JSON-ready map; never throws for a bad package. */
    static Map<String, Object> status(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dir.toString());
        ModelPackage p;
        try {
            p = ModelPackage.read(dir);
        } catch (DopajException e) {
            m.put("id", dir.getFileName().toString());
            m.put("status", "invalid");
            m.put("problems", List.of(e.getMessage()));
            return m;
        }
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("task", p.task());
        m.put("license", p.license());
        m.put("weights", p.externalSource() == null ? "bundled" : "external");
        if (p.externalSource() != null) {
            m.put("external_source", p.externalSource());
        }
        m.put("saved_model", p.savedModelDir() == null ? null : p.savedModelDir().toString());
        List<String> problems = p.verify();
        m.put("status", problems.isEmpty() ? "ok" : !p.weightsPresent() ? "weights absent" : "checksum mismatch");
        m.put("problems", problems);
        return m;
    }

    private static int list(boolean json, PrintStream out) {
        Path dir = requireModelsDir();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path d : ModelRegistry.packageDirs(dir)) {
            rows.add(status(d));
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("models_dir", dir.toString());
            o.put("models", rows);
            out.println(new GsonBuilder().serializeNulls().create().toJson(o));
        } else {
            out.println("models in " + dir + ":");
            out.printf("  %-32s %-15s %-10s %-9s %s%n", "ID", "TASK", "LICENCE", "WEIGHTS", "CHECKSUMS");
            for (Map<String, Object> r : rows) {
                out.printf("  %-32s %-15s %-10s %-9s %s%n", r.get("id"), r.getOrDefault("task", "-"),
                        r.getOrDefault("license", "-"), r.getOrDefault("weights", "-"), r.get("status")
                        + (((List<?>) r.get("problems")).isEmpty() ? "" : ": " + ((List<?>) r.get("problems")).get(0)));
            }
        }
        return 0;
    }

    private static int verify(String which, boolean run, ComputeDevice device, boolean json, PrintStream out,
                              PrintStream err) {
        List<Path> dirs = which == null ? ModelRegistry.packageDirs(requireModelsDir()) : List.of(ModelRegistry.find(which));
        if (dirs.isEmpty()) {
            throw new DopajException("no model packages to verify");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean allOk = true;
        for (Path d : dirs) {
            Map<String, Object> r = status(d);
            if ("ok".equals(r.get("status")) && run) {
                try (DopajModel m = DopajModel.load(ModelPackage.read(d), device)) {
                    Map<String, Double> diff = m.selfTest();
                    r.put("test_max_abs_diff", diff);
                    for (Map.Entry<String, Double> e : diff.entrySet()) {
                        if (!(e.getValue() <= TEST_TOLERANCE)) {
                            r.put("status", "test output differs");
                            r.put("problems", List.of("output " + e.getKey() + " differs from its test tensor by "
                                    + e.getValue() + " (> " + TEST_TOLERANCE + ")"));
                        }
                    }
                } catch (DopajException e) {
                    r.put("status", "does not run");
                    r.put("problems", List.of(e.getMessage()));
                }
            }
            boolean ok = "ok".equals(r.get("status"));
            allOk &= ok;
            rows.add(r);
            if (!ok) {
                err.println("dopaj models verify: " + r.get("id") + ": " + ((List<?>) r.get("problems")).get(0));
            }
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ok", allOk);
            o.put("models", rows);
            out.println(new GsonBuilder().serializeNulls().create().toJson(o));
        } else {
            for (Map<String, Object> r : rows) {
                out.println(r.get("id") + ": " + r.get("status")
                        + (r.containsKey("test_max_abs_diff") ? " (test tensors reproduce, max |diff| "
                        + r.get("test_max_abs_diff") + ")" : ""));
            }
        }
        return allOk ? 0 : 2;
    }
}
