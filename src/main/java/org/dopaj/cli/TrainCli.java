package org.dopaj.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dopaj.DopajException;
import org.dopaj.dl.train.Trainer;
import org.dopaj.dl.train.TrainingPlan;
import org.dopaj.dl.train.TrainingProgress;
import org.dopaj.dl.train.TrainingRun;

/**
 * {@code dopaj train CONFIG [--resume] [--json]} — trains the network a YAML config describes (docs/train-config.md),
 * exports the best epoch with Grad-CAM, writes and verifies the model package. Progress lines (epoch, loss, validation
 * metric, ETA) go to stderr; {@code --json} prints the summary on stdout. Ctrl-C stops between batches and keeps the
 * checkpoints; {@code --resume} continues from the last one. Exit 0 done, 2 bad input, 130 cancelled.
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
        return "train CONFIG.yaml [--resume] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of(), Set.of("json", "resume", "force"));
        if (a.positionals().size() != 1) {
            throw new DopajException("train takes one CONFIG file, got " + a.positionals());
        }
        TrainingPlan plan = TrainingPlan.load(Path.of(a.positional(0, "CONFIG")));
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

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException | SecurityException e) {
            return false;
        }
    }
}
