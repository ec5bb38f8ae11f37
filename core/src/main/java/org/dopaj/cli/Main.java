package org.dopaj.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.dopaj.DopajException;

/**
 * The {@code dopaj} command line: headless, scriptable access to the same core calls as the Fiji commands.
 * Exit codes: 0 success, 2 bad input (one line on stderr), 1 unexpected internal error.
 */
public final class Main {
    private Main() {
    }

    /** Every sub-command, in the order {@code dopaj help} lists them. */
    static List<CliCommand> commands() {
        List<CliCommand> c = new ArrayList<>();
        c.add(new InfoCli());
        c.add(new ConvertCli());
        c.add(new PhantomCli());
        c.add(new SpectSbrCli());
        c.add(new SpectClassifyCli());
        c.add(new ModelsCli());
        c.add(new BenchCli());
        c.add(new NigrosomeCropCli());
        c.add(new NigrosomeSbrCli());
        c.add(new BrainMaskCli());
        c.add(new MsaPdCli());
        c.add(new MdCli());
        c.add(new GmDensityCli());
        c.add(new MsaNormalDbCli());
        c.add(new WmhCli());
        c.add(new BatchCli());
        c.add(new BatchMergeCli());
        c.add(new BatchBenchCli());
        // the training module's sub-commands (train, evaluate, nigrosome-train, nigrosome-evaluate), when its jar is
        // on the class path: the Fiji plugin and a plain install carry inference only
        for (CliCommand t : ServiceLoader.load(CliCommand.class, Main.class.getClassLoader())) {
            c.add(t);
        }
        return c;
    }

    /** Sub-commands of the training module, named when it is absent. */
    static final List<String> TRAINING = List.of("train", "evaluate", "nigrosome-train", "nigrosome-evaluate");

    public static void main(String[] argv) {
        // DJL logs through SLF4J; without a provider SLF4J warns on every start, which only confuses a user
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        // one short line per log record on stderr (java.util.logging's default takes two)
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "dopaj: %4$s: %5$s%6$s%n");
        }
        CliLog.quietTensorFlow();
        PrintStream out = System.out;
        PrintStream err = System.err;
        int code = CliLog.holdingStrayOutput(() -> run(Arrays.asList(argv), out, err));
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line; never calls System.exit (tests call this). */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        Map<String, CliCommand> byName = new LinkedHashMap<>();
        for (CliCommand c : commands()) {
            byName.put(c.name(), c);
        }
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            // asked for (help, --help): stdout, exit 0; a bare "dopaj" is a mistake: stderr, exit 2
            PrintStream to = argv.isEmpty() ? err : out;
            to.println("usage: dopaj <command> [options]   (research use only, not for diagnosis)");
            for (CliCommand c : byName.values()) {
                to.println("  dopaj " + c.usage());
            }
            return argv.isEmpty() ? 2 : 0;
        }
        CliCommand cmd = byName.get(argv.get(0));
        if (cmd == null && TRAINING.contains(argv.get(0))) {
            err.println("dopaj: '" + argv.get(0) + "' is in DopaJ's training module (dopaj-train.jar), which is not on"
                    + " this class path: run it from a source checkout (./dopaj " + argv.get(0) + " ...)");
            return 2;
        }
        if (cmd == null) {
            err.println("dopaj: unknown command '" + argv.get(0) + "' (try: dopaj help)");
            return 2;
        }
        List<String> rest = argv.subList(1, argv.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println("usage: dopaj " + cmd.usage());
            DeclaredOptions.help(cmd.name()).forEach(out::println);
            return 0;
        }
        // every error is one line on stderr: log records are held back, and printed (as warnings) only on success
        try (CliLog log = CliLog.hold(err)) {
            int code = run(cmd, rest, out, err);
            if (code == 0) {
                log.printWarnings(cmd.name(), err);
            }
            return code;
        }
    }

    private static int run(CliCommand cmd, List<String> args, PrintStream out, PrintStream err) {
        try {
            return cmd.run(args, out, err);
        } catch (DopajException e) {
            err.println("dopaj " + cmd.name() + ": " + CliLog.oneLine(e.getMessage()));
            return 2;
        } catch (OutOfMemoryError e) {
            err.println("dopaj " + cmd.name() + ": out of memory (raise -Xmx, e.g. JAVA_OPTS=-Xmx8g)");
            return 2;
        } catch (Exception e) {
            err.println("dopaj " + cmd.name() + ": internal error: " + CliLog.oneLine(e.toString()));
            if (Boolean.getBoolean("dopaj.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }
}
