package org.dopaj.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.dopaj.DopajException;
import org.dopaj.msa.MsaCnn;
import org.dopaj.msa.MsaFamily;
import org.dopaj.msa.MsaModality;
import org.dopaj.msa.MsaReport;
import org.dopaj.msa.MsaTask;
import org.dopaj.msa.MsaTraining;

/**
 * {@code recipe: msa}: the MSA-vs-PD networks ({@link MsaTraining}: family-A phantoms in seeded splits, each network
 * also scored on the held-out family B), then the packages and the validation summary ({@link MsaReport}: every task
 * and modality whose split 0 is done becomes {@code models/<id>/}). One job is {@code task}, {@code modality},
 * {@code split}; {@code jobs} lists several (the validation's splits). Defaults are the bundled models' settings.
 */
public final class MsaRecipe implements TrainRecipe {
    static final List<String> ACTIONS = List.of("all", "train", "package");

    @Override
    public String name() {
        return "msa";
    }

    @Override
    public String summary() {
        return "MSA vs PD from GD and MD maps, 3D CNNs on phantom families (models/msa-*)";
    }

    @Override
    public List<RecipeArgument> arguments() {
        return List.of(
                RecipeArgument.choice("action", "all", ACTIONS, "all = train then package; or one step alone"),
                RecipeArgument.choice("task", "msa", Arrays.stream(MsaTask.values()).map(MsaTask::id).toList(),
                        "PD versus which MSA group"),
                RecipeArgument.choice("modality", "gd-md", Arrays.stream(MsaModality.values()).map(MsaModality::id)
                        .toList(), "input maps"),
                RecipeArgument.integer("split", 0, "the seeded 70/10/20 % split (split 0 is the bundled one)"),
                RecipeArgument.texts("jobs", null, "instead of task/modality/split: TASK:MODALITY:SPLIT jobs in order"),
                RecipeArgument.requiredPath("run", "run folder: one sub-folder per job (checkpoints, saved_model, result.json)"),
                RecipeArgument.requiredPath("data", "cache folder of the drawn subjects"),
                RecipeArgument.requiredPath("shared", "the shared data folder (templates, atlases)"),
                RecipeArgument.integer("pool", 480, "training-family subjects"),
                RecipeArgument.integer("heldout", 240, "family-B subjects (held-out generator)"),
                RecipeArgument.integer("epochs", 12, "epochs per job"),
                RecipeArgument.integer("batch", 8, "subjects per Adam step"),
                RecipeArgument.integer("threads", 1, "TensorFlow CPU threads (0 = all cores)"),
                RecipeArgument.number("lr", 1e-3, "initial learning rate (cosine to lr / 50)"),
                RecipeArgument.choice("normalisation", MsaCnn.Normalisation.ROBUST.id(),
                        Arrays.stream(MsaCnn.Normalisation.values()).map(MsaCnn.Normalisation::id).toList(),
                        "per-subject input normalisation inside the network (brain-mean-v1: the packages before 2026-12-07)"),
                RecipeArgument.choice("augmentation", "v2", List.of("v1", "v2", "v3"),
                        "v1: mirroring, ±4 mm shifts, ±15 % gain; v2: also ±30 % gain, offset, smoothing, noise;"
                        + " v3: v2 after a random smooth deformation (experimental)"),
                RecipeArgument.choice("family", "aal", List.of("aal", "aal-wide", "mixed-wide"),
                        "training phantom family: aal (fixed numbers), aal-wide (numbers drawn per subject) or"
                        + " mixed-wide (those numbers on family A's and Colin 27's anatomy)"),
                RecipeArgument.requiredPath("models", "package: the models folder (models/<id>/ per finished split 0)"),
                RecipeArgument.requiredPath("summary", "package: the summary JSON of all finished jobs"));
    }

    static List<String> jobs(RecipeArguments a) {
        List<String> jobs = a.texts("jobs");
        if (jobs == null) {
            jobs = List.of(a.text("task") + ":" + a.text("modality") + ":" + a.integer("split", 0));
        }
        return jobs;
    }

    static MsaTraining.Settings settings(RecipeArguments a) {
        try {
            return new MsaTraining.Settings(a.path("data"), a.path("shared"), a.integer("pool", 2),
                    a.integer("heldout", 1), a.integer("epochs", 1), a.integer("batch", 1), a.integer("threads", 0),
                    a.positive("lr"), jobs(a), MsaCnn.Normalisation.parse(a.text("normalisation")),
                    a.text("augmentation"), MsaFamily.parse(a.text("family")));
        } catch (DopajException e) {
            throw new DopajException(a.where() + ": " + e.getMessage());
        }
    }

    @Override
    public List<String> plan(RecipeArguments a) {
        MsaTraining.Settings s = settings(a);
        String action = a.text("action");
        List<String> steps = new ArrayList<>();
        if (action.equals("all") || action.equals("train")) {
            List<String> ids = new ArrayList<>();
            for (String job : s.jobs()) {
                ids.add(MsaTraining.parseJob(job).folder());
            }
            steps.add("train " + String.join(", ", ids) + ": " + s.pool() + " training-family (" + s.family().id()
                    + ") and " + s.heldout() + " family-B subjects (cached in " + s.data() + ", from " + s.shared() + "), " + s.epochs()
                    + " epochs, batch " + s.batch() + ", lr " + s.lr() + " cosine to " + s.lr() / 50 + ", " + s.threads()
                    + " thread(s), input normalisation " + s.normalisation().id() + ", augmentation " + s.augmentation()
                    + ", training family " + s.family().id()
                    + "; jobs in " + a.path("run") + " (finished jobs skipped)");
        }
        if (action.equals("all") || action.equals("package")) {
            steps.add("package: summary of every finished job in " + a.path("run") + " -> " + a.path("summary")
                    + "; models/<id>/ in " + a.path("models") + " for every task and modality whose split 0 is done");
        }
        return steps;
    }

    @Override
    public Map<String, Object> run(RecipeArguments a, Consumer<String> log) throws Exception {
        plan(a);
        MsaTraining.Settings s = settings(a);
        Recipes.requireFolder(s.shared(), "shared data folder");
        String action = a.text("action");
        Map<String, Object> res = new LinkedHashMap<>();
        if (action.equals("all") || action.equals("train")) {
            MsaTraining.run(a.path("run"), s, log);
            res.put("jobs", s.jobs());
        }
        if (action.equals("all") || action.equals("package")) {
            Recipes.requireFolder(a.path("run"), "MSA run folder");
            List<String> packages = new ArrayList<>();
            String table = MsaReport.report(a.path("run"), a.path("models"), a.path("summary"), s.shared(), s.data(),
                    true, line -> {
                log.accept(line);
                if (line.startsWith("packaged ")) {
                    packages.add(a.path("models").resolve(line.split(" ")[1]).toString());
                }
            });
            log.accept(table.strip());
            res.put("summary", a.path("summary").toString());
            res.put("packages", packages);
        }
        res.put("model_ids", s.jobs().stream().map(j -> MsaCnn.modelId(MsaTraining.parseJob(j).task(),
                MsaTraining.parseJob(j).modality())).distinct().toList());
        return res;
    }
}
