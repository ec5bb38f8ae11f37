package org.dopaj.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dopaj.DopajException;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingPlan;
import org.dopaj.dl.train.TrainingProgress;
import org.dopaj.dl.train.TrainingRun;
import org.dopaj.train.RecipeArguments;
import org.dopaj.train.RecipeConfig;
import org.dopaj.train.TrainRecipe;

/**
 * {@code dopaj train CONFIG [--check] [--resume] [--action NAME] [--json]} — trains what a YAML config describes
 * (docs/train-config.md). The generic form names a network, data and settings: trains it, exports the best epoch with
 * Grad-CAM, writes and verifies the model package. The recipe form ({@code recipe: NAME}, {@code arguments:}) runs a
 * registered {@link TrainRecipe} — how every bundled model retrains from its {@code models/<id>/train.yaml}.
 * {@code --check} (or {@code --dry-run}) validates the config and prints what would run, training nothing. Progress
 * lines go to stderr; {@code --json} prints the summary on stdout. Ctrl-C stops a generic run between batches and keeps
 * the checkpoints; {@code --resume} continues from the last one. Exit 0 done, 2 bad input, 130 cancelled.
 */
public final class TrainCli implements CliCommand {
    /** Batch progress lines are printed at most this often; epoch lines always. */
    private static final long BATCH_LINE_NANOS = 10_000_000_000L;

    private final Trainer trainer;

    public TrainCli() {
        this(new Trainer());
    }

    /** With a given trainer (tests cancel through it). */
    TrainCli(Trainer trainer) {
        this.trainer = trainer;
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String usage() {
        return "train CONFIG.yaml [--check|--dry-run] [--resume] [--force] [--action NAME] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("action"), Set.of("json", "resume", "force", "check", "dry-run"));
        if (a.positionals().size() != 1) {
            throw new DopajException("train takes one CONFIG file, got " + a.positionals());
        }
        Path file = Path.of(a.positional(0, "CONFIG"));
        Map<String, Object> doc = TrainingPlan.readDocument(file);
        boolean check = a.flag("check") || a.flag("dry-run");
        if (RecipeConfig.isRecipe(doc)) {
            RecipeConfig rc = withOverrides(RecipeConfig.parse(doc, file), a);
            return check ? checkRecipe(rc, a.flag("json"), out) : runRecipe(rc, a.flag("json"), out, err);
        }
        if (a.option("action") != null) {
            throw new DopajException("--action belongs to a recipe config (recipe: NAME); " + file + " is a generic config");
        }
        TrainingPlan plan = TrainingPlan.parse(doc, file.toAbsolutePath().normalize());
        if (check) {
            return checkPlan(plan, a.flag("json"), out);
        }
        // the package is replaced at the end of training: say so now, not after hours (--resume continues a run)
        if (java.nio.file.Files.exists(plan.output()) && !a.flag("force") && !a.flag("resume")) {
            throw new DopajException(plan.output() + ": model package exists (add --force to replace it, or --resume to"
                    + " continue its training run)");
        }
        err.println("dopaj train: " + plan.id() + " (" + plan.networkName() + ", input " + java.util.Arrays.toString(plan.inputShape())
                + ") -> " + plan.output() + "; checkpoints in " + plan.checkpoints());
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: ask the loop to stop between batches and wait for it, so the last checkpoint stays whole
        Thread hook = new Thread(() -> {
            trainer.cancel();
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dopaj-train-cancel");
        boolean hooked = addHook(hook);
        long[] lastBatchLine = {System.nanoTime()};
        try {
            TrainingRun.Outcome o = TrainingRun.execute(plan, a.flag("resume"), trainer, p -> {
                if (p.kind() != TrainingProgress.Kind.BATCH) {
                    err.println("dopaj train: " + p.message());
                } else if (System.nanoTime() - lastBatchLine[0] > BATCH_LINE_NANOS) {
                    lastBatchLine[0] = System.nanoTime();
                    err.println("dopaj train: " + p.message());
                }
            });
            if (o.pkg() == null) {
                err.println("dopaj train: cancelled after " + o.result().history().size()
                        + " finished epochs; checkpoints kept in " + plan.checkpoints() + " (continue with --resume)");
            } else {
                err.println("dopaj train: package " + o.pkg().dir() + " written and verified (DJL vs TF Java max |diff| "
                        + o.djlVsTfJava() + ")");
            }
            if (a.flag("json")) {
                out.println(new GsonBuilder().serializeNulls().create().toJson(o.summary()));
            } else if (o.pkg() != null) {
                out.println(o.pkg().dir());
            }
            out.flush();
            err.flush();
            return o.pkg() == null ? 130 : 0;
        } finally {
            finished.countDown(); // lets a Ctrl-C shutdown proceed only after the summary is out
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping (Ctrl-C): the hook has done its job
                }
            }
        }
    }

    /** {@code --action}, {@code --resume}, {@code --force} as the recipe's arguments, where it declares them. */
    private static RecipeConfig withOverrides(RecipeConfig rc, Args a) {
        RecipeArguments args = rc.arguments();
        String recipe = "recipe " + rc.recipe().name();
        if (a.option("action") != null) {
            if (!args.declares("action")) {
                throw new DopajException(recipe + " has no actions (--action " + a.option("action") + ")");
            }
            args = args.with("action", a.option("action"), null);
        }
        if (a.flag("resume")) {
            if (!args.declares("resume")) {
                throw new DopajException(recipe + " has no --resume: it continues unfinished work by itself");
            }
            args = args.with("resume", true, null);
        }
        if (a.flag("force") && args.declares("overwrite")) {
            args = args.with("overwrite", true, null);
        }
        return rc.with(args);
    }

    private static int checkRecipe(RecipeConfig rc, boolean json, PrintStream out) {
        List<String> plan = rc.plan();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", rc.source().toString());
            m.put("valid", true);
            m.put("recipe", rc.recipe().name());
            m.put("model", rc.model());
            m.put("arguments", rc.arguments().asMap());
            m.put("plan", plan);
            out.println(new GsonBuilder().serializeNulls().create().toJson(m));
        } else {
            out.println(rc.source() + ": valid; recipe " + rc.recipe().name() + " (" + rc.recipe().summary() + ")"
                    + (rc.model() == null ? "" : ", model " + rc.model()));
            out.println("arguments:");
            rc.arguments().asMap().forEach((k, v) -> out.println("  " + k + ": " + v));
            out.println("would run (nothing was trained):");
            for (int i = 0; i < plan.size(); i++) {
                out.println("  " + (i + 1) + ". " + plan.get(i));
            }
        }
        out.flush();
        return 0;
    }

    private static int checkPlan(TrainingPlan plan, boolean json, PrintStream out) {
        List<String> steps = List.of("train " + plan.id() + ": network " + plan.networkName() + ", input "
                        + java.util.Arrays.toString(plan.inputShape()) + ", " + plan.dataDescription() + ", "
                        + plan.epochs() + " epochs, batch " + plan.batchSize() + ", seed " + plan.seed()
                        + "; checkpoints in " + plan.checkpoints(),
                "package: export the best epoch with Grad-CAM -> " + plan.output() + " (verified: DJL against TF Java)");
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", plan.source().toString());
            m.put("valid", true);
            m.put("id", plan.id());
            m.put("plan", steps);
            out.println(new GsonBuilder().serializeNulls().create().toJson(m));
        } else {
            out.println(plan.source() + ": valid; generic config, model " + plan.id());
            out.println("would run (nothing was trained):");
            for (int i = 0; i < steps.size(); i++) {
                out.println("  " + (i + 1) + ". " + steps.get(i));
            }
        }
        out.flush();
        return 0;
    }

    private static int runRecipe(RecipeConfig rc, boolean json, PrintStream out, PrintStream err) throws Exception {
        List<String> plan = rc.plan(); // bad arguments fail here, in one line, before anything is printed or run
        rc.recipe().preflight(rc.arguments());
        err.println("dopaj train: recipe " + rc.recipe().name() + (rc.model() == null ? "" : " (" + rc.model() + ")"));
        for (String step : plan) {
            err.println("dopaj train: will " + step);
        }
        Map<String, Object> res;
        PrintStream stdout = System.out;
        // the capability's training code logs on System.out: send that to stderr, stdout is for the result
        System.setOut(err);
        try {
            res = rc.recipe().run(rc.arguments(), line -> err.println("dopaj train: " + line));
        } finally {
            System.setOut(stdout);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("recipe", rc.recipe().name());
        summary.put("model", rc.model());
        summary.put("status", "ok");
        summary.putAll(res);
        if (json) {
            out.println(new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().create().toJson(summary));
        } else if (res.get("packages") instanceof List<?> packages) {
            packages.forEach(out::println);
        }
        out.flush();
        return 0;
    }

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException | SecurityException e) {
            return false;
        }
    }
}
