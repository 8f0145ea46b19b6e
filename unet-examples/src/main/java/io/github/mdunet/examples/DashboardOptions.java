package io.github.mdunet.examples;

import io.github.mdunet.examples.dashboard.DashboardException;
import io.github.mdunet.examples.dashboard.TrainingDashboard;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --ui [PORT]}: DL4J's training UI while the run trains. A picocli mixin. */
final class DashboardOptions {

    static final int DEFAULT_PORT = 9000;

    @Option(names = "--ui", arity = "0..1", paramLabel = "PORT", fallbackValue = "" + DEFAULT_PORT,
            description = "Serve DL4J's training UI (score, update ratios, parameters) at"
                    + " http://localhost:PORT" + TrainingDashboard.OVERVIEW + " while training (port " + DEFAULT_PORT
                    + " when not given).")
    Integer port;

    /** Refuses a port outside 1..65535, before anything is read. */
    void check(CommandLine command) {
        if (port != null && (port < 1 || port > 65535)) {
            throw new CommandLine.ParameterException(command, "--ui takes a port in 1..65535 but was " + port
                    + " (e.g. --ui " + DEFAULT_PORT + ")");
        }
    }

    /** The started dashboard, or {@code null} without {@code --ui}. */
    TrainingDashboard start(CommandLine command) {
        if (port == null) {
            return null;
        }
        try {
            TrainingDashboard dashboard = TrainingDashboard.start(port);
            System.out.println("Training dashboard (DL4J's UI, open while this run trains): " + dashboard.address());
            return dashboard;
        } catch (DashboardException e) {
            throw new CommandLine.ParameterException(command, "--ui " + port + ": " + e.getMessage());
        }
    }
}
