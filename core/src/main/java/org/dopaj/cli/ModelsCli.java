package org.dopaj.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import java.nio.file.Files;
import org.dopaj.dl.model.ModelInstaller;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;

/**
 * {@code dopaj models list [--json]} — the installed (user folder) and bundled model packages with id, task, training
 * data, licence, source and checksum status; {@code dopaj models install SOURCE [--force] [--json]} — copy a model
 * (folder, .zip, bare known SavedModel) into the user folder ({@link ModelInstaller}); {@code dopaj models remove ID};
 * {@code dopaj models verify [ID|DIR] [--run] [--json]} — verify one package (or all bundled ones): rdf.yaml schema and
 * every SHA-256; {@code --run} also runs the test inputs and compares with the test outputs. Exit 2 with the reason
 * on stderr when any package fails.
 */
public final class ModelsCli implements CliCommand {
    /** Largest difference accepted between a re-run and the stored test output (float32 TF kernels). */
    static final double TEST_TOLERANCE = 1e-4;

    /** Said by every {@code models install}: a checksum proves which files, not that they are harmless. */
    static final String EXECUTABLE_NOTICE = org.dopaj.dl.model.ModelInstaller.EXECUTABLE_NOTICE;

    @Override
    public String name() {
        return "models";
    }

    @Override
    public String usage() {
        return "models list [--json] | models verify [ID|DIR] [--run] [--device auto|cpu|gpu] [--json]"
                + " | models install SOURCE [--force] [--json] | models remove ID [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "device"), DeclaredOptions.flags(name(), "json", "run"));
        String sub = a.positional(0, "sub-command (list, verify, install or remove)");
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
            case "install": {
                if (a.positionals().size() != 2) {
                    throw new DopajException("models install takes one SOURCE (a folder, a .zip or a SavedModel folder)");
                }
                Path user = ModelRegistry.userModelsDir();
                List<ModelInstaller.Installed> done = ModelInstaller.install(Path.of(a.positionals().get(1)), user,
                        a.flag("force"));
                if (a.flag("json")) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("user_models_dir", user.toString());
                    o.put("installed", done.stream().map(ModelInstaller.Installed::toMap).toList());
                    o.put("security_notice", EXECUTABLE_NOTICE);
                    out.println(new GsonBuilder().serializeNulls().create().toJson(o));
                } else {
                    for (ModelInstaller.Installed i : done) {
                        out.println("installed " + i.id() + " in " + i.dir() + (i.recognised() ? " (recognised by its"
                                + " weights' checksum)" : "") + "; licence " + i.license() + "; " + i.trainingData());
                    }
                    out.println("note: " + EXECUTABLE_NOTICE);
                }
                return 0;
            }
            case "remove": {
                if (a.positionals().size() != 2) {
                    throw new DopajException("models remove takes one ID");
                }
                Path d = ModelInstaller.remove(a.positionals().get(1), ModelRegistry.userModelsDir());
                if (a.flag("json")) {
                    out.println(new GsonBuilder().create().toJson(org.dopaj.io.Ordered.map("removed", a.positionals().get(1), "dir",
                            d.toString())));
                } else {
                    out.println("removed " + a.positionals().get(1) + " (" + d + ")");
                }
                return 0;
            }
            default:
                throw new DopajException("models: unknown sub-command '" + sub + "' (list, verify, install or remove)");
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
        m.put("task", p.capability() != null ? p.capability() : p.task());
        m.put("training_data", p.trainingData());
        m.put("version", p.version());
        m.put("license", p.license());
        m.put("source", p.weightsSource());
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
        Path user = ModelRegistry.userModelsDir();
        Path dir = ModelRegistry.modelsDir();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path d : ModelRegistry.packageDirs(user)) {
            Map<String, Object> r = status(d);
            r.put("where", "installed");
            rows.add(r);
        }
        for (Path d : ModelRegistry.packageDirs(dir)) {
            Map<String, Object> r = status(d);
            r.put("where", "bundled");
            rows.add(r);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("user_models_dir", user.toString());
            o.put("models_dir", dir == null ? null : dir.toString());
            o.put("models", rows);
            out.println(new GsonBuilder().serializeNulls().create().toJson(o));
        } else {
            out.println("installed models: " + user + (Files.isDirectory(user) ? "" : " (none yet)"));
            out.println("bundled models:   " + (dir == null ? "(no models/ folder found)" : dir));
            out.printf("  %-30s %-9s %-14s %-13s %-8s %-44s %s%n", "ID", "WHERE", "TASK", "TRAINED ON", "LICENCE",
                    "SOURCE", "CHECKSUMS");
            for (Map<String, Object> r : rows) {
                out.printf("  %-30s %-9s %-14s %-13s %-8s %-44s %s%n", r.get("id"), r.get("where"),
                        r.getOrDefault("task", "-"), r.getOrDefault("training_data", "-"), r.getOrDefault("license", "-"),
                        r.getOrDefault("source", "-"), r.get("status")
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
