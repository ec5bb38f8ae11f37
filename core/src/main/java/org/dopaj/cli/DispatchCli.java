package org.dopaj.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * A command whose first positional picks a kind ({@code dopaj phantom head ...}, {@code dopaj evaluate
 * segmentation ...}). Each kind is itself a {@link CliCommand} (its name is the kind word, its usage starts
 * with it), so a later issue adds a kind by adding one entry to {@link #kinds()}.
 */
abstract class DispatchCli implements CliCommand {
    /** Every kind, in the order the usage lists them. */
    abstract Map<String, CliCommand> kinds();

    @Override
    public String usage() {
        StringBuilder s = new StringBuilder(name());
        String sep = " ";
        for (CliCommand k : kinds().values()) {
            s.append(sep).append(k.usage());
            sep = "\n        | " + name() + " ";
        }
        return s.toString();
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Map<String, CliCommand> kinds = kinds();
        if (argv.isEmpty() || argv.get(0).startsWith("-")) {
            throw new DopajException("missing kind: dopaj " + name() + " " + String.join("|", kinds.keySet()) + " ...");
        }
        CliCommand k = kinds.get(argv.get(0));
        if (k == null) {
            throw new DopajException("unknown kind '" + argv.get(0) + "': one of " + String.join(", ", kinds.keySet()));
        }
        return k.run(argv.subList(1, argv.size()), out, err);
    }
}
